"""The directory's cards and filters, as HTML: the same in both languages whatever renders
them, every text escaped. The expected pages are in `directory_html/`; a change to the
cards or the filters is a change to those files, made on purpose."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache

from entreprises.services import refresh_search_vectors, set_sectors
from tests.factories import EnterpriseFactory, PoleFactory, RegionFactory, SectorFactory
from tests.helpers import html_of

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).parent / "directory_html"
HOSTILE = "<b>&\"'"


def part(html: str, start: str, end: str) -> str:
    """From `start` to the first `end` after it, whitespace between tags dropped and runs
    of spaces made one."""
    html = re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html))
    found = html[html.index(start) :]
    return found[: found.index(end)]


@pytest.fixture
def hostile_directory():
    """Every text a card or a filter shows holds markup and quotes, in both languages."""
    region = RegionFactory(code="01", name_fr=f"Région {HOSTILE}", name_en=f"Region {HOSTILE}")
    other_region = RegionFactory(code="04", name_fr="Mauricie", name_en="Mauricie")
    pole = PoleFactory(
        slug="pole-est", name_fr=f"Pôle {HOSTILE}", name_en="", regions=[region, other_region]
    )
    hostile = SectorFactory(name_fr=f"secteur {HOSTILE}", name_en=f"sector {HOSTILE}", slug="s1")
    food = SectorFactory(name_fr="Alimentation", name_en="", slug="alimentation")
    SectorFactory(name_fr="Culture", name_en="Culture", slug="culture")  # no enterprise
    rows = [
        # name_fr, name_en, region, city, legal form, demo, where
        (f"Arbre {HOSTILE}", f"Tree {HOSTILE}", region, "Rimouski", "cooperative", False, (48.45, -68.53)),
        ("Bouleau", "", other_region, "", "nonprofit", True, (48.48, -68.50)),
        (f"Cèdre {HOSTILE}", "", None, f"Ville {HOSTILE}", "mutual", False, (48.58, -68.19)),
    ]  # fmt: skip
    for n, (name_fr, name_en, where, city, legal_form, demo, (lat, lon)) in enumerate(rows):
        enterprise = EnterpriseFactory(
            name_fr=name_fr, name_en=name_en, slug=f"e{n}", region=where, pole=pole, city=city,
            legal_form=legal_form, cooperative_type="solidarity" if legal_form == "cooperative" else "",
            is_demo=demo, latitude=Decimal(str(lat)), longitude=Decimal(str(lon)),
        )  # fmt: skip
        set_sectors(enterprise=enterprise, primary=hostile if n != 1 else food, secondary=[])
    refresh_search_vectors()


PAGES = [
    ("fr_directory", "/fr/entreprises/"),
    ("en_directory", "/en/enterprises/"),
    ("fr_chosen", "/fr/entreprises/?sector=s1&region=01&legal_form=mutual&pole=pole-est"),
    ("en_near", "/en/enterprises/?near=Rimouski&radius_km=50"),
]


@pytest.mark.parametrize(("name", "url"), PAGES)
def test_cards_and_filters_keep_their_html(client, hostile_directory, name, url):
    html = html_of(client, url)
    cards = part(html, '<ul class="cards">', "</section>")
    filters = part(html, '<details class="filters-panel"', '<p class="without-js">')
    expected = (EXPECTED / f"{name}.html").read_text()
    assert f"{cards}\n{filters}\n" == expected


@pytest.fixture
def emptied_cache():
    cache.clear()
    yield
    cache.clear()


# Committed, as in production: a commit makes what was kept of the data stale.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("url", "old", "new"), [("/fr/entreprises/", "Ancien", "Nouveau"), ("/en/enterprises/", "Old", "New")])  # fmt: skip
def test_renamed_sector_and_region_show_at_once(client, emptied_cache, url, old, new):
    region = RegionFactory(code="01", name_fr="Ancien", name_en="Old")
    sector = SectorFactory(name_fr="Ancien", name_en="Old", slug="s1")
    enterprise = EnterpriseFactory(name_fr="Arbre", slug="arbre", region=region, city="")
    set_sectors(enterprise=enterprise, primary=sector)
    html = html_of(client, url).replace("Cooperative", "Coopérative")
    assert f'<p class="card-meta">Coopérative · {old} · {old}</p>' in html
    assert f'<label for="facet-sector-s1">{old} <span' in html
    sector.name_fr, sector.name_en = "Nouveau", "New"
    sector.save()
    region.name_fr, region.name_en = "Nouveau", "New"
    region.save()
    html = html_of(client, url).replace("Cooperative", "Coopérative")
    assert f'<p class="card-meta">Coopérative · {new} · {new}</p>' in html
    assert f'<label for="facet-sector-s1">{new} <span' in html
    assert f'<label for="facet-region-01">{new} <span' in html
