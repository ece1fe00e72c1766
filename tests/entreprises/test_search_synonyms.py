"""Sector synonyms in the search index: a query and its translation find the same enterprises."""

import pytest

from entreprises.models import Sector
from entreprises.search import match_query
from entreprises.selectors import DirectoryFilters, search_enterprises
from entreprises.services import refresh_search_vectors, set_sectors
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def by_sector(reference_data):
    def made(slug, name_fr, name_en):
        enterprise = EnterpriseFactory(name_fr=name_fr, name_en=name_en)
        set_sectors(enterprise=enterprise, primary=Sector.objects.get(slug=slug))
        return enterprise

    made_now = {
        "coop": made("habitation", "Coopérative Les Pignons", "Les Pignons Co-operative"),
        "osbl": made("habitation", "Les Toits du Fleuve", "Les Toits du Fleuve"),
        "cpe": made("services-de-garde-famille", "Les Petits Pas", "Les Petits Pas"),
        "media": made("medias-communications", "Maison des médias", "Media House"),
        "clinic": made("sante-services-sociaux", "Service de santé", "Health Service"),
    }
    refresh_search_vectors()
    return made_now


def found(q):
    return sorted(e.name_fr for e in search_enterprises(filters=DirectoryFilters(q=q)))


HOUSING = ["Coopérative Les Pignons", "Les Toits du Fleuve"]


@pytest.mark.parametrize(
    "q",
    [
        "habitation",
        "logement",
        "logements",
        "housing",
        "Housing",
        "coopérative d'habitation",
        "housing co-operative",
        "social housing",
        "logement social",
        "HLM",
    ],
)
def test_housing_in_either_language_finds_the_same_enterprises(by_sector, q):
    assert found(q) == HOUSING


@pytest.mark.parametrize(
    "q",
    [
        "garderie",
        "CPE",
        "service de garde",
        "centre de la petite enfance",
        "childcare",
        "daycare",
        "day care",
        "child care",
    ],
)
def test_childcare_in_either_language_finds_the_same_enterprises(by_sector, q):
    assert found(q) == ["Les Petits Pas"]


def test_a_word_of_a_phrase_does_not_bring_the_whole_sector(by_sector):
    # "centre de la petite enfance" is a childcare synonym; "centre" alone is not.
    assert found("centre") == []
    assert found("petite enfance") == ["Les Petits Pas"]
    # "coopérative d'habitation" is a housing synonym; "coopérative" alone is not.
    assert found("cooperative") == ["Coopérative Les Pignons"]


def test_the_house_of_media_is_not_housing(by_sector):
    assert "Maison des médias" not in found("housing")
    assert found("house") == ["Maison des médias"]


def test_a_whole_query_is_also_looked_up_as_a_synonym():
    assert match_query(("service", "garde")) == (
        "(('service':* | 'syn_service' | 'fr_servic' | 'en_servic')"
        " & ('garde':* | 'syn_garde' | 'fr_gard' | 'en_gard')) | 'syn_service garde'"
    )


def test_a_changed_synonym_reaches_the_index(by_sector):
    assert found("foyer") == []
    sector = Sector.objects.get(slug="habitation")
    sector.synonyms_fr += ", foyer"
    sector.save()
    assert found("foyer") == HOUSING


def test_english_page_finds_the_same(by_sector, client):
    from django.utils import translation

    with translation.override("en"):
        assert found("garderie") == found("daycare") == ["Les Petits Pas"]
