"""The OpenAPI document describes the API truthfully: schemathesis sends generated
requests (valid and invalid) to every operation, in-process, and checks that no
answer is a 5xx and that every answer matches the document (status, type, body)."""

import functools
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, assume, settings
from rest_framework.settings import api_settings

from chantier.services import load_reference
from chantier.wsgi import application
from entreprises.nearby import parse_near
from tests.helpers import get_json, json_of

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

# Generous limits: the fuzzer's requests must reach the views, not the rate limit.
UNTHROTTLED = {
    **api_settings.user_settings,
    "DEFAULT_THROTTLE_RATES": {"anonymous": "100000/minute", "key": "100000/minute"},
}


@pytest.fixture
def fuzz_data(directory):
    """The test data with the reference data (the schema's enums of sectors, poles and
    regions name what it holds), and the test's database connection kept open between
    requests (as Django's test client does: the WSGI handler would close it after each)."""
    load_reference()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield directory
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@functools.cache
def _first_cursor(path: str) -> str | None:
    """A cursor the portal gave out for `path` (that of its second record), if it has one."""
    portal = httpx.Client(
        base_url="http://testserver", transport=httpx.WSGITransport(app=application)
    )
    page = portal.get(path, params={"page_size": 1}, headers={"Accept": "application/json"})
    if page.status_code != 200 or not page.headers["Content-Type"].startswith("application/"):
        return None
    link = page.headers.get("Link") or ""
    next_url = link[1:].split(">", 1)[0] if link else (page.json().get("next") or "")
    return parse_qs(urlsplit(next_url).query).get("cursor", [None])[0]


def with_meaningful_values(case) -> None:
    """What a schema cannot say, for the requests meant to be valid: the cursor is one the
    portal gave out (any other is a 400: they are signed), a box's minimums are below
    its maximums, and `near` is coordinates or a town the gazetteer knows."""
    if not (case.meta and case.meta.generation.mode.is_positive and case.query):
        return
    query = case.query
    if "cursor" in query:
        cursor = _first_cursor(case.formatted_path)
        if cursor is None:
            del query["cursor"]
        else:
            query["cursor"] = cursor
    if query.get("bbox"):  # empty is no box
        numbers = [float(part) for part in str(query["bbox"]).split(",")]
        lon = sorted(max(-180.0, min(180.0, n)) for n in numbers[0::2])
        lat = sorted(max(-90.0, min(90.0, n)) for n in numbers[1::2])
        query["bbox"] = ",".join(f"{n:.4f}" for n in (lon[0], lat[0], lon[1], lat[1]))
    if "near" in query:
        try:
            parse_near(str(query["near"]))
        except ValidationError:
            query["near"] = "Rimouski"


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_matches_its_schema(case, fuzz_data):
    # An empty object as a query parameter is sent as no parameter at all: the request
    # that reaches the portal is then a valid one, not the invalid one schemathesis meant.
    assume(not any(value == {} for value in (case.query or {}).values()))
    with_meaningful_values(case)
    with override_settings(REST_FRAMEWORK=UNTHROTTLED):
        # Every check: no 5xx, documented status codes, content types, bodies and
        # headers, schema-invalid input rejected and schema-valid input accepted.
        # Identity: schemathesis's in-process transport sends `Accept-Encoding: gzip` like
        # requests does, but does not decompress (tests/api/test_delivery.py covers gzip).
        case.call_and_validate(
            headers={"Accept-Encoding": "identity"},
        )


