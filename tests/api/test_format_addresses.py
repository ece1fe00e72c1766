"""Each format of the enterprise list at an address of its own (the operation a client
generated from the schema calls): the same answer as `?format=`, and that format only."""

import pytest

from tests.helpers import body_of, json_of

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"


@pytest.mark.parametrize(
    ("address", "fmt", "content_type"),
    [
        ("/api/v1/enterprises.csv", "csv", "text/csv; charset=utf-8"),
        ("/api/v1/enterprises.geojson", "geojson", "application/geo+json"),
        ("/api/v1/enterprises.jsonld", "jsonld", "application/ld+json"),
    ],
)
def test_format_address_answers_as_the_format_parameter(
    anonymous, directory, address, fmt, content_type
):
    own = anonymous.get(f"{address}?sector=habitation&lang=en")
    asked = anonymous.get(f"{LIST}?sector=habitation&lang=en&format={fmt}")
    assert own.status_code == asked.status_code == 200
    assert own["Content-Type"] == asked["Content-Type"] == content_type
    assert body_of(own) == body_of(asked)


def test_format_address_offers_its_format_only(anonymous, directory):
    wrong = json_of(anonymous.get("/api/v1/enterprises.csv?format=json"), status=400)
    assert wrong["errors"] == {
        "format": ["Format inconnu «\u00a0json\u00a0»\u00a0: cette adresse offre csv."]
    }
    refused = anonymous.get("/api/v1/enterprises.csv", HTTP_ACCEPT="application/json")
    assert refused.status_code == 406
    assert refused["Content-Type"] == "application/json"


def test_format_address_pages_json_ld_at_its_own_address(anonymous, directory):
    first = anonymous.get("/api/v1/enterprises.jsonld?page_size=1")
    assert first.status_code == 200
    assert first["Link"].startswith("<http://testserver/api/v1/enterprises.jsonld?cursor=")
    assert first["Link"].endswith('&page_size=1>; rel="next"')
