"""The directory page: multi-value facets, chips, sort and numbered pages, in both languages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from entreprises.models import Enterprise
from entreprises.services import refresh_search_vectors, set_sectors
from tests.factories import EnterpriseFactory, PoleFactory, RegionFactory, SectorFactory
from tests.helpers import html_of, names_in, query_count

pytestmark = pytest.mark.django_db


def title_of(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def checkbox(name, value, *, checked=False):
    return (
        f'id="facet-{name}-{value}" name="{name}" value="{value}"{" checked" if checked else ""}>'
    )


def count_of(label, count):
    return f'{label} <span class="facet-count">({count})</span>'


@pytest.fixture
def directory():
    """Four enterprises across two sectors, two regions, two legal forms."""
    montreal = RegionFactory(code="06", name_fr="Montréal", name_en="Montréal")
    capitale = RegionFactory(code="03", name_fr="Capitale-Nationale", name_en="Capitale-Nationale")
    pole = PoleFactory(slug="pole-a", regions=[montreal, capitale])
    housing = SectorFactory(name_fr="Habitation", name_en="Housing", slug="habitation")
    food = SectorFactory(name_fr="Alimentation", name_en="Food", slug="alimentation")
    culture = SectorFactory(name_fr="Culture", name_en="Culture", slug="culture")
    rows = [
        ("Arbre", housing, montreal, "cooperative"),
        ("Bouleau", food, montreal, "nonprofit"),
        ("Cèdre", food, capitale, "cooperative"),
        ("Duplex", housing, capitale, "nonprofit"),
    ]
    for name, sector, region, legal_form in rows:
        enterprise = EnterpriseFactory(
            name_fr=name, name_en=name, slug=name.lower().replace("è", "e"), region=region, pole=pole,
            legal_form=legal_form, cooperative_type="solidarity" if legal_form == "cooperative" else "",
        )  # fmt: skip
        set_sectors(enterprise=enterprise, primary=sector)
    refresh_search_vectors()
    return {"housing": housing, "food": food, "culture": culture}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Arbre", "Bouleau", "Cèdre", "Duplex"]),
        ("sector=habitation", ["Arbre", "Duplex"]),
        ("sector=habitation&sector=alimentation", ["Arbre", "Bouleau", "Cèdre", "Duplex"]),
        ("sector=habitation&region=03", ["Duplex"]),
        ("region=03&region=06&legal_form=cooperative", ["Arbre", "Cèdre"]),
        ("sector=alimentation&legal_form=nonprofit&legal_form=cooperative&region=06", ["Bouleau"]),
        ("sector=culture", []),
    ],
)
@pytest.mark.parametrize("prefix", ["/fr/entreprises/", "/en/enterprises/"])
def test_values_of_one_facet_or_and_facets_and(client, directory, prefix, query, expected):
    assert names_in(html_of(client, f"{prefix}?{query}")) == expected


def test_counts_leave_their_own_facet_out(client, directory):
    html = html_of(client, "/en/enterprises/?sector=habitation&region=03")
    # Sectors counted under region 03 only: Food keeps its count though Housing is chosen.
    assert checkbox("sector", "habitation", checked=True) in html
    assert count_of("Housing", 1) in html and count_of("Food", 1) in html
    # Regions counted under the Housing sector only.
    assert count_of("Montréal", 1) in html and count_of("Capitale-Nationale", 1) in html
    assert checkbox("region", "03", checked=True) in html
    assert checkbox("region", "06") in html
    # Legal forms under both: only Duplex.
    assert checkbox("legal_form", "nonprofit") in html
    assert checkbox("legal_form", "cooperative") not in html


def test_zero_count_values_are_hidden_unless_chosen(client, directory):
    html = html_of(client, "/fr/entreprises/")
    assert 'value="culture"' not in html
    html = html_of(client, "/fr/entreprises/?sector=culture")
    assert checkbox("sector", "culture", checked=True) in html
    assert count_of("Culture", 0) in html
    assert "0 entreprise —" in title_of(html)


def test_long_facet_shows_the_top_values_and_more(client, directory):
    for n in range(6):
        sector = SectorFactory(name_fr=f"Petit secteur {n}", slug=f"petit-{n}")
        set_sectors(enterprise=EnterpriseFactory(), primary=sector)
    big = SectorFactory(name_fr="Grand secteur", slug="grand")
    for enterprise in EnterpriseFactory.create_batch(3):
        set_sectors(enterprise=enterprise, primary=big)
    html = html_of(client, "/fr/entreprises/")
    top, more = html.split('<details class="facet-more">', 1)
    sector_top = top.split("<legend>Secteur</legend>", 1)[1]
    assert sector_top.index("Grand secteur") < sector_top.index("Habitation")  # most first
    assert "<summary>3 de plus" in more.split("</details>", 1)[0]
    assert "Petit secteur 4" in more.split("</details>", 1)[0]
    # A chosen value among the rest opens the disclosure.
    html = html_of(client, "/en/enterprises/?sector=petit-5")
    assert '<details class="facet-more" open>' in html
    assert "<summary>3 more" in html


def test_chips_remove_one_value_each_and_clear_all(client, directory):
    html = html_of(client, "/en/enterprises/?q=arbre&sector=habitation&sector=alimentation&page=1")
    assert (
        '<a class="chip" href="?sector=habitation&amp;sector=alimentation">Search: “arbre”' in html
    )
    assert '<a class="chip" href="?q=arbre&amp;sector=alimentation">Sector: Housing' in html
    assert '<a class="chip" href="?q=arbre&amp;sector=habitation">Sector: Food' in html
    assert '<a class="chip-clear" href="/en/enterprises/">Clear all</a>' in html
    assert "<summary>Filters (2)</summary>" in html
    html = html_of(client, "/fr/entreprises/?region=03&legal_form=nonprofit")
    # French typography: a no-break space before the colon.
    assert '<a class="chip" href="?legal_form=nonprofit">Région\u00a0: Capitale-Nationale' in html
    assert (
        '<a class="chip" href="?region=03">Forme juridique\u00a0: Organisme à but non lucratif'
        in html
    )
    assert '<a class="chip-clear" href="/fr/entreprises/">Tout effacer</a>' in html
    assert "<summary>Filtres (2)</summary>" in html


def test_no_chip_without_a_filter(client, directory):
    html = html_of(client, "/fr/entreprises/")
    assert 'class="chip' not in html
    assert "<summary>Filtres (0)</summary>" in html


def test_result_count_is_in_the_title(client, directory):
    assert title_of(html_of(client, "/fr/entreprises/?sector=habitation")) == (
        "2 entreprises — Répertoire — Portail de l’économie sociale du Québec"
    )
    assert title_of(html_of(client, "/en/enterprises/?q=arbre")) == (
        "“arbre”: 1 enterprise — Directory — Québec social economy portal"
    )


def test_language_switch_keeps_several_values(client, directory):
    html = html_of(client, "/fr/entreprises/?sector=habitation&sector=alimentation&sort=updated")
    assert (
        'href="http://testserver/en/enterprises/?sector=habitation&amp;sector=alimentation'
        '&amp;sort=updated" hreflang="en"'
    ) in html


def test_sort_by_name_or_latest_update(client, directory):
    Enterprise.objects.filter(slug="cedre").update(updated_at=timezone.now() + timedelta(days=1))
    Enterprise.objects.filter(slug="arbre").update(updated_at=timezone.now() - timedelta(days=9))
    html = html_of(client, "/en/enterprises/?sort=updated")
    # Latest change first: Duplex was written after Bouleau.
    assert names_in(html) == ["Cèdre", "Duplex", "Bouleau", "Arbre"]
    assert '<option value="updated" selected>Recently updated</option>' in html
    assert names_in(html_of(client, "/fr/entreprises/?sort=name")) == [
        "Arbre", "Bouleau", "Cèdre", "Duplex"
    ]  # fmt: skip


def test_relevance_is_offered_only_when_searching(client, directory):
    html = html_of(client, "/fr/entreprises/")
    assert 'value="relevance"' not in html
    # The default order is the empty value, so a new search from here comes by relevance.
    assert '<option value="" selected>Nom</option>' in html
    html = html_of(client, "/fr/entreprises/?q=arbre")
    assert '<option value="" selected>Pertinence</option><option value="name">Nom</option>' in html
    html = html_of(client, "/fr/entreprises/?q=arbre&sort=")  # the search box, sort unchanged
    assert '<option value="" selected>Pertinence</option>' in html
    html = html_of(client, "/fr/entreprises/?q=arbre&sort=name")
    assert '<option value="name" selected>Nom</option>' in html
    # Asked for without a search, relevance falls back to the name.
    assert names_in(html_of(client, "/en/enterprises/?sort=relevance")) == [
        "Arbre", "Bouleau", "Cèdre", "Duplex"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sort=price", "There is no such order; the default one is used."),
        ("sector=habitation&sector=nope", "There is no such sector; that filter was ignored."),
        ("legal_form=cooperative&legal_form=corp", "There is no such legal form; that filter"),
    ],
)
def test_bad_values_give_the_page_and_a_message(client, directory, query, message):
    html = html_of(client, f"/en/enterprises/?{query}")
    assert message in html
    assert names_in(html) == ["Arbre", "Bouleau", "Cèdre", "Duplex"]


def pagination_of(html):
    return html.split('<nav class="pagination"', 1)[1].split("</nav>", 1)[0]


@pytest.fixture
def many(directory):
    EnterpriseFactory.create_batch(196)  # 200 in all: ten pages of twenty


def test_first_page_has_next_and_last_only(client, many):
    nav = pagination_of(html_of(client, "/en/enterprises/?page=1"))
    assert "Page 1 of 10" in nav
    assert 'rel="prev"' not in nav and "First page" not in nav
    assert '<a href="?page=2" rel="next">Next page</a>' in nav
    assert '<a href="?page=10">Last page</a>' in nav
    assert re.findall(r'aria-label="Page (\d+)"', nav) == ["2", "3"]
    assert '<span class="visually-hidden">Page </span>1</span>' in nav


def test_middle_page_has_a_window_with_gaps(client, many):
    nav = pagination_of(html_of(client, "/fr/entreprises/?sort=name&page=5"))
    assert "Page 5 sur 10" in nav
    assert '<a href="?sort=name&amp;page=1">Première page</a>' in nav
    assert '<a href="?sort=name&amp;page=4" rel="prev">Page précédente</a>' in nav
    assert '<a href="?sort=name&amp;page=6" rel="next">Page suivante</a>' in nav
    assert '<a href="?sort=name&amp;page=10">Dernière page</a>' in nav
    assert re.findall(r'aria-label="Page (\d+)"', nav) == ["3", "4", "6", "7"]
    assert nav.count('class="pagination-gap"') == 2


def test_last_page_has_first_and_previous_only(client, many):
    nav = pagination_of(html_of(client, "/en/enterprises/?page=10"))
    assert '<a href="?page=9" rel="prev">Previous page</a>' in nav
    assert 'rel="next"' not in nav and "Last page" not in nav
    assert re.findall(r'aria-label="Page (\d+)"', nav) == ["8", "9"]


def test_one_page_has_no_pagination(client, directory):
    assert '<nav class="pagination"' not in html_of(client, "/en/enterprises/")


def test_query_count_is_constant_whatever_the_size_and_the_values(client):
    counts = []
    for size in (3, 30):
        regions = [RegionFactory(code=code, name_fr=code) for code in ("01", "02", "03")]
        pole = PoleFactory(regions=regions)
        sectors = SectorFactory.create_batch(3)
        for n, enterprise in enumerate(EnterpriseFactory.create_batch(size, pole=pole)):
            enterprise.region = regions[n % 3]
            enterprise.save()
            secondary = [sectors[0]] if n % 3 else []
            set_sectors(enterprise=enterprise, primary=sectors[n % 3], secondary=secondary)
        refresh_search_vectors()
        one = f"?sector={sectors[0].slug}&region=01&legal_form=cooperative&pole={pole.slug}"
        three = "?" + "&".join(
            [f"sector={s.slug}" for s in sectors]
            + [f"region={r.code}" for r in regions]
            + ["legal_form=cooperative", "legal_form=nonprofit", "legal_form=mutual"]
            + [f"pole={pole.slug}", "q=cooperative", "sort=updated"]
        )
        for url in ("/fr/entreprises/" + one, "/en/enterprises/" + three):
            client.get(url)  # Warm: a search's stems are asked of the database once.
            counts.append(query_count(client, url))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
    assert counts[0] == counts[1], counts
    # The chosen sectors, poles and regions read (3), the counts and the values of the
    # facets kept per data generation (2), the page of cards with their names (1).
    assert counts[0] == 6, counts


def test_page_without_filters_reads_three_queries(client, directory):
    for url in ("/fr/entreprises/", "/en/enterprises/?page=1&sort=updated"):
        client.get(url)  # Warm: the facets' counts and values are made once per generation.
        # The facets' counts and their values, each with the generation (2); the cards (1).
        assert query_count(client, url) == 3, url


@pytest.mark.parametrize(
    "url",
    [
        "/fr/entreprises/?q=&sector=&pole=&region=&legal_form=&sort=",
        "/en/enterprises/?sector=&sector=habitation&sector=alimentation",
        "/fr/carte/?q=&sector=&region=",  # the map's drop-down lists send "every value" so
    ],
)
def test_empty_values_mean_no_filter(client, directory, url):
    html = html_of(client, url)
    assert 'class="notice"' not in html
