"""Bad addresses and hostile input under /api/: always a 4xx, always JSON, in both languages."""

import base64

import pytest
from django.test import Client

from tests.helpers import get_json, json_of

pytestmark = pytest.mark.django_db


def json_error(client, url, status, *, method="get", language="fr"):
    response = getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response["Content-Type"] == "application/json", (url, response.status_code)
    return json_of(response, status=status)


NOT_FOUND = {
    "fr": {"detail": "Introuvable\xa0: l’API n’a aucune ressource à cette adresse."},
    "en": {"detail": "Not found: the API has no resource at this address."},
}


@pytest.mark.parametrize(
    "url",
    [
        "/api",
        "/api/",
        "/api/v2/",
        "/api/v1/nope/",
        "/api/v1/enterprises/envol/more/",
        # Characters no identifier holds: the route itself refuses them.
        "/api/v1/enterprises/%20AND%20x/",
        "/api/v1/enterprises/%00/",
        "/api/v1/enterprises/envol%00/",
        "/api/v1/enterprises/a%0Ab%0D%0Ac/",
        "/api/v1/regions/06%00/",
        "/api/v1/sectors/%00/",
        "/api/v1/poles/%00/",
        "/api/v1/events/%00/",
        "/api/v1/organizations/%00/",
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_unknown_api_address_is_a_json_404_in_the_request_language(
    anonymous, directory, url, language
):
    assert json_error(anonymous, url, 404, language=language) == NOT_FOUND[language]


def test_a_known_record_still_answers_next_to_the_refused_addresses(anonymous, directory):
    assert get_json(anonymous, "/api/v1/regions/06/")["code"] == "06"
    assert get_json(anonymous, "/api/v1/enterprises/envol/")["slug"] == "envol"


@pytest.mark.parametrize("debug", [False, True])
def test_post_without_the_trailing_slash_is_a_json_4xx(directory, settings, debug):
    """With DEBUG on, APPEND_SLASH used to raise (it cannot redirect a POST)."""
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    data = json_error(client, "/api/v1/enterprises", 404, method="post", language="en")
    assert data == {
        "detail": "Not found: addresses of the API end with a slash, as in /api/v1/enterprises/."
    }
    data = json_error(client, "/api/v1/enterprises", 404, method="post", language="fr")
    assert data == {
        "detail": "Introuvable\xa0: les adresses de l’API finissent par une barre oblique,"
        " comme /api/v1/enterprises/."
    }


def test_get_without_the_trailing_slash_is_still_redirected(anonymous, directory):
    response = anonymous.get("/api/v1/enterprises?region=06")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/enterprises/?region=06"


@pytest.mark.parametrize(
    "url", ["/api/v1/", "/api/v1/enterprises/", "/api/v1/regions/06/", "/api/schema/", "/api/docs/"]
)
@pytest.mark.parametrize("method", ["post", "delete"])
def test_other_method_on_a_real_address_is_a_json_405(anonymous, directory, url, method):
    """The schema (YAML) and the docs (HTML) too: their errors are JSON like the others'."""
    name = method.upper()
    assert json_error(anonymous, url, 405, method=method, language="en") == {
        "detail": f'Method "{name}" not allowed.'
    }
    assert json_error(anonymous, url, 405, method=method, language="fr") == {
        "detail": f"Méthode «\u00a0{name}\u00a0» non autorisée."
    }


def _cursor(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


BAD_CURSOR = {
    "fr": "Ce curseur n’a pas été fourni par cette API\u202f; recommencez sans lui"
    " ou utilisez l’adresse «\xa0next\xa0» de la page précédente.",
    "en": "This cursor was not issued by this API; start again without it"
    " or use the “next” address of the previous page.",
}


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor(b"[" * 100_000),  # deep enough to exhaust Python's recursion limit
        _cursor(b"[" * 5_000 + b"]" * 5_000),
        "A" * 10_000,
        # Well formed, but not signed by this API: a position it never gave out.
        _cursor(b'["2026-01-01T00:00:00+00:00", 1]'),
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_hostile_cursor_is_a_400(anonymous, directory, cursor, language):
    url = f"/api/v1/enterprises/?cursor={cursor}"
    assert json_error(anonymous, url, 400, language=language)["errors"] == {
        "cursor": [BAD_CURSOR[language]]
    }


@pytest.mark.urls("tests.ops.error_urls")
@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("en", "Server error: the request failed; please try again later."),
        ("fr", "Erreur du serveur\u00a0: la requête a échoué; réessayez plus tard."),
    ],
)
def test_server_error_under_the_api_is_json(language, detail):
    client = Client(raise_request_exception=False)
    assert json_error(client, "/api/broken", 500, language=language) == {"detail": detail}


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("en", "Bad request: the address could not be read."),
        ("fr", "Requête incorrecte\xa0: l’adresse n’a pas pu être lue."),
    ],
)
def test_bad_request_under_the_api_is_json(language, detail):
    """A host outside ALLOWED_HOSTS is refused by Django itself, before any view."""
    client = Client(raise_request_exception=False, HTTP_HOST="elsewhere.example")
    assert json_error(client, "/api/v1/enterprises/", 400, language=language) == {"detail": detail}
