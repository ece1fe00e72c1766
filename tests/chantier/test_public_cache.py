"""The cache of anonymous public responses: per language, forgotten when a record changes."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client

from common.public_cache import cacheable_response, invalidate_public_cache
from entreprises.models import Enterprise
from entreprises.selectors import DirectoryFilters, facet_counts
from entreprises.services import refresh_search_vectors
from tests.factories import EnterpriseFactory, SectorFactory
from tests.helpers import body_of, captured_queries, get_json, json_of
from tests.personas import MODEL_BACKEND

# Committed for real: the cache forgets on commit, as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    # What is forgotten, and when; serving the previous answer meanwhile is
    # test_public_cache_staleness.py's subject.
    settings.PUBLIC_CACHE_STALE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def enterprise():
    return EnterpriseFactory(
        name_fr="Coopérative de boulangerie Le Pétrin",
        name_en="Le Pétrin Bakery Co-operative",
        slug="le-petrin",
    )


def body(response) -> str:
    return body_of(response).decode()


def test_anonymous_page_served_from_cache_without_touching_the_data(client, enterprise):
    first = client.get("/en/enterprises/le-petrin/")
    assert first["X-Cache"] == "miss"
    with captured_queries() as queries:
        second = client.get("/en/enterprises/le-petrin/")
    assert second["X-Cache"] == "hit"
    assert second.status_code == 200
    assert body_of(second) == body_of(first)
    assert "<h1>Le Pétrin Bakery Co-operative</h1>" in body(second)
    # One round trip to the cache's own table: the generation and the page together.
    assert len(queries) == 1
    assert "portail_cache" in queries.captured_queries[0]["sql"]


def test_each_language_cached_apart_with_its_headers(client, enterprise):
    for _ in range(2):
        french = client.get("/fr/entreprises/le-petrin/")
        english = client.get("/en/enterprises/le-petrin/")
    assert french["X-Cache"] == english["X-Cache"] == "hit"
    assert '<html lang="fr">' in body(french)
    assert "Coopérative de boulangerie Le Pétrin" in body(french)
    assert '<html lang="en">' in body(english)
    assert "Le Pétrin Bakery Co-operative" in body(english)
    assert french["Content-Language"] == "fr" and english["Content-Language"] == "en"
    assert french["Content-Type"] == "text/html; charset=utf-8"


def test_same_path_cached_per_negotiated_language(client, enterprise):
    """Routes outside /fr/ and /en/ (such as the API) pick the language from the request."""
    french = client.get("/sitemap.xml", HTTP_ACCEPT_LANGUAGE="fr")
    fr_again = client.get("/sitemap.xml", HTTP_ACCEPT_LANGUAGE="fr")
    en_first = client.get("/sitemap.xml", HTTP_ACCEPT_LANGUAGE="en")
    assert french["X-Cache"] == "miss"
    assert fr_again["X-Cache"] == "hit"
    assert en_first["X-Cache"] == "miss"


def test_saving_a_record_refreshes_every_language(client, enterprise):
    client.get("/fr/entreprises/le-petrin/")
    client.get("/en/enterprises/le-petrin/")
    enterprise.name_fr = "Coopérative Le Pétrin renommée"
    enterprise.name_en = "Renamed Le Pétrin Co-operative"
    enterprise.save()
    french = client.get("/fr/entreprises/le-petrin/")
    english = client.get("/en/enterprises/le-petrin/")
    assert french["X-Cache"] == english["X-Cache"] == "miss"
    assert "Coopérative Le Pétrin renommée" in body(french)
    assert "Renamed Le Pétrin Co-operative" in body(english)


def test_deleting_or_relinking_a_record_refreshes_the_directory(client, enterprise):
    other = EnterpriseFactory(name_en="Bicycle Workshop", slug="bicycle")
    assert "Bicycle Workshop" in body(client.get("/en/enterprises/"))
    other.delete()
    response = client.get("/en/enterprises/")
    assert response["X-Cache"] == "miss"
    assert "Bicycle Workshop" not in body(response)
    client.get("/en/enterprises/")
    SectorFactory(name_en="Bakeries").enterprises.add(enterprise)
    assert client.get("/en/enterprises/")["X-Cache"] == "miss"


def test_bulk_update_refreshed_by_the_service(client, enterprise):
    client.get("/en/enterprises/le-petrin/")
    Enterprise.objects.filter(pk=enterprise.pk).update(name_en="Bulk-renamed Bakery")
    # A bulk update sends no signal: the cached page stays until the service is called.
    assert "Le Pétrin Bakery Co-operative" in body(client.get("/en/enterprises/le-petrin/"))
    invalidate_public_cache()
    response = client.get("/en/enterprises/le-petrin/")
    assert response["X-Cache"] == "miss"
    assert "Bulk-renamed Bakery" in body(response)


def test_logged_in_users_neither_read_nor_fill_the_cache(client, enterprise, personas):
    client.get("/en/enterprises/le-petrin/")
    client.force_login(personas.staff_a, backend=MODEL_BACKEND)
    response = client.get("/en/enterprises/le-petrin/")
    assert "X-Cache" not in response
    assert "Le Pétrin Bakery Co-operative" in body(response)
    client.get("/en/about/")
    client.logout()
    # The session cookie is gone after logout (an empty one stays in the test client).
    client.cookies.clear()
    assert client.get("/en/about/")["X-Cache"] == "miss"


def test_requests_with_csrf_cookie_or_credentials_bypass_the_cache(client, enterprise):
    client.get("/en/enterprises/le-petrin/")
    client.cookies["csrftoken"] = "a" * 32
    assert "X-Cache" not in client.get("/en/enterprises/le-petrin/")
    client.cookies.clear()
    response = client.get("/en/enterprises/le-petrin/", HTTP_AUTHORIZATION="Api-Key secret")
    assert "X-Cache" not in response


def test_responses_setting_cookies_or_private_are_not_kept():
    plain = HttpResponse("ok")
    assert cacheable_response(plain)
    with_cookie = HttpResponse("ok")
    with_cookie.set_cookie("csrftoken", "x")
    private = HttpResponse("ok", headers={"Cache-Control": "private, max-age=60"})
    missing = HttpResponse("gone", status=404)
    assert not any(cacheable_response(r) for r in (with_cookie, private, missing))


def test_health_check_and_admin_never_cached(client):
    client.get("/healthz")
    assert "X-Cache" not in client.get("/healthz")
    client.get("/admin/login/")
    assert "X-Cache" not in client.get("/admin/login/")


def test_streamed_geojson_kept_when_small_and_not_when_large(client, enterprise, settings):
    first = get_json(client, "/en/map/enterprises.geojson")
    second = client.get("/en/map/enterprises.geojson")
    assert second["X-Cache"] == "hit"
    assert second["Content-Type"] == "application/geo+json"
    assert json_of(second) == first
    assert first["features"][0]["properties"]["name"] == "Le Pétrin Bakery Co-operative"
    settings.PUBLIC_CACHE_MAX_BYTES = 10
    body_of(client.get("/fr/carte/entreprises.geojson"))
    assert client.get("/fr/carte/entreprises.geojson")["X-Cache"] == "miss"


# A pole's sector as GeoJSON or CSV is megabytes as sent to a client that accepts no
# compression, a tenth of that compressed: the limit is on what the cache holds.
@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_answer_past_the_limit_uncompressed_kept_compressed_and_served_whole(client, settings, fmt):
    EnterpriseFactory.create_batch(30)
    settings.PUBLIC_CACHE_MAX_BYTES = 4000
    url = f"/api/v1/enterprises/?format={fmt}"
    first = client.get(url)
    plain = body_of(first)
    assert (first["X-Cache"], len(plain) > 4000) == ("miss", True)
    hit = client.get(url)
    assert hit["X-Cache"] == "hit"
    assert (hit.content, hit["Content-Length"]) == (plain, str(len(plain)))
    assert (hit.get("Content-Encoding"), hit["Content-Type"]) == (None, first["Content-Type"])
    # Kept compressed, not as sent: what a client asking for brotli is sent is itself kept.
    brotli_first = client.get(url, HTTP_ACCEPT_ENCODING="br")
    assert len(body_of(brotli_first)) < 4000
    assert client.get(url, HTTP_ACCEPT_ENCODING="br")["X-Cache"] == "hit"


@pytest.mark.parametrize("coding", ["", "br"])
def test_answer_past_the_limit_even_compressed_is_served_and_not_kept(client, settings, coding):
    EnterpriseFactory.create_batch(30)
    settings.PUBLIC_CACHE_MAX_BYTES = 100
    url = "/api/v1/enterprises/?format=geojson"
    first = body_of(client.get(url, HTTP_ACCEPT_ENCODING=coding))
    again = client.get(url, HTTP_ACCEPT_ENCODING=coding)
    assert (again["X-Cache"], body_of(again)) == ("miss", first)


def test_cache_off_when_seconds_is_zero(client, enterprise, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    client.get("/en/enterprises/le-petrin/")
    assert "X-Cache" not in client.get("/en/enterprises/le-petrin/")


def test_facet_counts_shared_per_search_state_until_a_change(enterprise):
    refresh_search_vectors()
    state = DirectoryFilters(q="boulangerie")
    assert facet_counts(filters=state).total == 1
    with captured_queries() as queries:
        assert facet_counts(filters=DirectoryFilters(q="Boulangerie!")).total == 1
    assert not any("WITH base" in query["sql"] for query in queries.captured_queries)
    EnterpriseFactory(name_fr="Boulangerie coopérative du Nord", slug="nord")
    refresh_search_vectors()
    assert facet_counts(filters=state).total == 2
    Enterprise.objects.update(status="draft")
    assert facet_counts(filters=state).total == 2  # a bulk update sends no signal
    invalidate_public_cache()
    assert facet_counts(filters=state).total == 0


def test_bulk_delete_writes_the_generation_once(client, enterprise):
    EnterpriseFactory.create_batch(25)
    client.get("/en/enterprises/")
    with captured_queries() as queries:
        Enterprise.objects.all().delete()
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if "portail_cache" in query["sql"] and not query["sql"].startswith("SELECT")
    ]
    # One generation bump, when the deletion commits, however many rows go.
    assert len(writes) == 1, writes
    assert client.get("/en/enterprises/")["X-Cache"] == "miss"


def test_revalidation_answered_304_from_the_cache(client, enterprise):
    first = client.get("/api/v1/enterprises/le-petrin/")
    assert first["X-Cache"] == "miss"
    etag = first["ETag"]
    with captured_queries() as queries:
        by_etag = client.get("/api/v1/enterprises/le-petrin/", HTTP_IF_NONE_MATCH=etag)
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == etag
    # Answered from the cache: the cache's own table read once, and the request counted
    # against the caller's rate limit.
    read, count = (q["sql"] for q in queries.captured_queries)
    assert read.startswith('SELECT "cache_key", "value", "expires" FROM "portail_cache"')
    assert count.startswith("INSERT INTO chantier_ratewindow")
    stale = client.get("/api/v1/enterprises/le-petrin/", HTTP_IF_NONE_MATCH='"other"')
    assert (stale.status_code, stale["X-Cache"]) == (200, "hit")


def test_each_host_and_scheme_cached_apart(client, enterprise, settings):
    """Absolute addresses (API urls, canonical and hreflang links) name the host asked."""
    settings.ALLOWED_HOSTS = ["portail.example", "www.portail.example"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    answers = {}
    for _ in range(2):
        for host in ("portail.example", "www.portail.example"):
            for scheme in ("http", "https"):
                answers[host, scheme] = client.get(
                    "/api/v1/enterprises/le-petrin/",
                    HTTP_HOST=host,
                    HTTP_X_FORWARDED_PROTO=scheme,
                )
                page = client.get(
                    "/en/enterprises/le-petrin/", HTTP_HOST=host, HTTP_X_FORWARDED_PROTO=scheme
                )
                assert (
                    f'<link rel="canonical" href="{scheme}://{host}/en/enterprises/le-petrin/">'
                    in body_of(page).decode()
                )
    for (host, scheme), response in answers.items():
        assert response["X-Cache"] == "hit"
        data = json_of(response)
        assert data["url"] == f"{scheme}://{host}/api/v1/enterprises/le-petrin/"
        assert data["web_url"] == f"{scheme}://{host}/fr/entreprises/le-petrin/"


def test_host_outside_allowed_hosts_is_a_400_not_a_cached_answer(enterprise):
    client = Client(raise_request_exception=False, HTTP_HOST="elsewhere.example")
    for _ in range(2):
        response = client.get("/api/v1/enterprises/le-petrin/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert json_of(response, status=400) == {
            "detail": "Bad request: the address could not be read."
        }
        assert "X-Cache" not in response
