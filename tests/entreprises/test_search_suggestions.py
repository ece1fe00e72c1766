"""A search that finds nothing offers the closest words and sectors, in both languages."""

import re
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.urls import reverse
from django.utils import translation

from common.public_cache import kept_for_key
from entreprises.enums import Status
from entreprises.models import Enterprise, Sector
from entreprises.search import corrected_words, vocabulary_words
from entreprises.selectors import _search_vocabulary, search_suggestions
from entreprises.services import refresh_search_vectors, set_sectors
from tests.factories import EnterpriseFactory
from tests.helpers import body_of, captured_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(reference_data):
    for slug, name_fr, name_en in [
        ("habitation", "Coopérative d'habitation Les Pignons", "Les Pignons Housing Co-operative"),
        ("services-de-garde-famille", "CPE Les Petits Pas", "Les Petits Pas Childcare Centre"),
        ("agroalimentaire", "Boulangerie du Fleuve", "Fleuve Bakery"),
    ]:
        enterprise = EnterpriseFactory(name_fr=name_fr, name_en=name_en, city="Rimouski")
        set_sectors(enterprise=enterprise, primary=Sector.objects.get(slug=slug))
    refresh_search_vectors()


def directory(client, language, q):
    with translation.override(language):
        url = reverse("entreprises:directory")
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    return url, body_of(response).decode()


def test_an_unknown_word_becomes_the_closest_known_one():
    vocabulary = ["habitation", "habit", "logement", "rimouski"]
    assert corrected_words(["habitaton", "rimouksi"], vocabulary) == ["habitation", "rimouski"]
    assert corrected_words(["logement"], vocabulary) == ["logement"]
    assert corrected_words(["zzzzq"], vocabulary) == ["zzzzq"]


@pytest.mark.parametrize(
    ("q", "query", "sectors"),
    [
        ("habitaton", "habitation", ["habitation"]),
        ("logemnt", "logement", ["habitation"]),
        ("Housng", "housing", ["habitation"]),
        ("garderi", "garderie", ["services-de-garde-famille"]),
        ("daycar", "daycare", ["services-de-garde-famille"]),
        ("boulangrie rimouksi", "boulangerie rimouski", []),
        ("zzzzq", "", []),
    ],
)
def test_suggestions(corpus, q, query, sectors):
    suggestions = search_suggestions(q=q)
    assert suggestions.query == query
    assert [sector.slug for sector in suggestions.sectors] == sectors


def test_a_suggestion_always_finds_something(corpus):
    # "xylophone" is near no word of the index, so nothing is offered.
    assert not search_suggestions(q="xylophone")


@pytest.mark.parametrize(
    ("language", "did_you_mean", "close", "sector_name", "map_link"),
    [
        (
            "fr",
            "Vouliez-vous dire",
            "Secteurs proches de votre recherche\xa0:",
            "Habitation",
            "Afficher ces résultats sur la carte",
        ),
        (
            "en",
            "Did you mean",
            "Sectors close to your search:",
            "Housing",
            "Show these results on the map",
        ),
    ],
)
def test_empty_page_offers_a_spelling_and_sectors_and_no_map(
    client, corpus, language, did_you_mean, close, sector_name, map_link
):
    url, html = directory(client, language, "habitaton")
    assert f'{did_you_mean} <a href="{url}?q=habitation">habitation</a>' in html
    assert close in html
    assert f'<a href="{url}?sector=habitation">{sector_name}</a>' in html
    assert map_link not in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_page_with_results_offers_the_map_and_no_suggestion(client, corpus, language):
    url, html = directory(client, language, "habitation")
    with translation.override(language):
        map_url = reverse("entreprises:map")
    assert f'href="{map_url}?q=habitation"' in html
    assert "no-results" not in html


def test_nothing_near_is_just_the_empty_list(client, corpus):
    _url, html = directory(client, "fr", "xylophone")
    assert "no-results" not in html
    assert re.search(r"Aucune entreprise ne correspond", html), html[-2000:]


def test_a_hostile_query_is_escaped_in_the_suggestion(client, corpus):
    _url, html = directory(client, "en", "<script>habitaton")
    assert "<script>habitaton" not in html
    assert '?q=script+habitation">script habitation</a>' in html or "no-results" not in html


# The vocabulary: kept for SEARCH_VOCABULARY_SECONDS whatever changes, made again by one
# request at a time once its response is sent. Committed for real, as in production.

VOCABULARY_TURN = f"{kept_for_key('search-vocabulary')}:turn"


