"""Delivery: brotli or gzip where no secret is in the answer, Cache-Control for shared caches,
RateLimit headers, and answers served from the cache counted by the rate limit."""

import gzip
import json

import brotli
import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from rest_framework.settings import api_settings

from chantier.api_access import AnonymousRateThrottle
from chantier.models import RateWindow
from tests.helpers import body_of, json_of

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"


def rates(anonymous: str, key: str = "1000/minute"):
    config = {**api_settings.user_settings}
    config["DEFAULT_THROTTLE_RATES"] = {"anonymous": anonymous, "key": key}
    return override_settings(REST_FRAMEWORK=config)


def window(key: str) -> tuple[float, int]:
    """When a caller's rate window opened (seconds since the epoch), and what it counted."""
    kept = RateWindow.objects.get(key=key)
    return kept.opened_at.timestamp(), kept.count


def vary(response) -> set[str]:
    return {part.strip() for part in response["Vary"].split(",")}


@pytest.mark.parametrize("url", [LIST, f"{LIST}?format=csv", f"{LIST}?format=geojson"])
def test_api_answers_are_gzipped_when_asked_streamed_ones_too(anonymous, directory, url):
    plain = body_of(anonymous.get(url))
    response = anonymous.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in vary(response)
    assert gzip.decompress(body_of(response)) == plain


@pytest.mark.parametrize("url", [LIST, f"{LIST}?format=csv", f"{LIST}?format=geojson"])
def test_api_answers_are_brotli_compressed_when_asked_streamed_ones_too(anonymous, directory, url):
    plain = body_of(anonymous.get(url))
    response = anonymous.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in vary(response)
    assert brotli.decompress(body_of(response)) == plain


@pytest.mark.parametrize(
    ("accept_encoding", "coding"),
    [("br;q=0, gzip", "gzip"), ("gzip;q=0", None), ("BR", "br"), ("identity", None)],
)
def test_quality_values_of_accept_encoding_are_honoured(
    anonymous, directory, accept_encoding, coding
):
    response = anonymous.get("/en/", HTTP_ACCEPT_ENCODING=accept_encoding)
    assert response.get("Content-Encoding") == coding
    decompress = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[coding]
    assert b"<html" in decompress(response.content)


def test_no_gzip_without_accept_encoding(anonymous, directory):
    assert "Content-Encoding" not in anonymous.get(LIST)


