"""Cached answers also kept in the web process's memory: served without a round trip
for a second after the generation was read, this process's own changes seen at once,
another process's within that second, bounded in bytes, nothing personal."""

import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from common.public_cache import GENERATION_KEY
from common.public_cache_local import GENERATION_SECONDS, local_copies
from tests.factories import EnterpriseFactory
from tests.helpers import body_of, captured_queries

# Committed for real: the cache forgets on commit, as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {"en": "/en/enterprises/le-petrin/", "fr": "/fr/entreprises/le-petrin/"}
TITLES = {"en": "Le Pétrin Bakery Co-operative", "fr": "Coopérative de boulangerie Le Pétrin"}


@pytest.fixture(autouse=True)
def local_copies_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    settings.PUBLIC_CACHE_STALE_SECONDS = 5
    settings.PUBLIC_CACHE_LOCAL_BYTES = 1_000_000
    cache.clear()
    local_copies.clear()
    yield
    cache.clear()
    local_copies.clear()


@pytest.fixture
def enterprise():
    return EnterpriseFactory(
        name_en=TITLES["en"], name_fr=TITLES["fr"], slug="le-petrin", description_en="Bread."
    )


@pytest.fixture
def clock(monkeypatch):
    """The local copies' clock, moved forward by hand."""
    now = SimpleNamespace(value=time.monotonic())
    monkeypatch.setattr(
        "common.public_cache_local.time", SimpleNamespace(monotonic=lambda: now.value)
    )
    return now


@pytest.mark.parametrize("language", ["en", "fr"])
def test_second_hit_served_without_any_query(client, enterprise, language):
    assert client.get(PAGES[language])["X-Cache"] == "miss"
    with captured_queries() as queries:
        hit = client.get(PAGES[language])
    assert hit["X-Cache"] == "hit"
    assert f"<h1>{TITLES[language]}</h1>" in body_of(hit).decode()
    assert queries.captured_queries == []


def test_a_change_made_by_this_process_shows_at_once(client, enterprise):
    client.get(PAGES["en"])
    enterprise.name_en = "Renamed Bakery"
    enterprise.save()
    # Not the copy in memory: the shared cache is read, and the change is made there.
    stale = client.get(PAGES["en"])
    assert stale["X-Cache"] == "stale"
    fresh = client.get(PAGES["en"])
    assert fresh["X-Cache"] == "hit"
    assert "<h1>Renamed Bakery</h1>" in body_of(fresh).decode()


def test_another_processs_change_seen_once_the_second_has_passed(client, enterprise, clock):
    client.get(PAGES["fr"])
    # Another web process bumps the generation: this one's memory is not told.
    cache.set(GENERATION_KEY, "made-by-another-process", timeout=None)
    with captured_queries() as queries:
        held = client.get(PAGES["fr"])
    assert held["X-Cache"] == "hit"
    assert queries.captured_queries == []
    clock.value += GENERATION_SECONDS
    with captured_queries() as queries:
        after = client.get(PAGES["fr"])
    assert after["X-Cache"] == "stale"
    assert any("portail_cache" in query["sql"] for query in queries.captured_queries)


def test_never_served_from_memory_when_no_staleness_is_allowed(client, enterprise, settings):
    settings.PUBLIC_CACHE_STALE_SECONDS = 0
    client.get(PAGES["en"])
    with captured_queries() as queries:
        assert client.get(PAGES["en"])["X-Cache"] == "hit"
    assert [q["sql"] for q in queries.captured_queries if "portail_cache" in q["sql"]]


def test_bounded_in_bytes_least_recently_served_forgotten(client, enterprise, settings):
    one_page = len(body_of(client.get(PAGES["en"])))
    settings.PUBLIC_CACHE_LOCAL_BYTES = one_page + one_page // 2
    client.get(PAGES["en"])
    assert len(local_copies) == 1
    client.get(PAGES["fr"])
    assert len(local_copies) == 1
    with captured_queries() as queries:
        assert client.get(PAGES["en"])["X-Cache"] == "hit"
    # The English page was forgotten to make room for the French one: read again.
    assert any("portail_cache" in query["sql"] for query in queries.captured_queries)


def test_nothing_personal_kept_in_memory(client, enterprise, personas):
    client.force_login(personas.national)
    client.get(PAGES["en"])
    client.get("/en/")
    assert len(local_copies) == 0


def test_an_answer_kept_compressed_is_held_in_memory_as_served(client, settings, monkeypatch):
    # Past PUBLIC_CACHE_MAX_BYTES as sent, the shared cache keeps it brotli-compressed;
    # this process holds it decompressed, once, rather than at each hit.
    EnterpriseFactory.create_batch(30)
    settings.PUBLIC_CACHE_MAX_BYTES = 4000
    url = "/api/v1/enterprises/?format=csv"
    plain = body_of(client.get(url))
    assert len(plain) > 4000

    def no_decompression(content):
        raise AssertionError("decompressed at a hit")

    monkeypatch.setattr("common.public_cache_body.brotli.decompress", no_decompression)
    hit = client.get(url)
    assert hit["X-Cache"] == "hit"
    assert (hit.content, hit["Content-Length"]) == (plain, str(len(plain)))