@pytest.mark.django_db
def test_schema_documents_every_endpoint_parameter_and_error(anonymous):
    document = get_json(anonymous, "/api/schema/?format=json")
    paths = document["paths"]
    assert sorted(paths) == [
        "/api/v1/enterprises.csv",
        "/api/v1/enterprises.geojson",
        "/api/v1/enterprises.jsonld",
        "/api/v1/enterprises/",
        "/api/v1/enterprises/{slug}/",
        "/api/v1/events/",
        "/api/v1/events/{slug}/",
        "/api/v1/organizations/",
        "/api/v1/organizations/{slug}/",
        "/api/v1/poles/",
        "/api/v1/poles/{slug}/",
        "/api/v1/regions/",
        "/api/v1/regions/{code}/",
        "/api/v1/releases/",
        "/api/v1/releases/{identifier}/",
        "/api/v1/sectors/",
        "/api/v1/sectors/{slug}/",
    ]
    enterprises = paths["/api/v1/enterprises/"]["get"]
    assert sorted(p["name"] for p in enterprises["parameters"]) == [
        "bbox",
        "cursor",
        "format",
        "lang",
        "legal_form",
        "near",
        "page_size",
        "pole",
        "q",
        "radius_km",
        "region",
        "sector",
        "status",
        "updated_since",
    ]
    assert sorted(enterprises["responses"]) == ["200", "304", "400", "401", "403", "406", "429"]
    assert sorted(enterprises["responses"]["200"]["content"]) == [
        "application/geo+json",
        "application/json",
        "application/ld+json",
        "text/csv",
    ]
    # Each format also has an operation of its own, the one a generated client can call.
    for extension, media_type in [
        ("csv", "text/csv"),
        ("geojson", "application/geo+json"),
        ("jsonld", "application/ld+json"),
    ]:
        operation = paths[f"/api/v1/enterprises.{extension}"]["get"]
        assert operation["operationId"] == f"v1_enterprises_{extension}"
        assert list(operation["responses"]["200"]["content"]) == [media_type]
        names = [p["name"] for p in operation["parameters"]]
        assert "format" not in names
        assert ("cursor" in names) == (extension == "jsonld")
    detail = paths["/api/v1/enterprises/{slug}/"]["get"]
    assert sorted(detail["responses"]) == [
        "200",
        "304",
        "400",
        "401",
        "403",
        "404",
        "406",
        "410",
        "429",
    ]
    pole = paths["/api/v1/poles/{slug}/"]["get"]["responses"]["410"]["content"]
    assert pole["application/json"]["schema"] == {"$ref": "#/components/schemas/Tombstone"}
    assert document["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }


@pytest.mark.django_db
def test_interactive_docs_are_served_from_our_own_static_files(anonymous):
    page = anonymous.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    # Nothing inline: the page holds under a strict Content-Security-Policy.
    assert "<style" not in page
    assert "<script>" not in page
    assert '<script src="/api/docs/?script="></script>' in page
    assert "http://" not in page.replace("http://www.w3.org", "")
    script = anonymous.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()
    # Shipped by drf-spectacular-sidecar, collected with the other static files.
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


@pytest.mark.django_db
def test_fixed_sets_of_filter_values_are_enums_of_the_reference_data(anonymous):
    """The same enums whatever the database holds: read from chantier/reference/."""
    document = get_json(anonymous, "/api/schema/?format=json")
    parameters = {
        p["name"]: p["schema"]
        for p in document["paths"]["/api/v1/enterprises/"]["get"]["parameters"]
    }
    # Each list ends with "": an empty value is no filter (tests/api/test_multi_value_filters.py).
    regions = parameters["region"]["items"]["enum"]
    assert regions == [*(f"{code:02d}" for code in range(1, 18)), ""]
    assert "habitation" in parameters["sector"]["items"]["enum"]
    assert len(parameters["sector"]["items"]["enum"]) == 21 + 1
    assert "cesim-montreal" in parameters["pole"]["items"]["enum"]
    assert len(parameters["pole"]["items"]["enum"]) == 19 + 1
    assert parameters["legal_form"]["items"]["enum"] == ["cooperative", "mutual", "nonprofit"]
    assert parameters["bbox"]["pattern"].startswith("^(?: *-?[0-9]{1,3}")
    assert parameters["cursor"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "pattern": "^[^\\u0000]*$",
    }
    # The CSV's operation takes the same filters, with the same enums.
    csv_parameters = {
        p["name"]: p["schema"]
        for p in document["paths"]["/api/v1/enterprises.csv"]["get"]["parameters"]
    }
    assert csv_parameters["region"]["items"]["enum"] == regions


@pytest.mark.django_db
def test_free_texts_say_they_refuse_the_nul_character(anonymous):
    document = get_json(anonymous, "/api/schema/?format=json")
    for path in ("/api/v1/enterprises/", "/api/v1/enterprises.csv", "/api/v1/enterprises.geojson"):
        parameters = {p["name"]: p["schema"] for p in document["paths"][path]["get"]["parameters"]}
        assert parameters["q"]["pattern"] == "^[^\\u0000]*$"
        assert parameters["near"]["pattern"] == "^[^\\u0000]*$"
        # Choices say what they accept already.
        assert "pattern" not in parameters["legal_form"]["items"]
    french = anonymous.get("/api/v1/enterprises.csv", {"q": "caf\x00e"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert json_of(french, status=400)["errors"] == {"q": ["Le caractère nul n’est pas autorisé."]}
    english = anonymous.get("/api/v1/enterprises.csv", {"q": "caf\x00e"}, HTTP_ACCEPT_LANGUAGE="en")
    assert json_of(english, status=400)["errors"] == {"q": ["Null characters are not allowed."]}
