"""Every answer validates against the OpenAPI document with a strict OAS 3.0.3 validator
(openapi-schema-validator, formats checked): every resource, empty and filled optional
fields, sync pages with tombstones, and the error bodies."""

import json

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_spec

from entreprises.models import Enterprise
from entreprises.services import delete_enterprises
from tests.factories import EventFactory, OrganizationFactory, PoleFactory, SectorFactory
from tests.helpers import body_of, get_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(anonymous):
    return get_json(anonymous, "/api/schema/?format=json")


@pytest.fixture
def filled(directory):
    """Records of every kind, some with every optional field, some with none."""
    parent = directory["housing"]
    SectorFactory(slug="cooperatives-d-habitation", parent=parent, description_fr="", name_en="")
    PoleFactory(slug="vide", website="", email="", phone="", latitude=None, longitude=None)
    organizer = OrganizationFactory(slug="ripess", website="https://ripess.example")
    OrganizationFactory(slug="sans-site", website="", founded_year=None)
    event = EventFactory(slug="gsef-2026")
    event.organizers.add(organizer)
    event.enterprises_visited.add(directory["coop"])
    return directory


def response_schema(document, path, status, content_type):
    responses = document["paths"][path]["get"]["responses"]
    assert str(status) in responses, f"{path}: {status} is not declared"
    content = responses[str(status)].get("content", {})
    assert content_type in content, f"{path} {status}: {content_type} is not declared"
    return content[content_type]["schema"]


def assert_valid(document, path, response, *, content_type="application/json"):
    schema = response_schema(document, path, response.status_code, content_type)
    # References (#/components/...) resolve against the document's own components.
    validator = OAS30Validator(
        {**schema, "components": document["components"]},
        format_checker=OAS30Validator.FORMAT_CHECKER,
    )
    body = body_of(response).decode()
    value = body if content_type == "text/csv" else json.loads(body)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(value)]
    assert errors == [], (path, response.status_code)


def test_the_document_is_valid_openapi_3(document):
    assert document["openapi"].startswith("3.0")
    validate_spec(document)


def test_the_document_names_the_api_in_english_with_servers_contact_and_licence(document):
    assert document["info"]["title"] == "Quebec Social Economy Portal API"
    assert document["info"]["license"]["name"] == "Creative Commons Attribution 4.0"
    assert document["info"]["contact"]["name"] == "Chantier de l'économie sociale"
    assert document["servers"] == [{"url": "/", "description": "This portal"}]
    assert [tag["name"] for tag in document["tags"]] == [
        "enterprises",
        "poles",
        "regions",
        "sectors",
        "events",
        "organizations",
    ]


LISTS = {
    "enterprises": "/api/v1/enterprises/",
    "poles": "/api/v1/poles/",
    "regions": "/api/v1/regions/",
    "sectors": "/api/v1/sectors/",
    "events": "/api/v1/events/",
    "organizations": "/api/v1/organizations/",
}
DETAILS = {
    "/api/v1/enterprises/{slug}/": ["envol", "marche"],
    "/api/v1/poles/{slug}/": ["pole-a", "vide"],
    "/api/v1/regions/{code}/": ["06"],
    "/api/v1/sectors/{slug}/": ["habitation", "cooperatives-d-habitation"],
    "/api/v1/events/{slug}/": ["gsef-2026"],
    "/api/v1/organizations/{slug}/": ["ripess", "sans-site"],
}


@pytest.mark.parametrize("name", sorted(LISTS))
@pytest.mark.parametrize("lang", ["", "?lang=en"])
def test_every_list_matches_its_schema(anonymous, document, filled, name, lang):
    path = LISTS[name]
    assert_valid(document, path, anonymous.get(f"{path}{lang}"))


@pytest.mark.parametrize("path", sorted(DETAILS))
def test_every_detail_matches_its_schema(anonymous, document, filled, path):
    for key in DETAILS[path]:
        url = path.replace("{slug}", key).replace("{code}", key)
        assert_valid(document, path, anonymous.get(url))
        assert_valid(document, path, anonymous.get(f"{url}?lang=fr"))


@pytest.mark.parametrize(
    ("query", "content_type"),
    [
        ("?format=csv", "text/csv"),
        ("?format=geojson", "application/geo+json"),
        ("?format=jsonld", "application/ld+json"),
    ],
)
def test_enterprise_formats_match_their_content_types(
    anonymous, document, filled, query, content_type
):
    path = LISTS["enterprises"]
    assert_valid(document, path, anonymous.get(f"{path}{query}"), content_type=content_type)


def test_sync_pages_with_tombstones_match(anonymous, document, filled):
    coop = filled["coop"]
    coop.status = "draft"
    coop.save()
    delete_enterprises(enterprises=Enterprise.objects.filter(slug="marche"))
    path = LISTS["enterprises"]
    response = anonymous.get(f"{path}?updated_since=2000-01-01T00:00:00Z")
    assert len(json.loads(response.content)["tombstones"]) == 3
    assert_valid(document, path, response)
    assert_valid(document, "/api/v1/enterprises/{slug}/", anonymous.get(f"{path}envol/"))


def test_error_bodies_match(anonymous, document, filled):
    path = LISTS["enterprises"]
    assert_valid(document, path, anonymous.get(f"{path}?nope=1"))
    assert_valid(document, "/api/v1/poles/{slug}/", anonymous.get("/api/v1/poles/absent/"))
    assert_valid(
        document,
        path,
        anonymous.get(path, HTTP_ACCEPT="application/json;q=0"),
        content_type="application/json",
    )


def test_not_modified_and_headers_are_declared(document):
    for path, item in document["paths"].items():
        responses = item["get"]["responses"]
        assert responses["304"] == {
            "description": "Not modified: your copy (If-None-Match) is current."
        }, path
        headers = responses["200"]["headers"]
        assert {
            "ETag",
            "Cache-Control",
            "RateLimit-Limit",
            "RateLimit-Remaining",
            "RateLimit-Reset",
        } <= set(headers), path
        assert "Retry-After" in responses["429"]["headers"], path
        if "{" not in path:
            assert "Link" in headers, path
