"""The scheduled jobs of freshness: owners of records due are reminded with a link to confirm
or change them; staff get a weekly digest of their poles' queues and overdue records."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from procrastinate.contrib.django import app

from contributions import services
from contributions.tasks import send_verification_reminders, send_weekly_digests
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale(personas):
    return EnterpriseFactory(
        slug="vieille",
        name_fr="Coop Vieille",
        pole=personas.pole_a,
        email="info@vieille.example",
        last_verified_at=timezone.localdate() - timedelta(days=400),
    )


def test_the_jobs_are_scheduled_by_the_worker():
    periodic = {
        periodic.task.name: periodic.cron
        for periodic in app.periodic_registry.periodic_tasks.values()
    }
    assert periodic == {
        "contributions.send_verification_reminders": "0 8 * * *",
        "contributions.send_weekly_digests": "0 7 * * 1",
        "chantier.publish_open_data_release": "0 4 1 * *",
        "chantier.delete_closed_rate_windows": "17 * * * *",
    }


def test_reminder_confirms_in_one_click_and_records_its_source(anonymous, stale, personas):
    EnterpriseFactory(slug="sans-courriel", pole=personas.pole_a, last_verified_at=None)
    EnterpriseFactory(
        slug="a-jour",
        pole=personas.pole_a,
        email="a@jour.example",
        last_verified_at=timezone.localdate(),
    )
    assert send_verification_reminders() == 1
    assert send_verification_reminders() == 0  # not twice within 30 days
    [message] = mail.outbox
    assert message.to == ["info@vieille.example"]
    assert "Tout est exact? Confirmez-le en un clic :" in message.body
    assert "Still accurate? Confirm it in one click:" in message.body
    confirm = re.search(
        r"http://localhost:8000(/fr/contribuer/proprietaire/vieille/\S+/confirmer/)", message.body
    ).group(1)
    page = anonymous.get(confirm)
    assert "Oui, c’est toujours exact" in page.content.decode()
    stale.refresh_from_db()
    assert stale.last_verified_at != timezone.localdate()  # opening the link changes nothing
    response = anonymous.post(confirm)
    assert response.status_code == 302
    stale.refresh_from_db()
    assert stale.last_verified_at == timezone.localdate()
    assert stale.history.latest().history_change_reason == (
        "Confirmé toujours exact par le propriétaire (info@vieille.example)"
    )
    assert anonymous.post(confirm).status_code == 410


def test_weekly_digest_per_pole(personas, stale):
    services.submit_report(enterprise=stale, message="x", corrections={}, email="", language="fr")
    # The national team, staff of pole A and of pole B; staff of no pole have nothing.
    assert send_weekly_digests() == 3
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert sorted(by_recipient) == [
        "equipe-nationale@example.org",
        "personnel-a@example.org",
        "personnel-b@example.org",
    ]
    assert (
        "Pôle de Montréal : 1 contribution(s) en attente / pending, 0 fiche(s) à vérifier sous "
        "30 jours / due within 30 days, 1 en retard / overdue."
        in by_recipient["personnel-a@example.org"]
    )
    assert "Pôle de Laval" not in by_recipient["personnel-a@example.org"]
    assert (
        "File de l’équipe nationale / National team's queue : 0"
        in by_recipient["equipe-nationale@example.org"]
    )
    assert "File de l’équipe nationale" not in by_recipient["personnel-b@example.org"]
