"""Placing a record: the region is limited to those the staff's poles serve (filled when
there is one), a published record without coordinates warns in the form, and the change
list filters the records missing from the map."""

import html

import pytest
from django.urls import reverse

from entreprises.models import Enterprise
from tests.entreprises.conftest import enterprise_form_data

CHANGELIST = reverse("admin:entreprises_enterprise_changelist")
WARNINGS = {
    "fr": "Cette entreprise publiée n’a pas de coordonnées\u00a0: elle manque sur la carte.",
    "en": "This published enterprise has no coordinates: it is missing from the map.",
}


def names(response):
    return sorted(str(e) for e in response.context["cl"].result_list)


def test_region_limited_to_the_poles_regions_and_filled_when_one(personas, world):
    client = personas.client_for(personas.staff_a)
    add = client.get(reverse("admin:entreprises_enterprise_add"))
    form = add.context["adminform"].form
    assert form.initial["region"] == world.montreal.pk
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "entreprises",
            "model_name": "enterprise",
            "field_name": "region",
            "term": "",
        },
    )
    assert [result["text"] for result in found.json()["results"]] == ["06 Montréal"]
    url = reverse("admin:entreprises_enterprise_change", args=[world.enterprise_a.pk])
    refused = client.post(url, enterprise_form_data(world.enterprise_a, region=world.laval.pk))
    assert refused.status_code == 200
    # Another region, typed in by hand, says why it is refused.
    assert refused.context["adminform"].form.errors["region"] == [
        "Le pôle choisi ne dessert pas cette région."
    ]
    # The national team chooses among every region.
    national = personas.client_for(personas.national).get(
        reverse("admin:entreprises_enterprise_add")
    )
    assert "region" not in national.context["adminform"].form.initial


def test_region_filter_offers_only_the_poles_regions(personas, world):
    response = personas.client_for(personas.staff_a).get(CHANGELIST)
    (region_filter,) = [f for f in response.context["cl"].filter_specs if f.title == "région"]
    assert [label for _value, label in region_filter.lookup_choices] == ["06 Montréal"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_published_record_without_coordinates_warns_and_is_filtered(personas, world, language):
    Enterprise.objects.filter(pk=world.enterprise_b.pk).update(latitude=None, longitude=None)
    client = personas.client_for(personas.staff_b)
    url = reverse("admin:entreprises_enterprise_change", args=[world.enterprise_b.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert WARNINGS[language] in html.unescape(page.content.decode())
    national = personas.client_for(personas.national)
    assert names(national.get(CHANGELIST, {"on_map": "no"})) == [
        "Coopérative d'habitation de Laval"
    ]
    assert names(national.get(CHANGELIST, {"on_map": "yes"})) == ["Épicerie solidaire du Plateau"]
    # No warning for a draft without coordinates: it is on no public page.
    Enterprise.objects.filter(pk=world.enterprise_a.pk).update(latitude=None, longitude=None)
    draft = personas.client_for(personas.staff_a).get(
        reverse("admin:entreprises_enterprise_change", args=[world.enterprise_a.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert WARNINGS[language] not in html.unescape(draft.content.decode())
