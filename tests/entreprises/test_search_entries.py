"""The search's narrow rows (models.SearchEntry) hold exactly the published enterprises,
with the same columns, whoever writes them; and a page of a search read through them
shows what the enterprise table itself gives, in the same order."""

from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils.translation import override

from entreprises.models import Enterprise, SearchEntry
from entreprises.nearby import Place
from entreprises.search import build_query
from entreprises.selectors import (
    DirectoryFilters,
    search_enterprises,
    search_page_ids,
    through_the_search_index,
)
from entreprises.services import delete_enterprises, refresh_search_vectors, set_sectors
from entreprises.views import DirectoryView
from tests.factories import EnterpriseFactory, PoleFactory, RegionFactory, SectorFactory
from tests.helpers import captured_queries, html_of, names_in

pytestmark = pytest.mark.django_db

COPIED = (
    "name_fr",
    "name_en",
    "pole_id",
    "region_id",
    "legal_form",
    "sector_ids",
    "latitude",
    "longitude",
    "search_vector",
    "rank_vector",
)


def shown(html: str) -> list[str]:
    return [unescape(name) for name in names_in(html)]


def entries() -> dict[int, tuple]:
    return {row[0]: row[1:] for row in SearchEntry.objects.values_list("pk", *COPIED)}


def published_rows() -> dict[int, tuple]:
    rows = Enterprise.objects.filter(status="published").values_list("pk", *COPIED)
    return {row[0]: row[1:] for row in rows}


def entry_version(enterprise) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ctid::text FROM entreprises_searchentry WHERE enterprise_id = %s",
            [enterprise.pk],
        )
        return cursor.fetchone()[0]


def test_search_entries_hold_the_published_enterprises_only():
    published = EnterpriseFactory(name_fr="Coopérative Les Affûtés")
    EnterpriseFactory(status="draft")
    EnterpriseFactory(status="archived")
    refresh_search_vectors()
    assert list(entries()) == [published.pk]
    assert entries() == published_rows()
    assert entries()[published.pk][0] == "Coopérative Les Affûtés"


def test_search_entries_follow_status_by_every_path():
    draft = EnterpriseFactory(status="draft")
    assert entries() == {}
    draft.status = "published"
    draft.save()
    assert list(entries()) == [draft.pk]
    Enterprise.objects.filter(pk=draft.pk).update(status="archived")
    assert entries() == {}
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE entreprises_enterprise SET status = 'published' WHERE id = %s", [draft.pk]
        )
    assert list(entries()) == [draft.pk]
    delete_enterprises(enterprises=Enterprise.objects.filter(pk=draft.pk))
    assert entries() == {}


def test_search_entries_follow_names_places_sectors_and_vectors():
    region = RegionFactory(code="01")
    pole = PoleFactory(regions=[region])
    food, housing = SectorFactory(), SectorFactory()
    enterprise = EnterpriseFactory(name_fr="Boulangerie Le Fournil", name_en="")
    refresh_search_vectors()
    enterprise.name_fr = "Boulangerie solidaire Le Fournil"
    enterprise.name_en = "Le Fournil Solidarity Bakery"
    enterprise.pole, enterprise.region = pole, region
    enterprise.legal_form, enterprise.cooperative_type = "nonprofit", ""
    enterprise.latitude, enterprise.longitude = Decimal("48.448700"), Decimal("-68.523600")
    enterprise.save()
    set_sectors(enterprise=enterprise, primary=housing, secondary=[food])
    refresh_search_vectors(ids=[enterprise.pk])
    assert entries() == published_rows()
    name_fr, name_en, pole_id, region_id, legal_form, sector_ids, latitude, *_ = entries()[
        enterprise.pk
    ]
    assert (name_fr, name_en, pole_id, region_id, legal_form, latitude) == (
        "Boulangerie solidaire Le Fournil",
        "Le Fournil Solidarity Bakery",
        pole.pk,
        region.pk,
        "nonprofit",
        Decimal("48.448700"),
    )
    assert sector_ids == sorted([food.pk, housing.pk])
    assert "'solidaire':2A" in entries()[enterprise.pk][-1]


