"""The map page: the directory's form, facets and chips, the area searched (`bbox`), and
where the map looks (`lat`, `lon`, `z`) kept in the address, in both languages."""

import json
import re
from decimal import Decimal
from html import unescape

import pytest
from django.utils.html import escape

from entreprises.services import refresh_search_vectors, set_sectors
from tests.factories import EnterpriseFactory, PoleFactory, RegionFactory, SectorFactory
from tests.helpers import body_of, html_of, query_count

pytestmark = pytest.mark.django_db

MAP = {"fr": "/fr/carte/", "en": "/en/map/"}
DIRECTORY = {"fr": "/fr/entreprises/", "en": "/en/enterprises/"}
MONTREAL_BOX = "-74,45,-73,46"


def listed(html):
    """The names in the list beside the map."""
    start = html.index('<section class="map-list"')
    section = html[start : html.index("</section>", start)]
    return re.findall(r'<li><a href="/[^"]+">([^<]+)</a>', section)


def attribute(html, element_id, name):
    tag = re.search(rf'<[a-z]+ id="{element_id}"[^>]*>', html, re.S).group(0)
    value = re.search(rf'\s{name}="([^"]*)"', tag)
    return unescape(value.group(1)) if value else None


def mapped(client, html):
    """The names the map draws: those of the GeoJSON the page points at."""
    response = client.get(attribute(html, "map", "data-geojson"))
    assert response.status_code == 200
    return sorted(f["properties"]["name"] for f in json.loads(body_of(response))["features"])


def language_link(html, code):
    return unescape(re.search(rf'<a href="([^"]+)" hreflang="{code}"', html).group(1))


@pytest.fixture
def places():
    """Two enterprises in Montréal, two in Québec City, one without coordinates."""
    montreal = RegionFactory(code="06", name_fr="Montréal", name_en="Montréal")
    capitale = RegionFactory(code="03", name_fr="Capitale-Nationale", name_en="Capitale-Nationale")
    pole = PoleFactory(slug="pole-a", regions=[montreal, capitale])
    housing = SectorFactory(name_fr="Habitation", name_en="Housing", slug="habitation")
    food = SectorFactory(name_fr="Alimentation", name_en="Food", slug="alimentation")
    rows = [
        ("Arbre", housing, montreal, "cooperative", ("45.5000", "-73.5700")),
        ("Bouleau", food, montreal, "nonprofit", ("45.5200", "-73.6000")),
        ("Cèdre", food, capitale, "cooperative", ("46.8100", "-71.2100")),
        ("Duplex", housing, capitale, "nonprofit", ("46.8200", "-71.2200")),
        ("Érable", housing, capitale, "nonprofit", (None, None)),
    ]
    for name, sector, region, legal_form, (lat, lon) in rows:
        enterprise = EnterpriseFactory(
            name_fr=name, name_en=name, slug=name.lower().replace("è", "e").replace("é", "e"),
            region=region, pole=pole, legal_form=legal_form,
            cooperative_type="solidarity" if legal_form == "cooperative" else "",
            latitude=Decimal(lat) if lat else None, longitude=Decimal(lon) if lon else None,
        )  # fmt: skip
        set_sectors(enterprise=enterprise, primary=sector)
    refresh_search_vectors()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Arbre", "Bouleau", "Cèdre", "Duplex"]),
        ("sector=habitation", ["Arbre", "Duplex"]),
        ("sector=habitation&sector=alimentation&region=03", ["Cèdre", "Duplex"]),
        ("legal_form=cooperative&region=06", ["Arbre"]),
        (f"bbox={MONTREAL_BOX}", ["Arbre", "Bouleau"]),
        (f"bbox={MONTREAL_BOX}&sector=alimentation", ["Bouleau"]),
    ],
)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_list_and_map_show_the_same_results(client, places, lang, query, expected):
    html = html_of(client, f"{MAP[lang]}?{query}")
    assert listed(html) == expected
    assert mapped(client, html) == expected


