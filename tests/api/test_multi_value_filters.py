"""The enterprise API's facets take several values, as the directory page does: a
repeated parameter is any of its values (OR); different parameters must all match (AND)."""

import pytest

from tests.helpers import get_json, query_count

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"


def slugs(data):
    return [item["slug"] for item in data["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=habitation&sector=agroalimentaire", ["envol", "marche"]),
        ("pole=pole-a&pole=pole-b", ["envol", "marche"]),
        ("region=06&region=03", ["envol", "marche"]),
        ("legal_form=cooperative&legal_form=nonprofit", ["envol", "marche"]),
        ("legal_form=cooperative&legal_form=mutual", ["envol"]),
        ("region=06&region=03&legal_form=nonprofit", ["marche"]),
        ("sector=habitation&sector=agroalimentaire&pole=pole-b", ["marche"]),
        ("sector=habitation&sector=habitation", ["envol"]),
    ],
)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_repeated_facet_is_any_of_its_values(anonymous, directory, query, expected, lang):
    data = get_json(anonymous, f"{LIST}?{query}&lang={lang}")
    assert slugs(data) == expected


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("sector=habitation&sector=nope", "sector", "There is no sector with this slug."),
        ("pole=pole-a&pole=nope", "pole", "There is no pole with this slug."),
        ("region=06&region=99", "region", "There is no region with this code."),
        ("legal_form=nonprofit&legal_form=company", "legal_form", "There is no such legal form."),
    ],
)
def test_one_bad_value_among_several_is_a_400(anonymous, directory, query, field, message):
    data = get_json(anonymous, f"{LIST}?{query}", status=400, HTTP_ACCEPT_LANGUAGE="en")
    assert data["errors"] == {field: [message]}


def test_bad_value_among_several_in_french(anonymous, directory):
    data = get_json(anonymous, f"{LIST}?region=06&region=99", status=400, HTTP_ACCEPT_LANGUAGE="fr")
    assert data["errors"] == {"region": ["Aucune région n’a ce code."]}


def test_query_count_does_not_grow_with_the_values(anonymous, directory):
    one = query_count(
        anonymous, f"{LIST}?sector=habitation&region=06&pole=pole-a&legal_form=cooperative"
    )
    several = query_count(
        anonymous,
        f"{LIST}?sector=habitation&sector=agroalimentaire&region=06&region=03"
        "&pole=pole-a&pole=pole-b&legal_form=cooperative&legal_form=nonprofit",
    )
    assert one == several


def test_empty_facet_values_mean_no_filter(anonymous, directory):
    assert slugs(get_json(anonymous, f"{LIST}?sector=&pole=&region=")) == ["envol", "marche"]
    assert slugs(get_json(anonymous, f"{LIST}?sector=&sector=habitation")) == ["envol"]
