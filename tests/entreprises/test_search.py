"""Full-text search on a known corpus: accents, case, prefixes, stemming, ranking."""

import pytest
from django.db import connection

from entreprises.models import Enterprise
from entreprises.search import build_query, covering_prefixes, match_query, query_words
from entreprises.selectors import DirectoryFilters, search_enterprises
from entreprises.services import refresh_search_vectors, set_sectors
from tests.factories import EnterpriseFactory, PoleFactory, RegionFactory, SectorFactory
from tests.helpers import captured_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    housing = SectorFactory(name_fr="Habitation", name_en="Housing", slug="habitation")
    food = SectorFactory(name_fr="Agroalimentaire", name_en="Agri-food", slug="agro")
    region = RegionFactory(code="01", name_fr="Bas-Saint-Laurent", name_en="Bas-Saint-Laurent")
    pole = PoleFactory(name_fr="Pôle d'économie sociale du Bas-Saint-Laurent", regions=[region])
    made = {
        "housing_coop": EnterpriseFactory(
            name_fr="Coopérative d'habitation Les Érables",
            name_en="Les Érables Housing Co-operative",
            description_fr="Des logements abordables pour les familles.",
            city="Rimouski",
            region=region,
            pole=pole,
        ),
        "bakery": EnterpriseFactory(
            name_fr="Boulangerie solidaire Le Fournil",
            name_en="Le Fournil Solidarity Bakery",
            description_fr="Du pain, et une coopérative de travail qui forme des jeunes.",
            city="Québec",
        ),
        "theatre": EnterpriseFactory(
            name_fr="Théâtre communautaire L'Œil",
            name_en="L'Œil Community Theatre",
            mission_en="Bringing theatre to every neighbourhood.",
            city="Montréal",
        ),
        "hidden": EnterpriseFactory(name_fr="Coopérative d'habitation Brouillon", status="draft"),
    }
    set_sectors(enterprise=made["housing_coop"], primary=housing)
    set_sectors(enterprise=made["bakery"], primary=food)
    refresh_search_vectors()
    return made


def names(q, **filters):
    return [e.name_fr for e in search_enterprises(filters=DirectoryFilters(q=q, **filters))]


def test_accents_and_case_ignored(corpus):
    assert names("cooperative habitation") == ["Coopérative d'habitation Les Érables"]
    assert names("COOPÉRATIVE HABITATION") == ["Coopérative d'habitation Les Érables"]
    assert names("erables") == ["Coopérative d'habitation Les Érables"]


def test_ligature_folded(corpus):
    assert names("oeil") == ["Théâtre communautaire L'Œil"]


def test_prefix_of_partial_word(corpus):
    assert names("boulang") == ["Boulangerie solidaire Le Fournil"]
    assert names("rimou") == ["Coopérative d'habitation Les Érables"]


def test_french_stemming(corpus):
    # "logement" (singular) finds "logements" in a French description.
    assert names("logement") == ["Coopérative d'habitation Les Érables"]


def test_english_stemming(corpus):
    # "neighbourhoods" finds "neighbourhood" through the English configuration.
    assert names("neighbourhoods") == ["Théâtre communautaire L'Œil"]


def test_english_sector_name_found(corpus):
    assert names("housing") == ["Coopérative d'habitation Les Érables"]


def test_pole_and_region_names_found(corpus):
    assert names("bas-saint-laurent") == ["Coopérative d'habitation Les Érables"]


def test_name_match_ranks_above_description_match(corpus):
    # "coopérative" is in the housing co-op's name, only in the bakery's description.
    assert names("cooperative") == [
        "Coopérative d'habitation Les Érables",
        "Boulangerie solidaire Le Fournil",
    ]


def test_every_word_must_match(corpus):
    assert names("cooperative fournil") == ["Boulangerie solidaire Le Fournil"]
    assert names("cooperative zzzz") == []


def test_query_keeps_written_forms_and_light_stems_only():
    # A plural is also looked for singular; "cooperative" covers "cooperatives".
    assert covering_prefixes(["cooperatives", "cooperative"]) == ["cooperative"]
    assert covering_prefixes(["general", "generaux"]) == ["general", "generaux"]
    # The French stems "cooper" and "habit" cut too much of the words to be used
    # (they used to be, as prefixes, which joined "habitation" to "habit").
    assert match_query(tuple(query_words("Coopératives HABITATION"))) == (
        "(('cooperative':* | 'syn_cooperatives' | 'syn_cooperative')"
        " & ('habitation':* | 'syn_habitation'))"
        " | 'syn_cooperative habitation' | 'syn_cooperatives habitation'"
    )
    # English "housing" gives "hous", as "house" does: left out; each light stem
    # is marked with its language.
    assert match_query(("housing",)) == "('housing':* | 'syn_housing' | 'fr_housing')"
    assert (
        match_query(("families",)) == "('familie':* | 'syn_families' | 'syn_familie' | 'en_famili')"
    )


