"""Strict and predictable: unknown or repeated parameters, Accept q values, time zones, cursors."""

import pytest

from tests.helpers import json_of

pytestmark = pytest.mark.django_db

LIST_PARAMETERS = (
    "bbox, cursor, format, lang, legal_form, near, page_size, pole, q, radius_km, region, sector,"
    " status, updated_since"
)
UNKNOWN = {
    "en": "Unknown parameter: this address takes {names}.",
    "fr": "Paramètre inconnu\u00a0: cette adresse accepte {names}.",
}
ONCE = {"en": "Give this parameter once.", "fr": "Indiquez ce paramètre une seule fois."}
DETAIL = {"en": "Invalid value for: {names}.", "fr": "Valeur non valide pour\u00a0: {names}."}


def error(client, url, *, language="en", **headers):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, **headers)
    assert response["Content-Type"] == "application/json"
    return json_of(response, status=400)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_misspelt_filter_is_a_400_naming_it(anonymous, directory, language):
    body = error(anonymous, "/api/v1/enterprises/?sectors=habitation&regionn=06", language=language)
    message = UNKNOWN[language].format(names=LIST_PARAMETERS)
    assert body == {
        "detail": DETAIL[language].format(names="sectors, regionn"),
        "errors": {"sectors": [message], "regionn": [message]},
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_detail_takes_only_format_and_lang(anonymous, directory, language):
    body = error(anonymous, "/api/v1/enterprises/envol/?region=06", language=language)
    assert body["errors"] == {"region": [UNKNOWN[language].format(names="format, lang")]}


def test_reference_lists_take_paging_format_and_lang(anonymous, directory):
    body = error(anonymous, "/api/v1/regions/?sector=habitation")
    names = "cursor, format, lang, page_size"
    assert body["errors"] == {"sector": [UNKNOWN["en"].format(names=names)]}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("format=json&format=csv", "format"),
        ("lang=fr&lang=en", "lang"),
        ("page_size=1&page_size=2", "page_size"),
        ("q=a&q=b", "q"),
        ("updated_since=2026-01-01T00:00:00Z&updated_since=2026-01-02T00:00:00Z", "updated_since"),
    ],
)
def test_single_value_parameter_given_twice_is_a_400(anonymous, directory, query, name, language):
    body = error(anonymous, f"/api/v1/enterprises/?{query}", language=language)
    assert body == {
        "detail": DETAIL[language].format(names=name),
        "errors": {name: [ONCE[language]]},
    }


def test_multi_value_filters_may_still_be_repeated(anonymous, directory):
    response = anonymous.get("/api/v1/enterprises/?region=06&region=03&sector=habitation")
    assert [row["slug"] for row in json_of(response)["results"]] == ["envol"]


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("text/csv;q=0.5, application/json;q=0.4", "text/csv; charset=utf-8"),
        ("application/json;q=0, */*", "text/csv; charset=utf-8"),
        ("application/ld+json;q=0.9, application/geo+json", "application/geo+json"),
        ("application/*;q=0.2, application/ld+json;q=0.3", "application/ld+json"),
        ("*/*", "application/json"),
        ("text/html, */*;q=0.8", "application/json"),
        ("", "application/json"),
    ],
)
def test_accept_header_q_values_choose_the_format(anonymous, directory, accept, content_type):
    response = anonymous.get("/api/v1/enterprises/", HTTP_ACCEPT=accept)
    assert (response.status_code, response["Content-Type"]) == (200, content_type)


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("en", "Could not satisfy the request Accept header."),
        ("fr", "L'en-tête « Accept » n'a pas pu être satisfaite."),
    ],
)
@pytest.mark.parametrize(
    "accept", ["application/json;q=0", "*/*;q=0", "application/json;q=0, text/html"]
)
def test_accept_with_only_q0_for_what_is_offered_is_a_406(
    anonymous, directory, accept, language, detail
):
    response = anonymous.get(
        "/api/v1/regions/",
        HTTP_ACCEPT=accept,
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response["Content-Type"] == "application/json"
    assert json_of(response, status=406) == {"detail": detail}


def test_format_parameter_wins_over_accept(anonymous, directory):
    response = anonymous.get("/api/v1/enterprises/?format=csv", HTTP_ACCEPT="application/json")
    assert (response.status_code, response["Content-Type"]) == (200, "text/csv; charset=utf-8")


NAIVE = {
    "en": "Give the time zone too, e.g. 2026-01-31T12:00:00Z or 2026-01-31T07:00:00-05:00.",
    "fr": "Indiquez aussi le fuseau horaire, par exemple 2026-01-31T12:00:00Z ou"
    " 2026-01-31T07:00:00-05:00.",
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_updated_since_without_a_time_zone_is_a_400(anonymous, directory, language):
    body = error(
        anonymous, "/api/v1/enterprises/?updated_since=2026-01-01T12:00:00", language=language
    )
    assert body["errors"] == {"updated_since": [NAIVE[language]]}


def test_updated_since_with_an_offset_is_read_in_utc(anonymous, directory):
    response = anonymous.get("/api/v1/enterprises/?updated_since=2000-01-01T07:00:00-05:00")
    assert {row["slug"] for row in json_of(response)["results"]} == {"envol", "marche"}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "This cursor was not issued by this API; start again without it"
            " or use the “next” address of the previous page.",
        ),
        (
            "fr",
            "Ce curseur n’a pas été fourni par cette API\u202f; recommencez sans lui"
            " ou utilisez l’adresse «\xa0next\xa0» de la page précédente.",
        ),
    ],
)
@pytest.mark.parametrize("url", ["/api/v1/enterprises/?cursor=", "/api/v1/sectors/?cursor="])
def test_empty_cursor_is_a_400(anonymous, directory, url, language, message):
    assert error(anonymous, url, language=language)["errors"] == {"cursor": [message]}


def test_redirect_to_the_slashed_address_has_a_json_body(anonymous, directory):
    response = anonymous.get("/api/v1/enterprises?region=06", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"] == "application/json"
    assert json_of(response, status=301) == {
        "detail": "Moved: addresses of the API end with a slash, as in"
        " /api/v1/enterprises/?region=06."
    }
