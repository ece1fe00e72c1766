"""Hostile or malformed input to the admin gets a 4xx or a form error, never a 500, and staff
of one pole never learn the name or slug of another pole's record."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from entreprises.models import Enterprise
from tests.entreprises.conftest import enterprise_form_data
from tests.entreprises.test_admin_import import IMPORT, csv_file, good_row, row_errors
from tests.factories import EnterpriseFactory, EventFactory

CHANGELIST = reverse("admin:entreprises_enterprise_changelist")
AUTOCOMPLETE = reverse("admin:autocomplete")


def shortcut(enterprise):
    content_type = ContentType.objects.get_for_model(Enterprise)
    return reverse("admin:view_on_site", args=[content_type.pk, enterprise.pk])


def test_view_on_site_of_another_poles_record_is_404(personas, world):
    client = personas.client_for(personas.staff_a)
    other = client.get(shortcut(world.enterprise_b))
    assert (other.status_code, other.has_header("Location")) == (404, False)
    own = client.get(shortcut(world.enterprise_a))
    site = "http://testserver"
    assert (own.status_code, own["Location"]) == (
        302,
        site + world.enterprise_a.get_absolute_url(),
    )
    national = personas.client_for(personas.national).get(shortcut(world.enterprise_b))
    assert national["Location"] == site + world.enterprise_b.get_absolute_url()
    nowhere = personas.client_for(personas.staff_without_pole).get(shortcut(world.enterprise_a))
    assert nowhere.status_code == 404


@pytest.mark.parametrize("object_id", ["abc", "1%00", "999999"])
def test_view_on_site_of_nonsense_is_404(personas, world, object_id):
    content_type = ContentType.objects.get_for_model(Enterprise)
    response = personas.client_for(personas.national).get(
        f"/admin/r/{content_type.pk}/{object_id}/"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"status__exact": "\x00"},
        {"region__id__exact": "\x00"},
        {"legal_form__exact": "a\x00b"},
        {"q": "\x00"},
        {"sector": "\x00"},
    ],
)
def test_nul_byte_in_changelist_filters_is_a_400(personas, world, params):
    response = personas.client_for(personas.staff_a).get(
        CHANGELIST, params, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (response.status_code, response.content.decode()) == (
        400,
        "The request contains a NUL character.",
    )


@pytest.mark.parametrize(
    ("model_name", "field_name"),
    [("enterprise", "pole"), ("enterprise", "region"), ("enterprisesector", "sector")],
)
def test_nul_byte_in_autocomplete_term_is_a_400(personas, world, model_name, field_name):
    params = {
        "app_label": "entreprises",
        "model_name": model_name,
        "field_name": field_name,
        "term": "p\x00",
    }
    response = personas.client_for(personas.staff_a).get(
        AUTOCOMPLETE, params, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert (response.status_code, response.content.decode()) == (
        400,
        "La requête contient un caractère NUL.",
    )


def test_non_numeric_history_version_is_404(personas, world):
    client = personas.client_for(personas.staff_a)
    url = f"/admin/entreprises/enterprise/{world.enterprise_a.pk}/history/abc/"
    assert client.get(url).status_code == 404
    national = personas.client_for(personas.national)
    event = EventFactory()
    for other in [
        f"/admin/entreprises/sector/{world.food.pk}/history/abc/",
        f"/admin/poles/pole/{world.pole_a.pk}/history/abc/",
        f"/admin/evenements/event/{event.pk}/history/1%00/",
    ]:
        assert national.get(other).status_code == 404, other


INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"pole": "abc"}, "pole", INVALID_CHOICE),
        ({"region": "99999"}, "region", INVALID_CHOICE),
        ({"region": "\x00"}, "region", "Null characters are not allowed."),
        ({"pole": "1\x00"}, "pole", "Null characters are not allowed."),
    ],
)
def test_forged_choice_in_the_form_is_a_form_error(personas, world, changes, field, error):
    client = personas.client_for(personas.staff_a)
    url = reverse("admin:entreprises_enterprise_change", args=[world.enterprise_a.pk])
    response = client.post(
        url, enterprise_form_data(world.enterprise_a, **changes), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [error]


def test_forged_sector_in_the_inline_is_a_form_error(personas, world):
    client = personas.client_for(personas.staff_a)
    url = reverse("admin:entreprises_enterprise_change", args=[world.enterprise_a.pk])
    data = enterprise_form_data(
        world.enterprise_a,
        **{
            "sector_links-TOTAL_FORMS": "1",
            "sector_links-0-sector": "abc",
            "sector_links-0-is_primary": "on",
        },
    )
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["sector"] == [
        INVALID_CHOICE
    ]


def test_duplicate_warning_names_no_record_of_another_pole(personas, world):
    EnterpriseFactory(name_fr="Épicerie du coin", city="Montréal", pole=world.pole_b)
    client = personas.client_for(personas.staff_a)
    url = reverse("admin:entreprises_enterprise_change", args=[world.enterprise_a.pk])
    response = client.post(
        url,
        enterprise_form_data(world.enterprise_a, name_fr="ÉPICERIE du coin"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.context["adminform"].form.errors["__all__"] == [
        "Possible duplicate: a record of another pole has the same name in the same city. "
        "Ask the national team whether it is the same enterprise; if it is not, check "
        "“This is not a duplicate” to save."
    ]


def test_import_preview_names_no_record_of_another_pole(personas, world):
    client = personas.client_for(personas.staff_a)
    upload = csv_file(
        [
            good_row(name="Ma coopérative", neq="", slug="habitation-laval"),
            good_row(name="Coopérative d'habitation de Laval", neq="", city="Laval"),
        ]
    )
    response = client.post(IMPORT, {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert [(row.enterprise.name_fr, row.enterprise.slug) for row in response.context["rows"]][
        0
    ] == ("Ma coopérative", "")
    assert row_errors(response)[2] == ["This enterprise belongs to a pole you do not work for."]
    assert (
        "Duplicate: a record of another pole has the same name in the same city."
        in (row_errors(response)[3])
    )
    page = response.content.decode()
    assert "habitation-laval" not in page
    assert page.count("Coopérative d&#x27;habitation de Laval") == 1