@pytest.mark.parametrize(
    ("lang", "legend", "chip", "title"),
    [
        ("fr", "Secteur", "Secteur\u00a0: Habitation", "2 entreprises sur la carte"),
        ("en", "Sector", "Sector: Housing", "2 enterprises on the map"),
    ],
)
def test_map_page_has_the_directory_facets_and_chips(client, places, lang, legend, chip, title):
    html = html_of(client, f"{MAP[lang]}?sector=habitation")
    # The directory's own form, reloading the map.
    assert f'<form id="directory-form" class="filters" method="get" action="{MAP[lang]}"' in html
    assert f"<legend>{legend}</legend>" in html
    assert 'id="facet-sector-habitation" name="sector" value="habitation" checked>' in html
    assert 'id="facet-sector-alimentation" name="sector" value="alimentation">' in html
    assert 'id="facet-legal_form-cooperative" name="legal_form" value="cooperative">' in html
    assert '<span class="facet-count">(2)</span>' in html
    chips = re.findall(r'<a class="chip" href="([^"]*)">([^<]+) <span', html)
    assert chips == [("?", chip)]
    assert re.search(rf'<a class="chip-clear" href="{MAP[lang]}">', html)
    assert re.search(r"<title>\s*" + title + " — ", html)
    # Without JavaScript the panel's button applies the ticked boxes.
    assert '<p class="without-js"><button type="submit">' in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_map_facets_count_what_the_map_can_show(client, places, lang):
    # Érable, in housing, has no coordinates: the directory counts it, the map cannot.
    housing = r'id="facet-sector-habitation"[^>]*> <label[^>]*>[^<]+<span class="facet-count">'
    directory = re.search(housing + r"\((\d+)\)", html_of(client, DIRECTORY[lang])).group(1)
    on_the_map = re.search(housing + r"\((\d+)\)", html_of(client, MAP[lang])).group(1)
    assert (directory, on_the_map) == ("3", "2")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_switching_between_list_and_map_keeps_the_filters(client, places, lang):
    query = "sector=habitation&legal_form=nonprofit"
    html = html_of(client, f"{MAP[lang]}?{query}&page=2")
    list_link = re.search(r'<a href="([^"]+)" data-keeps-view>', html).group(1)
    assert unescape(list_link) == f"{DIRECTORY[lang]}?{query}"
    directory = html_of(client, f"{DIRECTORY[lang]}?{query}")
    assert f'<a href="{MAP[lang]}?{query.replace("&", "&amp;")}">' in directory


@pytest.mark.parametrize(
    ("lang", "other", "chip"),
    [("fr", "en", "Dans la zone choisie sur la carte"), ("en", "fr", "In the chosen map area")],
)
def test_area_searched_is_a_filter_of_both_pages(client, places, lang, other, chip):
    html = html_of(client, f"{MAP[lang]}?sector=habitation&bbox={MONTREAL_BOX}")
    assert listed(html) == ["Arbre"]
    assert attribute(html, "map", "data-bbox") == MONTREAL_BOX
    # The form keeps the area when a facet changes; its chip takes it away.
    assert f'<input type="hidden" name="bbox" value="{MONTREAL_BOX}">' in html
    chips = re.findall(r'<a class="chip" href="([^"]*)">([^<]+) <span', html)
    assert (unescape(chips[-1][0]), chips[-1][1]) == ("?sector=habitation", chip)
    assert language_link(html, other).endswith(f"?sector=habitation&bbox={MONTREAL_BOX}")
    # The list of the same results, in the directory.
    directory = html_of(client, f"{DIRECTORY[lang]}?bbox={MONTREAL_BOX}")
    assert re.findall(r'<h3 class="card-title"><a href="[^"]+">([^<]+)</a></h3>', directory) == [
        "Arbre",
        "Bouleau",
    ]
    assert f'<input type="hidden" name="bbox" value="{MONTREAL_BOX}">' in directory


@pytest.mark.parametrize(
    ("lang", "notice"),
    [
        ("fr", "La zone de la carte n’a pas été comprise\u202f; ce filtre a été ignoré."),
        ("en", "The map area was not understood; that filter was ignored."),
    ],
)
@pytest.mark.parametrize("box", ["1,2,3", "10,10,0,0", "-200,45,-75,46", "nan,1,2,3", "a\x00"])
def test_bad_area_is_reported_and_left_out(client, places, lang, notice, box):
    for page in (MAP[lang], DIRECTORY[lang]):
        response = client.get(page, {"bbox": box})
        html = body_of(response).decode()
        assert response.status_code == 200
        assert f'<p class="notice" role="alert">{escape(notice)}</p>' in html
    html = html_of(client, MAP[lang] + "?" + "bbox=" + box.replace("\x00", "%00"))
    assert listed(html) == ["Arbre", "Bouleau", "Cèdre", "Duplex"]
    assert attribute(html, "map", "data-bbox") is None
    assert 'name="bbox"' not in html


