"""The sender is told the decision by e-mail: a real worker runs the job, a real SMTP server
on loopback receives it, and a failed sending is retried until it goes through."""

import socket
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from procrastinate.contrib.django.models import ProcrastinateJob

from contributions import services
from tests.helpers import run_jobs, worker_connections_closed

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp(smtp_port):
    """An SMTP server on loopback; the portal sends to it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_settings(smtp_port):
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_port,
        EMAIL_TIMEOUT=5,
        SITE_URL="https://portail.example",
    ):
        yield


@pytest.fixture(autouse=True)
def no_jobs_left():
    with worker_connections_closed():
        yield


def run_worker():
    run_jobs("mail")


def mail_jobs():
    """The mail queue's jobs only: the worker also defers the periodic tasks that fell due
    in the last minutes (the closed rate windows' deletion at :17 each hour), on their
    own queues."""
    return ProcrastinateJob.objects.filter(queue_name="mail")


def jobs() -> list[tuple[str, int]]:
    return list(mail_jobs().order_by("id").values_list("status", "attempts"))


def decide_report(personas, enterprise, *, language, reason=None, message="x"):
    contribution = services.submit_report(
        enterprise=enterprise,
        message=message,
        corrections={"phone": "514 555-0199"},
        email="visiteur@example.org",
        language=language,
    )
    if reason is None:
        services.accept_contribution(
            user=personas.staff_a,
            contribution_id=contribution.pk,
            values={"phone": "514 555-0199"},
        )
    else:
        services.reject_contribution(
            user=personas.staff_a, contribution_id=contribution.pk, reason=reason
        )
    return contribution


def test_acceptance_is_mailed_in_french_with_the_page_link(
    personas, enterprise, smtp, smtp_settings
):
    decide_report(personas, enterprise, language="fr")
    assert jobs() == [("todo", 0)]
    assert smtp.messages == []  # nothing is sent in the request
    run_worker()
    assert jobs() == [("succeeded", 1)]
    [(recipients, message)] = smtp.messages
    assert recipients == ["visiteur@example.org"]
    # Django folds an encoded subject onto its own line; readers drop the fold's space.
    assert (
        message["Subject"].strip() == "Votre contribution sur Coopérative La Ruche a été acceptée"
    )
    assert message.get_content_type() == "text/plain"
    body = message.get_content()
    assert "Merci de votre contribution sur Coopérative La Ruche." in body
    assert "La page de l’entreprise\u00a0: https://portail.example/fr/entreprises/la-ruche/" in body


def test_rejection_is_mailed_in_english_as_plain_text(personas, enterprise, smtp, smtp_settings):
    decide_report(
        personas,
        enterprise,
        language="en",
        reason='<a href="https://evil.example">click</a> <script>x</script>',
    )
    run_worker()
    [(_recipients, message)] = smtp.messages
    assert (
        message["Subject"].strip()
        == "Your contribution about La Ruche Co-operative was not accepted"
    )
    assert not message.is_multipart()
    assert message.get_content_type() == "text/plain"
    body = message.get_content()
    assert 'Their reason: <a href="https://evil.example">click</a> <script>x</script>' in body
    assert "&lt;" not in body


def test_no_email_no_job(personas, enterprise, smtp, smtp_settings):
    contribution = services.submit_report(
        enterprise=enterprise, message="x", corrections={}, email="", language="fr"
    )
    services.reject_contribution(
        user=personas.staff_a, contribution_id=contribution.pk, reason="no"
    )
    assert jobs() == []


def test_a_failed_sending_is_retried_then_succeeds(personas, enterprise, smtp_port, smtp_settings):
    decide_report(personas, enterprise, language="fr")
    run_worker()  # no SMTP server yet: the sending fails
    assert jobs() == [("todo", 1)]
    job = mail_jobs().get()
    assert job.scheduled_at is not None
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        time.sleep(1.2)  # the retry's wait (TASK_RETRY_BACKOFF_SECONDS in tests/settings.py)
        run_worker()
    finally:
        controller.stop()
    assert jobs() == [("succeeded", 2)]
    assert [recipients for recipients, _message in inbox.messages] == [["visiteur@example.org"]]


def test_a_failure_is_visible_in_the_admin(personas, enterprise, smtp_port, smtp_settings):
    decide_report(personas, enterprise, language="fr")
    with override_settings(TASK_RETRY_ATTEMPTS=0):
        run_worker()
    assert jobs() == [("failed", 1)]
    job = mail_jobs().get()
    national = personas.client_for(personas.national)
    listing = national.get("/admin/procrastinate/procrastinatejob/?status=failed").content.decode()
    assert f'<a href="/admin/procrastinate/procrastinatejob/{job.pk}/change/' in listing
    page = national.get(f"/admin/procrastinate/procrastinatejob/{job.pk}/change/")
    assert page.status_code == 200
    assert "contributions.send_outcome" in page.content.decode()
    staff_page = personas.client_for(personas.staff_a).get("/admin/procrastinate/procrastinatejob/")
    assert staff_page.status_code == 403
