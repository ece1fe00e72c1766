"""An enterprise's listed e-mail asks for a sign-in link, and its owner proposes changes to
that record only: the link works once, for a limited time, and says nothing about which
e-mails are on file. A trusted owner's changes publish directly."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from contributions.models import Contribution, OwnerLink, TrustedOwner
from contributions.tasks import send_owner_link
from tests.contributions.conftest import filled
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

ASK_FR = "/fr/contribuer/proprietaire/la-ruche/"
ASK_EN = "/en/contribute/owner/la-ruche/"


@pytest.fixture
def listed(enterprise):
    enterprise.email = "info@laruche.example"
    enterprise.save()
    return enterprise


def link_from_mail(client, url, email="info@laruche.example") -> str:
    response = client.post(url, filled(reply_to=email))
    assert response.status_code == 302
    link = OwnerLink.objects.latest("id")
    send_owner_link(link_id=link.pk)  # what the worker runs
    [message] = mail.outbox[-1:]
    return re.search(r"https?://\S+", message.body).group(0).removeprefix("http://localhost:8000")


def test_the_page_offers_this_is_my_enterprise(anonymous, listed):
    page = anonymous.get("/fr/entreprises/la-ruche/").content.decode()
    assert f'<a href="{ASK_FR}">C’est mon entreprise</a>' in page


def test_same_answer_whether_the_email_is_on_file_or_not(anonymous, listed):
    known = anonymous.post(ASK_FR, filled(reply_to="INFO@laruche.example"))
    unknown = anonymous.post(ASK_FR, filled(reply_to="someone@else.example"))
    assert (known.status_code, known["Location"]) == (302, "/fr/contribuer/lien-envoye/")
    assert (unknown.status_code, unknown["Location"]) == (302, "/fr/contribuer/lien-envoye/")
    assert known.content == unknown.content == b""
    assert list(OwnerLink.objects.values_list("email", flat=True)) == ["info@laruche.example"]
    assert ProcrastinateJob.objects.filter(task_name="contributions.send_owner_link").count() == 1


def test_the_link_mail_is_in_the_askers_language(anonymous, listed):
    path = link_from_mail(anonymous, ASK_EN)
    message = mail.outbox[-1]
    assert message.to == ["info@laruche.example"]
    assert message.subject == "Your link to update La Ruche Co-operative"
    assert path.startswith("/en/contribute/owner/la-ruche/")
    assert "It works once, for 24 hours:" in message.body


def test_owner_proposes_changes_through_a_prefilled_form(anonymous, listed):
    path = link_from_mail(anonymous, ASK_FR)
    page = anonymous.get(path).content.decode()
    assert 'value="514 555-0100"' in page
    assert 'value="Coopérative La Ruche"' in page
    form = {
        "name_fr": "Coopérative La Ruche",
        "name_en": "La Ruche Co-operative",
        "phone": "514 555-0123",
        "city": "Montréal",
        "postal_code": "H2X 1Y4",
        "email": "info@laruche.example",
    }
    response = anonymous.post(path, form)
    assert (response.status_code, response["Location"]) == (302, "/fr/contribuer/merci/")
    contribution = Contribution.objects.get()
    assert (contribution.kind, contribution.status, contribution.proposed, contribution.email) == (
        "owner",
        "pending",
        {"phone": "514 555-0123"},
        "info@laruche.example",
    )
    listed.refresh_from_db()
    assert listed.phone == "514 555-0100"
    # Used once: a replay is refused, and changes nothing.
    again = anonymous.post(path, {**form, "phone": "514 555-0999"})
    assert again.status_code == 410
    assert "Ce lien a déjà été utilisé" in again.content.decode()
    assert Contribution.objects.count() == 1


def test_an_expired_link_is_refused(anonymous, listed):
    path = link_from_mail(anonymous, ASK_EN)
    OwnerLink.objects.update(created_at=timezone.now() - timedelta(hours=25))
    response = anonymous.get(path)
    assert response.status_code == 410
    assert "This link has expired." in response.content.decode()


def test_a_link_for_another_record_or_forged_is_404(anonymous, listed):
    EnterpriseFactory(slug="autre", email="info@laruche.example")
    path = link_from_mail(anonymous, ASK_FR)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert anonymous.get(f"/fr/contribuer/proprietaire/autre/{token}/").status_code == 404
    assert (
        anonymous.post(f"/fr/contribuer/proprietaire/autre/{token}/", {"name_fr": "x"}).status_code
        == 404
    )
    assert anonymous.get("/fr/contribuer/proprietaire/la-ruche/forged/").status_code == 404
    assert Contribution.objects.count() == 0


def test_a_trusted_owner_publishes_directly_with_history(anonymous, listed, personas):
    path = link_from_mail(anonymous, ASK_FR)
    base = {
        "name_fr": "Coopérative La Ruche",
        "city": "Montréal",
        "postal_code": "H2X 1Y4",
        "email": "info@laruche.example",
        "phone": "514 555-0100",
    }
    anonymous.post(path, {**base, "website": "https://laruche.example"})
    first = Contribution.objects.get()
    staff = personas.client_for(personas.staff_a)
    url = f"/admin/contributions/contribution/{first.pk}/change/"
    staff.post(
        url,
        {
            "decision": "accept",
            "accept__website": "on",
            "value__website": "https://laruche.example",
        },
    )
    page = staff.get(url).content.decode()
    assert "Faire confiance à ce propriétaire" in page
    assert personas.client_for(personas.staff_b).post(url, {"decision": "trust"}).status_code == 404
    staff.post(url, {"decision": "trust"})
    assert list(TrustedOwner.objects.values_list("email", "granted_by")) == [
        ("info@laruche.example", personas.staff_a.pk)
    ]
    second_path = link_from_mail(anonymous, ASK_FR)
    anonymous.post(
        second_path, {**base, "website": "https://laruche.example", "phone": "514 555-0155"}
    )
    listed.refresh_from_db()
    assert listed.phone == "514 555-0155"
    latest = listed.history.latest()
    assert latest.history_user is None
    assert latest.history_change_reason.startswith(
        "Publié directement par un propriétaire de confiance (info@laruche.example)"
    )
    assert Contribution.objects.latest("id").status == "accepted"
