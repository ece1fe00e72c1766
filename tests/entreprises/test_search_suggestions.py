"""A search that finds nothing offers the closest words and sectors, in both languages."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from entreprises.models import Sector
from entreprises.search import corrected_words
from entreprises.selectors import search_suggestions
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


@pytest.mark.django_db(transaction=True)
def test_the_vocabulary_is_kept_until_a_record_changes_even_with_the_page_cache_off(
    corpus, settings
):
    """The "did you mean" pages look words up in the whole index's vocabulary: a scan of
    every published record, made once per change of the data, not once per request."""
    settings.PUBLIC_CACHE_SECONDS = 0

    def vocabulary_scans(q):
        with captured_queries() as captured:
            suggestions = search_suggestions(q=q)
        scans = [query for query in captured if "tsvector_to_array" in query["sql"]]
        return suggestions, len(scans)

    first, scans = vocabulary_scans("habitaton")
    assert (first.query, scans > 0) == ("habitation", True)
    assert vocabulary_scans("habitaton") == (first, 0)
    assert vocabulary_scans("fromagrie") == (search_suggestions(q="fromagrie"), 0)
    assert search_suggestions(q="fromagrie").query == ""

    # The change starts a new generation when it commits (here, at once: no transaction).
    newcomer = EnterpriseFactory(name_fr="Fromagerie du Bic", name_en="", city="Rimouski")
    set_sectors(enterprise=newcomer, primary=Sector.objects.get(slug="agroalimentaire"))
    refresh_search_vectors()
    suggestions, scans = vocabulary_scans("fromagrie")
    assert (suggestions.query, scans > 0) == ("fromagerie", True)
    assert vocabulary_scans("fromagrie") == (suggestions, 0)
