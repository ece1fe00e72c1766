"""The OpenAPI document describes the API truthfully: schemathesis sends generated
requests (valid and invalid) to every operation, in-process, and checks that no
answer is a 5xx and that every answer matches the document (status, type, body)."""

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, assume, settings
from rest_framework.settings import api_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from chantier.wsgi import application
from tests.helpers import get_json

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

# Generous limits: the fuzzer's requests must reach the views, not the rate limit.
UNTHROTTLED = {
    **api_settings.user_settings,
    "DEFAULT_THROTTLE_RATES": {"anonymous": "100000/minute", "key": "100000/minute"},
}


@pytest.fixture
def fuzz_data(directory):
    """The test data, and the test's database connection kept open between requests
    (as Django's test client does: the WSGI handler would close it after each)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield directory
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


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
    with override_settings(REST_FRAMEWORK=UNTHROTTLED):
        # Every check but one: a schema cannot say "a sector slug that exists" or "a
        # cursor this server gave out", so such schema-valid values get the 400 the
        # schema documents. No 5xx, documented status codes, content types, bodies
        # and headers, and rejection of schema-invalid input are all checked.
        # Identity: schemathesis's in-process transport sends `Accept-Encoding: gzip` like
        # requests does, but does not decompress (tests/api/test_delivery.py covers gzip).
        case.call_and_validate(
            headers={"Accept-Encoding": "identity"},
            excluded_checks=[positive_data_acceptance],
        )


@pytest.mark.django_db
def test_schema_documents_every_endpoint_parameter_and_error(anonymous):
    document = get_json(anonymous, "/api/schema/?format=json")
    paths = document["paths"]
    assert sorted(paths) == [
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