@pytest.fixture
def kept_vocabulary(settings):
    """The vocabulary kept as in production; the cache outlives a transactional test."""
    settings.SEARCH_VOCABULARY_SECONDS = 300
    cache.delete_many([kept_for_key("search-vocabulary"), VOCABULARY_TURN])
    yield
    cache.delete_many([kept_for_key("search-vocabulary"), VOCABULARY_TURN])


def vocabulary_older_than_its_time() -> None:
    """The kept vocabulary as it is once SEARCH_VOCABULARY_SECONDS (300) have passed: its
    `made_at` moved back, where a sleep past a short time would race a loaded machine."""
    key = kept_for_key("search-vocabulary")
    kept = cache.get(key)
    cache.set(key, {**kept, "made_at": kept["made_at"] - 301}, None)


def did_you_mean(client, q: str) -> tuple[str, int]:
    """The spelling a French page offers for `q` ("" for none), and how many reads of every
    search vector (the vocabulary made) the request cost, after its response included."""
    with captured_queries() as captured:
        _url, html = directory(client, "fr", q)
    offered = re.search(r'Vouliez-vous dire <a href="[^"]*">([^<]*)</a>', html)
    scans = [query for query in captured if "ts_stat" in query["sql"]]
    return (offered[1] if offered else ""), len(scans)


def vocabulary_made(client) -> None:
    """The first request that needs the vocabulary: made once its answer is sent, the
    answer offering no spelling (the near sectors only); the next ones use it."""
    assert did_you_mean(client, "habitaton") == ("", 1)
    assert did_you_mean(client, "habitaton") == ("habitation", 0)


def fromagerie_published() -> None:
    newcomer = EnterpriseFactory(name_fr="Fromagerie du Bic", name_en="", city="Rimouski")
    set_sectors(enterprise=newcomer, primary=Sector.objects.get(slug="agroalimentaire"))
    refresh_search_vectors()


@pytest.mark.django_db(transaction=True)
def test_a_new_word_is_offered_once_the_vocabulary_is_older_than_its_time(
    client, corpus, kept_vocabulary
):
    vocabulary_made(client)
    assert did_you_mean(client, "fromagrie") == ("", 0)
    # A change does not make it again: a save a second would otherwise keep a worker busy.
    fromagerie_published()
    assert did_you_mean(client, "fromagrie") == ("", 0)
    vocabulary_older_than_its_time()
    # Older than its time: this answer still uses it, and the vocabulary is made again
    # once the answer is sent; the next one offers the new word.
    assert did_you_mean(client, "fromagrie") == ("", 1)
    assert did_you_mean(client, "fromagrie") == ("fromagerie", 0)
    assert did_you_mean(client, "habitaton") == ("habitation", 0)


@pytest.mark.django_db(transaction=True)
def test_a_removed_word_is_never_offered_even_while_the_vocabulary_holds_it(
    client, corpus, kept_vocabulary
):
    fromagerie_published()
    vocabulary_made(client)
    assert did_you_mean(client, "fromagrie") == ("fromagerie", 0)
    Enterprise.objects.filter(name_fr="Fromagerie du Bic").update(status=Status.ARCHIVED)
    # An offer is made only when its search finds something, read at every request.
    assert did_you_mean(client, "fromagrie") == ("", 0)


@pytest.mark.django_db(transaction=True)
def test_the_vocabulary_is_made_again_only_once_the_answer_is_sent(client, corpus, kept_vocabulary):
    """Called as gunicorn calls the portal: the body read in full and sent, then close()."""
    vocabulary_made(client)
    fromagerie_published()
    vocabulary_older_than_its_time()
    environ = {"PATH_INFO": "/fr/entreprises/", "QUERY_STRING": "q=fromagrie"}
    setup_testing_defaults(environ)
    started = []
    with captured_queries() as captured:
        result = WSGIHandler()(
            environ, lambda *status_and_headers: started.append(status_and_headers)
        )
        sent = b"".join(result)
        scans_before_close = sum("ts_stat" in query["sql"] for query in captured)
        assert cache.get(VOCABULARY_TURN) == 1
        result.close()
    [(status, headers)] = started
    # Whole once its length is read: the visitor does not wait for the vocabulary.
    assert (status, ("Content-Length", str(len(sent))) in headers) == ("200 OK", True)
    assert "Vouliez-vous dire" not in sent.decode()
    assert (scans_before_close, sum("ts_stat" in q["sql"] for q in captured)) == (0, 1)
    assert cache.get(VOCABULARY_TURN) is None
    assert did_you_mean(client, "fromagrie") == ("fromagerie", 0)


