"""Work done out of the request by the worker (`manage.py procrastinate worker`): telling a
sender what became of their contribution. Jobs are kept in PostgreSQL, deferred in the
same transaction as the decision, and retried with a growing wait when sending fails."""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from procrastinate.contrib.django import app
from procrastinate.retry import BaseRetryStrategy, RetryDecision

from contributions.enums import ContributionStatus
from contributions.models import Contribution, OwnerLink

OWNER_LINK_SALT = "contributions.owner-link"


class RetryWithBackoff(BaseRetryStrategy):
    """After the n-th failure, wait TASK_RETRY_BACKOFF_SECONDS to the power n, until
    TASK_RETRY_ATTEMPTS retries have failed; then the job is marked failed (the admin's
    "Procrastinate jobs" list). Read at each failure, so the settings hold when they change."""

    def get_retry_decision(self, *, exception, job):
        if job.attempts >= settings.TASK_RETRY_ATTEMPTS:
            return None
        return RetryDecision(
            retry_in={"seconds": settings.TASK_RETRY_BACKOFF_SECONDS ** (job.attempts + 1)}
        )


RETRY = RetryWithBackoff()


@app.task(name="contributions.send_outcome", queue="mail", retry=RETRY)
def send_outcome(*, contribution_id: int) -> None:
    """E-mail the sender the decision, in the language they wrote in. Plain text only: what
    visitors and staff wrote is never read as HTML by the sender's mail client."""
    contribution = (
        Contribution.objects.select_related("enterprise").filter(pk=contribution_id).first()
    )
    if (
        contribution is None
        or not contribution.email
        or contribution.status == ContributionStatus.PENDING
    ):
        return
    with translation.override(contribution.language):
        enterprise = contribution.enterprise
        context = {
            "contribution": contribution,
            "name": enterprise.name if enterprise else contribution.proposed.get("name_fr", ""),
            "page_url": f"{settings.SITE_URL}{enterprise.get_absolute_url()}"
            if enterprise and enterprise.status == "published"
            else "",
            "accepted": contribution.status != ContributionStatus.REJECTED,
        }
        subject = render_to_string("contributions/email/outcome_subject.txt", context)
        body = render_to_string("contributions/email/outcome.txt", context)
    # A name with a line break must not become a second header.
    send_mail(" ".join(subject.split()), body, None, [contribution.email])


def owner_link_token(*, link: OwnerLink) -> str:
    """The token of an owner's link: its id, signed (the row says whether it was used)."""
    return signing.dumps(link.pk, salt=OWNER_LINK_SALT)


def owner_link_id(*, token: str) -> int | None:
    try:
        value = signing.loads(token, salt=OWNER_LINK_SALT, max_age=settings.OWNER_LINK_HOURS * 3600)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


@app.task(name="contributions.send_owner_link", queue="mail", retry=RETRY)
def send_owner_link(*, link_id: int) -> None:
    """E-mail the sign-in link to the enterprise's listed address, in the asker's language."""
    link = OwnerLink.objects.select_related("enterprise").filter(pk=link_id).first()
    if link is None or link.used_at is not None:
        return
    with translation.override(link.language):
        path = reverse(
            "contributions:owner-edit",
            kwargs={"slug": link.enterprise.slug, "token": owner_link_token(link=link)},
        )
        context = {
            "name": link.enterprise.name,
            "url": f"{settings.SITE_URL}{path}",
            "hours": settings.OWNER_LINK_HOURS,
        }
        subject = render_to_string("contributions/email/owner_link_subject.txt", context)
        body = render_to_string("contributions/email/owner_link.txt", context)
    send_mail(" ".join(subject.split()), body, None, [link.email])
