"""Sector lines are kept with each version of an enterprise: the history shows their
changes, and restoring a version brings its sectors back."""

import pytest
from django.urls import reverse

from entreprises.models import EnterpriseSector
from tests.entreprises.conftest import enterprise_form_data
from tests.entreprises.test_admin_plain_language import readable_text


def sectors_of(enterprise):
    return {
        (link.sector.slug, link.is_primary)
        for link in EnterpriseSector.objects.filter(enterprise=enterprise).select_related("sector")
    }


def switch_to_housing(client, enterprise, world):
    link = EnterpriseSector.objects.get(enterprise=enterprise)
    data = enterprise_form_data(
        enterprise,
        **{
            "sector_links-TOTAL_FORMS": "1",
            "sector_links-INITIAL_FORMS": "1",
            "sector_links-0-id": link.pk,
            "sector_links-0-enterprise": enterprise.pk,
            "sector_links-0-sector": world.housing.pk,
            "sector_links-0-is_primary": "on",
        },
    )
    url = reverse("admin:entreprises_enterprise_change", args=[enterprise.pk])
    assert client.post(url, data).status_code == 302


@pytest.mark.parametrize(
    ("language", "shown"),
    [("fr", "Secteurs : — → Habitation"), ("en", "Sectors: — → Housing")],
)
def test_history_shows_sector_changes(personas, world, language, shown):
    client = personas.client_for(personas.staff_a)
    # The world's records were made before any version kept sectors: "—" before.
    switch_to_housing(client, world.enterprise_a, world)
    enterprise = world.enterprise_a
    enterprise.name_en = "Plateau Grocery"
    url = reverse("admin:entreprises_enterprise_change", args=[enterprise.pk])
    data = enterprise_form_data(enterprise, **{"sector_links-TOTAL_FORMS": "0"})
    assert client.post(url, data).status_code == 302
    history = client.get(
        reverse("admin:entreprises_enterprise_history", args=[enterprise.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    text = readable_text(history.content.decode()).replace("\xa0", " ")
    text = " ".join(text.split())
    assert shown in text
    assert "Description" not in text  # None to an empty text is no change


def test_restoring_a_version_brings_its_sectors_back(personas, world):
    client = personas.client_for(personas.staff_a)
    enterprise = world.enterprise_a
    url = reverse("admin:entreprises_enterprise_change", args=[enterprise.pk])
    # A save that records the food sector with the version.
    assert client.post(url, enterprise_form_data(enterprise, city="Verdun")).status_code == 302
    with_food = enterprise.history.order_by("-history_date").first()
    switch_to_housing(client, enterprise, world)
    assert sectors_of(enterprise) == {("habitation", True)}

    restore_url = reverse(
        "admin:entreprises_enterprise_simple_history", args=[enterprise.pk, with_food.pk]
    )
    restored = client.post(restore_url, enterprise_form_data(with_food.instance))
    assert restored.status_code == 302
    assert sectors_of(enterprise) == {("alimentation", True)}
    latest = enterprise.history.order_by("-history_date").first()
    assert [(line.sector.slug, line.is_primary) for line in latest.sectors.all()] == [
        ("alimentation", True)
    ]