@pytest.mark.django_db(transaction=True)
def test_one_request_at_a_time_makes_the_vocabulary_again(client, corpus, kept_vocabulary):
    vocabulary_made(client)
    fromagerie_published()
    vocabulary_older_than_its_time()
    # Another request is making it: every other one uses the previous vocabulary.
    assert cache.add(VOCABULARY_TURN, 1, 30)
    assert did_you_mean(client, "fromagrie") == ("", 0)
    assert did_you_mean(client, "habitaton") == ("habitation", 0)
    cache.delete(VOCABULARY_TURN)
    assert did_you_mean(client, "fromagrie") == ("", 1)
    assert did_you_mean(client, "fromagrie") == ("fromagerie", 0)


@pytest.mark.django_db(transaction=True)
def test_no_visitor_waits_for_the_vocabulary_even_before_it_exists(client, corpus, kept_vocabulary):
    """Never made, or culled from the cache: made after an answer, never before one."""
    assert cache.add(VOCABULARY_TURN, 1, 30)
    # Another request is making it: no spelling offered meanwhile, the sectors still are.
    _url, html = directory(client, "en", "habitaton")
    assert "Did you mean" not in html
    assert '<a href="/en/enterprises/?sector=habitation">Housing</a>' in html
    cache.delete(VOCABULARY_TURN)
    vocabulary_made(client)
    cache.delete(kept_for_key("search-vocabulary"))
    vocabulary_made(client)


# With the page cache on: a page made while the vocabulary is missing or older than its
# time is kept, but as stale, so that it is made again once the vocabulary is, rather
# than served without the spelling for up to PUBLIC_CACHE_SECONDS.


@pytest.fixture
def page_cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    settings.PUBLIC_CACHE_STALE_SECONDS = 10
    cache.clear()
    yield
    cache.clear()


def offered_and_cached(client, q: str) -> tuple[str, str]:
    """The spelling a French page offers for `q` ("" for none), and how the page cache
    answered it."""
    with translation.override("fr"):
        response = client.get(reverse("entreprises:directory"), {"q": q})
    assert response.status_code == 200
    offered = re.search(
        r'Vouliez-vous dire <a href="[^"]*">([^<]*)</a>', body_of(response).decode()
    )
    return (offered[1] if offered else ""), response["X-Cache"]


@pytest.mark.django_db(transaction=True)
def test_a_page_made_before_the_vocabulary_existed_is_made_again_once_it_does(
    client, corpus, kept_vocabulary, page_cache_on
):
    # Made without a spelling; the vocabulary made once the answer is sent.
    assert offered_and_cached(client, "habitaton") == ("", "miss")
    # Kept as stale: served once more while the request taking the turn makes it again.
    assert offered_and_cached(client, "habitaton") == ("", "stale")
    assert offered_and_cached(client, "habitaton") == ("habitation", "hit")


@pytest.mark.django_db(transaction=True)
def test_a_page_made_with_a_vocabulary_older_than_its_time_is_made_again_once_it_is_new(
    client, corpus, kept_vocabulary, page_cache_on
):
    # Outside a request, the vocabulary is made at once.
    assert search_suggestions(q="habitaton").query == "habitation"
    fromagerie_published()
    vocabulary_older_than_its_time()
    assert offered_and_cached(client, "fromagrie") == ("", "miss")
    assert offered_and_cached(client, "fromagrie") == ("", "stale")
    assert offered_and_cached(client, "fromagrie") == ("fromagerie", "hit")


def test_the_vocabulary_holds_the_published_enterprises_written_words_most_frequent_first(
    corpus,
):
    EnterpriseFactory(name_fr="Brouillon secret", status=Status.DRAFT)
    refresh_search_vectors()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme FROM entreprises_enterprise,"
            " unnest(tsvector_to_array(search_vector)) AS lexeme WHERE status = 'published'"
            " GROUP BY lexeme ORDER BY count(*) DESC, lexeme"
        )
        counted = [row[0] for row in cursor.fetchall()]

    vocabulary = _search_vocabulary()

    assert vocabulary == vocabulary_words(counted)
    assert vocabulary[:2] == ["les", "rimouski"]
    assert {"habitation", "daycare", "garderie"} <= set(vocabulary)
    assert not {"brouillon", "secret"} & set(vocabulary)
    assert not [word for word in vocabulary if word.startswith(("fr_", "en_", "syn_"))]
