"""The database cache, once past MAX_ENTRIES, culls the entries that expire soonest:
never the public cache's generation, nor the data derived per generation before pages."""

import pytest
from django.core.cache import cache
from django.db import connection

from common.public_cache import GENERATION_KEY, derived_until_change

MAX_ENTRIES = 30


def use_small_cache(settings, **options) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "common.database_cache.ExpiryCulledDatabaseCache",
            "LOCATION": "portail_cache",
            "OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES, **options},
        }
    }
    cache.clear()


@pytest.fixture(autouse=True)
def small_cache(settings):
    use_small_cache(settings)


def rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM portail_cache")
        return cursor.fetchone()[0]


def page(number: int) -> str:
    return f"public-cache:response:{number:03}"


def kept_pages() -> list[int]:
    found = cache.get_many([page(number) for number in range(100)])
    return sorted(int(key.rsplit(":", 1)[1]) for key in found)


def generation_and_derived_value() -> str:
    """Makes the generation and one entry derived under it, as the directory's facets do."""
    assert derived_until_change("facets", ("q",), lambda: "kept") == "kept"
    return cache.get(GENERATION_KEY)


@pytest.mark.django_db
def test_full_cache_culls_the_pages_expiring_soonest_and_keeps_the_generation():
    generation = generation_and_derived_value()
    # Pages expiring one second apart, the first soonest; the 30th finds 31 rows.
    for number in range(MAX_ENTRIES - 1):
        cache.set(page(number), b"<html>", 100 + number)
    assert rows() == MAX_ENTRIES + 1

    cache.set(page(29), b"<html>", 129)

    assert cache.get(GENERATION_KEY) == generation
    # Still the same generation's value: nothing is computed again.
    assert derived_until_change("facets", ("q",), lambda: "computed again") == "kept"
    # A third of the 31 rows went (10), then the page was written.
    assert rows() == 22
    assert kept_pages() == list(range(10, 30))


@pytest.mark.django_db
def test_expired_entries_culled_first_and_alone_when_enough():
    generation = generation_and_derived_value()
    for number in range(12):
        cache.set(page(number), b"<html>", 0)  # already expired
    for number in range(12, 29):
        cache.set(page(number), b"<html>", 300)
    assert rows() == MAX_ENTRIES + 1

    cache.set(page(29), b"<html>", 300)

    # The 12 expired rows went; 19 were left, under the limit, so nothing live went.
    assert rows() == 20
    assert kept_pages() == list(range(12, 30))
    assert cache.get(GENERATION_KEY) == generation


@pytest.mark.django_db
def test_cull_frequency_zero_empties_the_cache(settings):
    use_small_cache(settings, CULL_FREQUENCY=0)
    generation_and_derived_value()
    for number in range(MAX_ENTRIES - 1):
        cache.set(page(number), b"<html>", 300)
    assert rows() == MAX_ENTRIES + 1

    cache.set(page(29), b"<html>", 300)

    # As Django's own: CULL_FREQUENCY 0 empties the whole cache.
    assert rows() == 1
    assert kept_pages() == [29]