@pytest.mark.parametrize(("lang", "other"), [("fr", "en"), ("en", "fr")])
def test_map_view_in_the_address_is_restored_and_carried(client, places, lang, other):
    view = "lat=46.51234&lon=-72.25&z=7"
    html = html_of(client, f"{MAP[lang]}?sector=habitation&{view}")
    # The map starts there (a point, not a comma, in French too).
    assert attribute(html, "map", "data-lat") == "46.51234"
    assert attribute(html, "map", "data-lon") == "-72.25"
    assert attribute(html, "map", "data-zoom") == "7"
    # The language switch, the list and back keep it; the map's data does not need it.
    assert language_link(html, other) == f"http://testserver{MAP[other]}?sector=habitation&{view}"
    list_link = unescape(re.search(r'<a href="([^"]+)" data-keeps-view>', html).group(1))
    assert list_link == f"{DIRECTORY[lang]}?sector=habitation&{view}"
    directory = html_of(client, list_link)
    back = f"{MAP[lang]}?sector=habitation&{view}".replace("&", "&amp;")
    assert f'<a href="{back}">' in directory
    geojson = attribute(html, "map", "data-geojson")
    assert geojson.endswith("?sector=habitation")
    # A chip's removal keeps the view.
    chip = re.search(r'<a class="chip" href="([^"]*)">', html).group(1)
    assert unescape(chip) == f"?{view}"


@pytest.mark.parametrize(
    ("lang", "notice"),
    [
        (
            "fr",
            "La position de la carte dans l’adresse n’a pas été comprise\u202f; "
            "la carte montre tous les résultats.",
        ),
        ("en", "The map's position in the address was not understood; it shows every result."),
    ],
)
@pytest.mark.parametrize("view", ["lat=95&lon=-72&z=7", "lat=46&lon=-72", "lat=46&lon=x&z=7",
                                  "lat=46&lon=-72&z=19", "lat=nan&lon=-72&z=3"])  # fmt: skip
def test_bad_map_view_is_reported_and_left_out(client, places, lang, notice, view):
    html = html_of(client, f"{MAP[lang]}?{view}")
    assert f'<p class="notice" role="alert">{escape(notice)}</p>' in html
    assert attribute(html, "map", "data-lat") is None
    assert attribute(html, "map", "data-zoom") is None
    assert listed(html) == ["Arbre", "Bouleau", "Cèdre", "Duplex"]


def test_map_page_queries_do_not_grow_with_results(client, places):
    url = "/en/map/?sector=habitation&sector=alimentation&bbox=-80,44,-60,50&lat=46&lon=-72&z=6"
    client.get(url)
    before = query_count(client, url)
    for n in range(5):
        EnterpriseFactory(latitude=Decimal("46.5"), longitude=Decimal(f"-72.{n}"))
    assert query_count(client, url) == before


@pytest.mark.parametrize(
    ("lang", "distances", "panel"),
    [
        ("fr", ["à 1,4\u00a0km", "à 1,9\u00a0km"], "Filtres (1)"),
        ("en", ["1.4 km away", "1.9 km away"], "Filters (1)"),
    ],
)
def test_near_a_place_the_map_and_its_list_keep_the_radius(client, places, lang, distances, panel):
    html = html_of(client, f"{MAP[lang]}?near=45.51,-73.58&radius_km=5")
    assert listed(html) == ["Arbre", "Bouleau"]  # nearest first
    assert mapped(client, html) == ["Arbre", "Bouleau"]
    assert re.findall(r" — ([^—<]*km[^—<]*)</li>", html) == distances
    assert f"<summary>{panel}</summary>" in html
    # The place and its radius stay in the form for the next change of facet.
    assert 'name="near" value="45.51,-73.58"' in html
    assert '<option value="5" selected>' in html