def test_search_entry_not_rewritten_by_a_save_that_changes_none_of_its_columns():
    refresh_search_vectors(ids=[EnterpriseFactory().pk])
    enterprise = Enterprise.objects.get()
    before = entry_version(enterprise)
    enterprise.description_fr = "Une description plus longue, que la recherche ne classe pas."
    enterprise.save()
    assert entry_version(enterprise) == before
    enterprise.name_fr = "Un autre nom"
    enterprise.save()
    assert entry_version(enterprise) != before


@pytest.fixture
def housing():
    """Eight housing enterprises: some named for it (ranked first), some only in a sector,
    one with an English name that sorts it elsewhere on the English page."""
    sector = SectorFactory(name_fr="Habitation", name_en="Housing", slug="habitation")
    montreal = Place(name="Montréal", latitude=45.5088, longitude=-73.5878)
    made = []
    for n, (name_fr, name_en, latitude, longitude) in enumerate(
        [
            ("Coopérative d'habitation Zénith", "", "45.508800", "-73.587800"),
            ("Coopérative d'habitation Aurore", "", "45.520000", "-73.600000"),
            ("Habitations Beauséjour", "Beausejour Homes", "45.600000", "-73.500000"),
            ("Atelier Boréal", "Aaa Northern Workshop", "45.510000", "-73.590000"),
            ("Atelier Cèdre", "", "46.810000", "-71.210000"),
            ("Atelier Dune", "", "45.300000", "-73.900000"),
            ("Atelier Érable", "", "45.509000", "-73.588000"),
            ("Atelier Forge", "", "48.450000", "-68.520000"),
        ]
    ):
        enterprise = EnterpriseFactory(
            name_fr=name_fr,
            name_en=name_en,
            slug=f"logement-{n}",
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
        )
        set_sectors(enterprise=enterprise, primary=sector)
        made.append(enterprise)
    EnterpriseFactory(name_fr="Coopérative d'habitation Brouillon", status="draft")
    refresh_search_vectors()
    return {"montreal": montreal, "enterprises": made}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "state",
    [
        {"q": "habitation"},
        {"q": "habitation", "sort": "name"},
        {"q": "cooperative habitation"},
        {"q": "housing", "near": "montreal", "radius_km": 10},
        {"q": "habitation", "near": "montreal", "radius_km": 10, "sort": "relevance"},
    ],
)
def test_search_page_ids_give_the_order_of_the_enterprise_table(housing, language, state):
    if "near" in state:
        state = {**state, "near": housing[state["near"]]}
    filters = DirectoryFilters(**state)
    with override(language):
        expected = [e.pk for e in search_enterprises(filters=filters)]
        assert list(search_page_ids(filters=filters)[0:100]) == expected
        assert list(search_page_ids(filters=filters)[1:3]) == expected[1:3]
        assert list(search_page_ids(filters=filters)[0:200]) == expected
    assert len(expected) >= 2


def test_search_page_ids_none_without_a_search_or_by_latest_change(housing):
    assert search_page_ids(filters=DirectoryFilters()) is None
    assert search_page_ids(filters=DirectoryFilters(q="!!")) is None
    assert search_page_ids(filters=DirectoryFilters(q="habitation", sort="updated")) is None