def test_public_page_is_gzipped(anonymous, directory):
    response = anonymous.get("/en/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.content)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/login/",
        "/en/contribute/add-an-enterprise/",
        "/fr/contribuer/ajouter-une-entreprise/",
    ],
)
def test_page_with_a_csrf_token_is_not_compressed(anonymous, path):
    """BREACH: a secret echoed in a compressed answer leaks through its size. The public
    forms are the ones that matter: the admin's sign-in page is also never cached."""
    response = anonymous.get(path, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response


def test_personal_answers_are_private_and_not_gzipped(personas):
    staff = personas.client_for(personas.staff_a)
    response = staff.get(f"{LIST}?status=draft", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert response["Cache-Control"] == "private, no-cache"


@override_settings(API_CACHE_MAX_AGE=60, API_STALE_WHILE_REVALIDATE=300)
@pytest.mark.parametrize("url", [LIST, f"{LIST}envol/", f"{LIST}ancienne/", "/api/v1/poles/"])
def test_public_answers_may_be_kept_by_shared_caches(anonymous, directory, url):
    response = anonymous.get(url)
    assert response.status_code in (200, 410)
    assert response["Cache-Control"] == "public, max-age=60, stale-while-revalidate=300"
    assert {"Accept", "Accept-Language", "Cookie"} <= vary(response)


def test_bad_requests_and_limits_are_not_kept(anonymous, directory):
    response = anonymous.get(f"{LIST}?nope=1")
    assert (response.status_code, response["Cache-Control"]) == (400, "no-store")
    with rates("1/minute"):
        anonymous.get(LIST)
        limited = anonymous.get(LIST)
    assert (limited.status_code, limited["Cache-Control"]) == (429, "no-store")


def test_ratelimit_headers_count_down(directory):
    client = Client()
    with rates("5/minute"):
        first = client.get(LIST)
        second = client.get(LIST)
    assert [first["RateLimit-Limit"], first["RateLimit-Remaining"]] == ["5", "4"]
    assert [second["RateLimit-Limit"], second["RateLimit-Remaining"]] == ["5", "3"]
    assert second["RateLimit-Policy"] == "5;w=60"
    assert 0 < int(second["RateLimit-Reset"]) <= 60


@pytest.mark.parametrize(
    ("language", "start"),
    [("en", "Request was throttled."), ("fr", "Requête ralentie.")],
)
def test_answers_from_the_cache_count_against_the_limit(directory, settings, language, start):
    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    client = Client()
    with rates("3/minute"):
        assert "X-Cache" in client.get(LIST, HTTP_ACCEPT_LANGUAGE=language)
        hits = [client.get(LIST, HTTP_ACCEPT_LANGUAGE=language) for _ in range(2)]
        assert [r["X-Cache"] for r in hits] == ["hit", "hit"]
        assert [r["RateLimit-Remaining"] for r in hits] == ["1", "0"]
        refused = client.get(LIST, HTTP_ACCEPT_LANGUAGE=language)
    assert refused["Content-Type"] == "application/json"
    assert json.loads(refused.content)["detail"].startswith(start)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["RateLimit-Remaining"] == "0"


def test_cached_answer_keeps_gzip_and_its_own_rate_headers(directory, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    client = Client()
    with rates("10/minute"):
        first = client.get(LIST, HTTP_ACCEPT_ENCODING="gzip")
        hit = client.get(LIST, HTTP_ACCEPT_ENCODING="gzip")
    assert hit["X-Cache"] == "hit"
    assert hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(hit.content) == gzip.decompress(first.content)
    assert (first["RateLimit-Remaining"], hit["RateLimit-Remaining"]) == ("9", "8")
    assert json_of(client.get(LIST))["results"][0]["slug"] == "envol"


def test_rate_window_keeps_two_numbers_and_opens_again_when_it_closes(directory, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(AnonymousRateThrottle, "timer", lambda self: clock[0])
    client = Client()
    with rates("1000/minute"):
        answers = [client.get(LIST) for _ in range(3)]
        # What is kept per caller does not grow with the limit: when, and how many.
        assert window("anonymous:127.0.0.1") == (1_000_000.0, 3)
        clock[0] += 59
        late = client.get(LIST)
        clock[0] += 1  # the window opened 60 s ago: a new one opens
        fresh = client.get(LIST)
    assert [r["RateLimit-Remaining"] for r in answers] == ["999", "998", "997"]
    assert answers[-1]["RateLimit-Reset"] == "60"
    assert (late["RateLimit-Remaining"], late["RateLimit-Reset"]) == ("996", "1")
    assert (fresh["RateLimit-Remaining"], fresh["RateLimit-Reset"]) == ("999", "60")
    assert window("anonymous:127.0.0.1") == (1_000_060.0, 1)


def test_remaining_never_below_zero_when_the_limit_is_lowered(directory):
    client = Client()
    with rates("5/minute"):
        for _ in range(4):
            client.get(LIST)
    with rates("2/minute"):
        refused = client.get(LIST)
    assert (refused.status_code, refused["RateLimit-Remaining"]) == (429, "0")


def test_refused_caller_is_told_when_the_window_closes(directory, monkeypatch):
    clock = [2_000_000.0]
    monkeypatch.setattr(AnonymousRateThrottle, "timer", lambda self: clock[0])
    client = Client()
    with rates("2/minute"):
        client.get(LIST)
        clock[0] += 20
        client.get(LIST)
        clock[0] += 15
        refused = client.get(LIST)
        clock[0] += 25
        again = client.get(LIST)
    assert (refused.status_code, refused["Retry-After"], refused["RateLimit-Reset"]) == (
        429,
        "25",
        "25",
    )
    assert (again.status_code, again["RateLimit-Remaining"]) == (200, "1")


@pytest.mark.parametrize(
    ("accept", "coding", "decompress"),
    [
        ("gzip, deflate, br", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("br;q=0, gzip", "gzip", gzip.decompress),
    ],
)
def test_answers_are_kept_compressed_and_a_hit_compresses_nothing(
    directory, settings, monkeypatch, accept, coding, decompress
):
    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    client = Client()
    made = client.get(LIST, HTTP_ACCEPT_ENCODING=accept)
    assert (made["X-Cache"], made["Content-Encoding"]) == ("miss", coding)

    def refuse(*args, **kwargs):
        raise AssertionError("a hit compressed its answer again")

    monkeypatch.setattr(brotli, "compress", refuse)
    monkeypatch.setattr("django.middleware.gzip.compress_string", refuse)
    hit = client.get(LIST, HTTP_ACCEPT_ENCODING=accept)
    assert (hit["X-Cache"], hit["Content-Encoding"]) == ("hit", coding)
    assert hit.content == made.content
    assert hit["Content-Length"] == str(len(made.content))
    assert json.loads(decompress(hit.content))["results"][0]["slug"] == "envol"
    # A client that accepts no compression has its own answer, kept plain.
    plain = client.get(LIST)
    assert (plain["X-Cache"], plain.get("Content-Encoding")) == ("miss", None)
    assert client.get(LIST)["X-Cache"] == "hit"
