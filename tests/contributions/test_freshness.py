"""Freshness: each pole's verification interval, records due and overdue on the admin's
dashboard and in a list filter, and a notice on an overdue record's public page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from entreprises.freshness import is_overdue
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(personas):
    today = timezone.localdate()
    personas.pole_a.verification_months = 6
    personas.pole_a.save()
    return {
        "fresh": EnterpriseFactory(slug="fraiche", pole=personas.pole_a, last_verified_at=today),
        "due": EnterpriseFactory(
            slug="bientot", pole=personas.pole_a, last_verified_at=today - timedelta(days=170)
        ),
        "overdue": EnterpriseFactory(
            slug="en-retard", pole=personas.pole_a, last_verified_at=today - timedelta(days=200)
        ),
        "never": EnterpriseFactory(slug="jamais", pole=personas.pole_a, last_verified_at=None),
        # 200 days is within pole B's default 12 months.
        "other_pole": EnterpriseFactory(
            slug="laval", pole=personas.pole_b, last_verified_at=today - timedelta(days=200)
        ),
    }


def test_the_interval_is_the_poles(records):
    assert {name: is_overdue(e) for name, e in records.items()} == {
        "fresh": False,
        "due": False,
        "overdue": True,
        "never": True,
        "other_pole": False,
    }


def test_dashboard_shows_due_and_overdue_of_ones_own_poles(personas, records):
    page = personas.client_for(personas.staff_a).get("/admin/").content.decode()
    pole = personas.pole_a.pk
    assert "<caption>Vérification des entreprises publiées, par pôle</caption>" in page
    assert '<th scope="row">Pôle de Montréal</th>' in page
    assert f'?pole={pole}&amp;verification=due">1</a>' in page
    assert f'?pole={pole}&amp;verification=overdue">2</a>' in page
    assert "Pôle de Laval" not in page


@pytest.mark.parametrize(
    ("value", "slugs"), [("overdue", ["en-retard", "jamais"]), ("due", ["bientot"])]
)
def test_list_filter(personas, records, value, slugs):
    page = (
        personas.client_for(personas.national)
        .get(f"/admin/entreprises/enterprise/?verification={value}")
        .content.decode()
    )
    shown = sorted(e.slug for e in records.values() if f"/{e.pk}/change/" in page)
    assert shown == slugs


def test_public_notice_on_an_overdue_record_in_both_languages(anonymous, records):
    french = anonymous.get("/fr/entreprises/en-retard/").content.decode()
    english = anonymous.get("/en/enterprises/en-retard/").content.decode()
    assert (
        '<p class="stale-notice">Cette fiche n’a pas été confirmée récemment auprès de l’entreprise\u00a0: certains renseignements peuvent ne plus être à jour.</p>'
        in french
    )
    assert (
        '<p class="stale-notice">This record has not been confirmed with the enterprise recently: some details may be out of date.</p>'
        in english
    )
    assert "stale-notice" not in anonymous.get("/fr/entreprises/fraiche/").content.decode()