def test_search_pages_in_french_and_english(client, housing):
    first_fr = shown(html_of(client, "/fr/entreprises/?q=habitation"))
    assert first_fr == [
        "Coopérative d'habitation Aurore",
        "Coopérative d'habitation Zénith",
        "Habitations Beauséjour",
        "Atelier Boréal",
        "Atelier Cèdre",
        "Atelier Dune",
        "Atelier Forge",
        "Atelier Érable",
    ]
    by_name_en = shown(html_of(client, "/en/enterprises/?q=housing&sort=name"))
    assert by_name_en == [
        "Aaa Northern Workshop",
        "Atelier Cèdre",
        "Atelier Dune",
        "Atelier Forge",
        "Atelier Érable",
        "Beausejour Homes",
        "Coopérative d'habitation Aurore",
        "Coopérative d'habitation Zénith",
    ]
    near = shown(
        html_of(client, "/fr/entreprises/?q=habitation&near=45.5088,-73.5878&radius_km=10")
    )
    assert near == [
        "Coopérative d'habitation Zénith",
        "Atelier Érable",
        "Atelier Boréal",
        "Coopérative d'habitation Aurore",
    ]


def test_search_second_page_read_through_the_narrow_rows(client, housing, monkeypatch):
    monkeypatch.setattr(DirectoryView, "paginate_by", 3)
    assert shown(html_of(client, "/fr/entreprises/?q=habitation&page=2")) == [
        "Atelier Boréal",
        "Atelier Cèdre",
        "Atelier Dune",
    ]
    assert shown(html_of(client, "/en/enterprises/?q=housing&sort=name&page=3")) == [
        "Coopérative d'habitation Aurore",
        "Coopérative d'habitation Zénith",
    ]


def test_search_page_ranks_in_the_narrow_rows_in_as_many_queries(client, housing):
    url = "/fr/entreprises/?q=habitation"
    client.get(url)  # Warm: the stems, the facets' counts and values.
    with captured_queries() as captured:
        assert len(shown(html_of(client, url))) == 8
    page = [query["sql"] for query in captured.captured_queries]
    # The facets' counts and values and the page's ids in order, each with the
    # generation (3), the page of cards (1).
    assert len(page) == 4
    assert "entreprises_searchentry" not in page[-1]


@pytest.fixture
def committed_cache():
    """The cache table outlives a test whose writes are committed: empty it around."""
    cache.clear()
    yield
    cache.clear()


# Committed for real: the kept ids are forgotten on commit, as in production.
@pytest.mark.django_db(transaction=True)
def test_search_ids_ranked_in_the_narrow_rows_and_kept_until_a_change(committed_cache, housing):
    filters = DirectoryFilters(q="habitation")
    with captured_queries() as ranking:
        first = search_page_ids(filters=filters)[0:20]
    assert any("entreprises_searchentry" in q["sql"] for q in ranking.captured_queries)
    with captured_queries() as kept:
        assert search_page_ids(filters=DirectoryFilters(q="Habitation!"))[0:20] == first
    assert not any("entreprises_searchentry" in q["sql"] for q in kept.captured_queries)
    newcomer = EnterpriseFactory(name_fr="Habitation Aaa")
    refresh_search_vectors(ids=[newcomer.pk])
    after = search_page_ids(filters=filters)[0:20]
    assert after == [e.pk for e in search_enterprises(filters=filters)]
    assert sorted(after) == sorted([*first, newcomer.pk])


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_narrow_rows_read_through_their_index_whatever_the_share_matching(housing):
    # Every row matches: the planner may read them all, and each one's search vector out
    # of the row (at 300,000 enterprises, 620 ms instead of 25 through the index). Which
    # plan it picks without the guard depends on its statistics; with it, the index.
    matches = SearchEntry.objects.filter(search_vector=build_query("habitation")).values("pk")

    def setting(name: str) -> str:
        with connection.cursor() as cursor:
            cursor.execute(f"SHOW {name}")
            return cursor.fetchone()[0]

    with through_the_search_index():
        assert "Bitmap Index Scan on search_entry_vector" in plan_of(matches)
        assert "Gather" not in plan_of(matches)
        assert (setting("enable_seqscan"), setting("max_parallel_workers_per_gather")) == (
            "off",
            "0",
        )
    # As far as the block only.
    assert setting("enable_seqscan") == "on"
    assert setting("max_parallel_workers_per_gather") != "0"