def test_drafts_never_found(corpus):
    assert "Coopérative d'habitation Brouillon" not in names("brouillon")


@pytest.mark.parametrize(
    "q",
    [
        "'; DROP TABLE entreprises_enterprise; --",
        "a & b | !c:*",
        "<script>",
        "((",
        "🙂",
        "",
        "x" * 5000,
    ],
)
def test_odd_queries_do_not_fail(corpus, q):
    assert isinstance(names(q), list)


def test_search_combines_with_facets(corpus):
    region = corpus["housing_coop"].region
    assert names("cooperative", region=(region,)) == ["Coopérative d'habitation Les Érables"]


@pytest.mark.parametrize(
    ("record", "new_name"),
    [("sector", "Hébergement"), ("pole", "Mitis-Neigette"), ("region", "Estuaire")],
)
def test_renamed_sector_pole_or_region_found_by_new_name(corpus, record, new_name):
    enterprise = corpus["housing_coop"]
    instance = {
        "sector": enterprise.sectors.first(),
        "pole": enterprise.pole,
        "region": enterprise.region,
    }[record]
    assert names(new_name) == []
    instance.name_fr = new_name
    instance.save()
    assert names(new_name) == ["Coopérative d'habitation Les Érables"]


def test_unrelated_change_does_not_rewrite_vectors(corpus):
    pole = corpus["housing_coop"].pole
    pole.website = "https://pole.example"
    with captured_queries() as queries:
        pole.save()
    assert queries.captured_queries, "the save itself is captured"
    assert not [q for q in queries.captured_queries if "search_vector" in q["sql"]]


@pytest.fixture
def house_and_housing():
    housing = SectorFactory(name_fr="Habitation", name_en="Housing", slug="habitation")
    media = SectorFactory(name_fr="Médias", name_en="Media", slug="medias")
    made = {
        "coop": EnterpriseFactory(
            name_fr="Coopérative d'habitation du Fleuve",
            name_en="Fleuve Housing Co-operative",
        ),
        "media": EnterpriseFactory(
            name_fr="Maison des médias",
            name_en="Media House",
            description_en="Media House lends a house to local radio.",
        ),
        "habit": EnterpriseFactory(
            name_fr="Atelier de couture",
            name_en="Sewing Workshop",
            description_fr="Un habit sur mesure pour chaque client.",
        ),
    }
    set_sectors(enterprise=made["coop"], primary=housing)
    set_sectors(enterprise=made["media"], primary=media)
    refresh_search_vectors()
    return made


def test_housing_does_not_find_house_through_a_shared_stem(house_and_housing):
    assert names("housing") == ["Coopérative d'habitation du Fleuve"]
    assert names("house") == ["Maison des médias"]


def test_habitation_does_not_find_habit_through_a_shared_stem(house_and_housing):
    assert names("habitation") == ["Coopérative d'habitation du Fleuve"]
    # Typed as a partial word, "habit" still finds "habitation" as a prefix.
    assert sorted(names("habit")) == ["Atelier de couture", "Coopérative d'habitation du Fleuve"]


def test_a_stem_meets_only_text_of_its_own_language():
    enterprise = EnterpriseFactory(
        name_fr="Atelier", name_en="Workshop", description_en="Families sewing.", description_fr=""
    )
    refresh_search_vectors()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tsvector_to_array(search_vector) FROM entreprises_enterprise WHERE id = %s",
            [enterprise.pk],
        )
        (lexemes,) = cursor.fetchone()
    # English text gives English stems only, and only light ones ("sewing" -> "sew" is not).
    assert sorted(lx for lx in lexemes if lx.startswith(("fr_", "en_"))) == [
        "en_famili",
        "en_workshop",
        "fr_ateli",
    ]
    assert (
        match_query(("families",)) == "('familie':* | 'syn_families' | 'syn_familie' | 'en_famili')"
    )


def test_exact_word_ranks_above_stem(corpus):
    exact = EnterpriseFactory(name_fr="Famille Plus", name_en="Families Plus")
    stem = EnterpriseFactory(name_fr="Famille Nord", name_en="Family North")
    refresh_search_vectors()
    assert [e.pk for e in search_enterprises(filters=DirectoryFilters(q="families"))] == [
        exact.pk,
        stem.pk,
    ]


def test_search_uses_the_gin_index(corpus):
    # The corpus is small, so the planner is told to avoid a full scan when it can.
    matching = Enterprise.objects.filter(search_vector=build_query("cooperatives housing"))
    sql, params = matching.values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on enterprise_search_vector" in plan, plan
