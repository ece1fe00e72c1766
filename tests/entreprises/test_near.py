""" "Near": a Québec town or coordinates, a radius, results by distance, on the page, the map
data and the API, in both languages; bad places and radii say so."""

import math
import re

import pytest
from django.db import connection
from django.utils import translation

from entreprises.nearby import parse_near
from entreprises.selectors import DirectoryFilters, search_enterprises
from entreprises.services import refresh_search_vectors, set_sectors
from tests.factories import EnterpriseFactory, PoleFactory, RegionFactory, SectorFactory
from tests.helpers import get_json, html_of, names_in, query_count

pytestmark = pytest.mark.django_db

# Rimouski in the gazetteer (GeoNames).
RIMOUSKI = (48.44879, -68.52396)
API = "/api/v1/enterprises/"


def great_circle_km(a, b):
    """The haversine distance, written here again to check the SQL one."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def distances_in(html):
    return re.findall(r'<p class="card-distance">([^<]+)</p>', html)


POINTS = {
    "Arbre": (48.4500, -68.5300),  # Rimouski, 0.5 km from its centre
    "Bouleau": (48.4800, -68.5000),  # Rimouski, 3.9 km
    "Cèdre": (48.5800, -68.1900),  # Mont-Joli, 28.6 km
    "Duplex": (48.8450, -67.5250),  # Matane, 85.6 km
    "Érable": (46.3500, -72.5500),  # Trois-Rivières
}


@pytest.fixture
def places():
    bas_saint_laurent = RegionFactory(code="01", name_fr="Bas-Saint-Laurent")
    mauricie = RegionFactory(code="04", name_fr="Mauricie")
    pole = PoleFactory(slug="pole-est", regions=[bas_saint_laurent, mauricie])
    housing = SectorFactory(name_fr="Habitation", name_en="Housing", slug="habitation")
    food = SectorFactory(name_fr="Alimentation", name_en="Food", slug="alimentation")
    rows = [
        ("Arbre", housing, bas_saint_laurent, "cooperative", "Rimouski"),
        ("Bouleau", food, bas_saint_laurent, "nonprofit", "Rimouski"),
        ("Cèdre", housing, bas_saint_laurent, "nonprofit", "Mont-Joli"),
        ("Duplex", food, bas_saint_laurent, "cooperative", "Matane"),
        ("Érable", housing, mauricie, "nonprofit", "Trois-Rivières"),
    ]
    for name, sector, region, legal_form, city in rows:
        latitude, longitude = POINTS[name]
        enterprise = EnterpriseFactory(
            name_fr=name, name_en=name, slug=name.lower().replace("è", "e").replace("é", "e"),
            region=region, pole=pole, legal_form=legal_form, city=city,
            latitude=f"{latitude:.6f}", longitude=f"{longitude:.6f}",
            cooperative_type="solidarity" if legal_form == "cooperative" else "",
        )  # fmt: skip
        set_sectors(enterprise=enterprise, primary=sector)
    # In Rimouski too, but without coordinates: never "near" anything.
    EnterpriseFactory(
        name_fr="Frêne",
        name_en="Frêne",
        slug="frene",
        city="Rimouski",
        latitude=None,
        longitude=None,
    )
    refresh_search_vectors()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/fr/entreprises/?near=Rimouski", ["Arbre", "Bouleau"]),
        ("/en/enterprises/?near=rimouski&radius_km=50", ["Arbre", "Bouleau", "Cèdre"]),
        ("/fr/entreprises/?near=RIMOUSKI&radius_km=100", ["Arbre", "Bouleau", "Cèdre", "Duplex"]),
        ("/en/enterprises/?near=Rimouski&radius_km=5", ["Arbre", "Bouleau"]),
        ("/fr/entreprises/?near=Trois-Rivieres", ["Érable"]),
        ("/en/enterprises/?near=trois+rivières&radius_km=5", ["Érable"]),
        ("/fr/entreprises/?near=Matane&radius_km=10", ["Duplex"]),
    ],
)
def test_near_a_town_keeps_the_radius_nearest_first(client, places, url, expected):
    assert names_in(html_of(client, url)) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/fr/entreprises/?near=48.4800,-68.5000&radius_km=5", ["Bouleau", "Arbre"]),
        ("/en/enterprises/?near=48.58,-68.19&radius_km=50", ["Cèdre", "Bouleau", "Arbre"]),
        ("/en/enterprises/?near=+48.45+,+-68.53+&radius_km=10", ["Arbre", "Bouleau"]),
        ("/fr/entreprises/?near=45.50,-73.56&radius_km=100", []),
    ],
)
def test_near_coordinates_as_the_position_button_sends_them(client, places, url, expected):
    assert names_in(html_of(client, url)) == expected


def test_each_result_shows_its_distance_in_the_language_number_format(client, places):
    arbre = great_circle_km(RIMOUSKI, POINTS["Arbre"])
    bouleau = great_circle_km(RIMOUSKI, POINTS["Bouleau"])
    cedre = great_circle_km(RIMOUSKI, POINTS["Cèdre"])
    assert (round(arbre, 1), round(bouleau, 1), round(cedre, 1)) == (0.5, 3.9, 28.6)
    html = html_of(client, "/fr/entreprises/?near=Rimouski&radius_km=50")
    assert distances_in(html) == ["à 0,5\xa0km", "à 3,9\xa0km", "à 28,6\xa0km"]
    html = html_of(client, "/en/enterprises/?near=Rimouski&radius_km=50")
    assert distances_in(html) == ["0.5 km away", "3.9 km away", "28.6 km away"]
    # No place, no distance.
    assert distances_in(html_of(client, "/en/enterprises/")) == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "/en/enterprises/?near=Atlantis",
            "“Atlantis” is not a Québec town we know: choose one from the list, or give"
            " coordinates as latitude,longitude.",
        ),
        (
            "/fr/entreprises/?near=Atlantis&q=arbre",
            "«\xa0Atlantis\xa0» n’est pas une ville du Québec que nous connaissons\xa0:"
            " choisissez-en une dans la liste, ou donnez des coordonnées sous la forme"
            " latitude,longitude.",
        ),
        (
            "/en/enterprises/?near=48.45",
            "Coordinates are latitude,longitude in degrees, e.g. 46.81,-71.21 (latitude from -90"
            " to 90, longitude from -180 to 180).",
        ),
        (
            "/fr/entreprises/?near=95,-68.5",
            "Les coordonnées s’écrivent latitude,longitude en degrés, par exemple 46.81,-71.21"
            " (latitude de -90 à 90, longitude de -180 à 180).",
        ),
        ("/en/enterprises/?near=48.45,-200", "Coordinates are latitude,longitude in degrees"),
        ("/en/enterprises/?near=%3Cscript%3E", "“&lt;script&gt;” is not a Québec town we know"),
    ],
)
def test_unknown_place_or_bad_coordinates_say_so_and_match_nothing(client, places, url, message):
    html = html_of(client, url)
    assert f'<p class="notice" role="alert">{message}' in html
    # Not silently every enterprise: nothing, and no map of it.
    assert names_in(html) == []
    assert "carte/?" not in html and "map/?" not in html
    assert 'class="chip"' not in html or "Near" not in html


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/en/enterprises/?near=Rimouski&radius_km=7", "The radius must be 5, 10, 25, 50 or 100"),
        (
            "/fr/entreprises/?near=Rimouski&radius_km=1000",
            "Le rayon doit être de 5, 10, 25, 50 ou 100\xa0km\u202f; 25\xa0km a été utilisé.",
        ),
        ("/en/enterprises/?near=Rimouski&radius_km=abc", "km; 25 km was used."),
    ],
)
def test_bad_radius_says_so_and_uses_the_default(client, places, url, message):
    html = html_of(client, url)
    assert message in html
    assert names_in(html) == ["Arbre", "Bouleau"]
    assert '<option value="25" selected>' in html


def test_radius_without_a_place_changes_nothing(client, places):
    html = html_of(client, "/en/enterprises/?radius_km=5")
    assert names_in(html) == ["Arbre", "Bouleau", "Cèdre", "Duplex", "Frêne", "Érable"]
    assert 'class="notice"' not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("near=Rimouski&radius_km=50&sector=habitation", ["Arbre", "Cèdre"]),
        ("near=Rimouski&radius_km=100&sector=alimentation&legal_form=cooperative", ["Duplex"]),
        ("near=Rimouski&radius_km=100&q=bouleau", ["Bouleau"]),
        ("near=Rimouski&radius_km=100&q=duplex&sector=habitation", []),
        ("near=Rimouski&radius_km=100&region=04", []),
        ("near=Trois-Rivières&region=04&region=01&sector=habitation", ["Érable"]),
    ],
)
@pytest.mark.parametrize("prefix", ["/fr/entreprises/", "/en/enterprises/"])
def test_near_combines_with_search_and_facets(client, places, prefix, query, expected):
    assert names_in(html_of(client, f"{prefix}?{query}")) == expected


def test_facet_counts_keep_to_the_place(client, places):
    html = html_of(client, "/en/enterprises/?near=Rimouski&radius_km=50")
    assert 'Housing <span class="facet-count">(2)</span>' in html
    assert 'Food <span class="facet-count">(1)</span>' in html
    assert "<title>3 enterprises — Directory" in html


def test_nearest_is_the_default_order_near_a_place_and_offered_only_then(client, places):
    html = html_of(client, "/fr/entreprises/")
    assert 'value="nearest"' not in html
    html = html_of(client, "/fr/entreprises/?near=48.58,-68.19&radius_km=50")
    assert '<option value="" selected>Proximité</option>' in html
    assert names_in(html) == ["Cèdre", "Bouleau", "Arbre"]
    html = html_of(client, "/en/enterprises/?near=48.58,-68.19&radius_km=50&sort=name")
    assert names_in(html) == ["Arbre", "Bouleau", "Cèdre"]
    assert '<option value="">Nearest</option>' in html
    # With a search too, relevance is offered and distance stays the default.
    html = html_of(client, "/en/enterprises/?near=Rimouski&q=arbre")
    assert '<option value="" selected>Nearest</option><option value="relevance">Relevance' in html
    # Asked for without a place, nearest falls back to the name.
    assert names_in(html_of(client, "/en/enterprises/?sort=nearest"))[:2] == ["Arbre", "Bouleau"]


def test_near_chip_removes_the_place_its_radius_and_its_order(client, places):
    html = html_of(
        client, "/fr/entreprises/?near=Rimouski&radius_km=50&sort=nearest&sector=habitation"
    )
    assert (
        '<a class="chip" href="?sector=habitation">Près de Rimouski (50\xa0km) <span aria-hidden'
    ) in html
    html = html_of(client, "/en/enterprises/?near=48.45,-68.53")
    assert '<a class="chip" href="?">Near 48.4500, -68.5300 (25 km) <span' in html


def test_the_field_keeps_what_was_typed_and_the_radius(client, places):
    html = html_of(client, "/en/enterprises/?near=rimouski&radius_km=50")
    assert 'name="near" value="rimouski"' in html
    assert '<option value="50" selected>50 km</option>' in html
    html = html_of(client, "/fr/entreprises/?near=Atlantis")
    assert 'name="near" value="Atlantis"' in html


@pytest.mark.parametrize(
    ("url", "label"),
    [("/fr/", "Près de (une ville du Québec)"), ("/en/", "Near (a Québec town)")],
)
def test_home_search_form_has_the_near_field(client, places, url, label):
    html = html_of(client, url)
    assert f'<label for="search-near">{label}</label>' in html
    assert 'id="search-near" name="near" value=""' in html
    assert 'name="radius_km"' in html


def test_gazetteer_names_for_completion_include_the_directory_towns(client, places):
    EnterpriseFactory(
        name_fr="Mélèze",
        name_en="Mélèze",
        city="Village-des-Essais",
        latitude="47.000000",
        longitude="-70.000000",
    )
    names = get_json(client, "/fr/entreprises/lieux.json")
    assert {"Rimouski", "Trois-Rivières", "Montréal", "Village-des-Essais"} <= set(names)
    assert names == get_json(client, "/en/enterprises/places.json")
    assert len(names) > 500
    # A town only the directory knows is found too, at its enterprises' position.
    html = html_of(client, "/en/enterprises/?near=village+des+essais&radius_km=5")
    assert names_in(html) == ["Mélèze"]
    assert distances_in(html) == ["0.0 km away"]


# -- the map's data and the API ------------------------------------------------------------


def test_map_data_keeps_to_the_place(client, places):
    data = get_json(client, "/fr/carte/entreprises.geojson?near=Rimouski&radius_km=50")
    assert sorted(f["properties"]["name"] for f in data["features"]) == [
        "Arbre",
        "Bouleau",
        "Cèdre",
    ]
    data = get_json(
        client, "/en/map/enterprises.geojson?near=48.845,-67.525&radius_km=5&sector=alimentation"
    )
    assert [f["properties"]["name"] for f in data["features"]] == ["Duplex"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/en/map/enterprises.geojson?near=Atlantis", "“Atlantis” is not a Québec town we know"),
        ("/fr/carte/entreprises.geojson?near=Rimouski&radius_km=3", "Le rayon doit être de 5,"),
    ],
)
def test_map_data_refuses_a_bad_place(client, places, url, message):
    data = get_json(client, url, status=400)
    assert data["error"].startswith(message)


def slugs(data):
    return [item["slug"] for item in data["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("near=48.44879,-68.52396", {"arbre", "bouleau"}),
        ("near=48.44879,-68.52396&radius_km=50", {"arbre", "bouleau", "cedre"}),
        ("near=48.44879,-68.52396&radius_km=100&sector=alimentation", {"bouleau", "duplex"}),
        ("near=Rimouski&radius_km=100&legal_form=cooperative&q=duplex", {"duplex"}),
        ("near=46.35,-72.55&radius_km=5", {"erable"}),
    ],
)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_api_near_and_radius(anonymous, places, query, expected, lang):
    data = get_json(anonymous, f"{API}?{query}", HTTP_ACCEPT_LANGUAGE=lang)
    assert set(slugs(data)) == expected


@pytest.mark.parametrize(
    ("query", "lang", "errors"),
    [
        (
            "near=91,-68",
            "en",
            {
                "near": [
                    "Coordinates are latitude,longitude in degrees, e.g. 46.81,-71.21 (latitude"
                    " from -90 to 90, longitude from -180 to 180)."
                ]
            },
        ),
        (
            "near=Atlantis",
            "fr",
            {
                "near": [
                    "«\xa0Atlantis\xa0» n’est pas une ville du Québec que nous connaissons\xa0:"
                    " choisissez-en une dans la liste, ou donnez des coordonnées sous la forme"
                    " latitude,longitude."
                ]
            },
        ),
        ("near=48.4,-68.5&radius_km=7", "en", {"radius_km": ["The radius must be 5, 10, 25, 50 or 100 km."]}),
        ("near=48.4,-68.5&radius_km=-5", "fr", {"radius_km": ["Le rayon doit être de 5, 10, 25, 50 ou 100\xa0km."]}),
    ],
)  # fmt: skip
def test_api_bad_near_or_radius_is_a_400_in_both_languages(anonymous, places, query, lang, errors):
    data = get_json(anonymous, f"{API}?{query}", status=400, HTTP_ACCEPT_LANGUAGE=lang)
    assert data["errors"] == errors
    assert data["detail"] in (
        f"Invalid value for: {', '.join(errors)}.",
        f"Valeur non valide pour\xa0: {', '.join(errors)}.",
    )


def test_api_geojson_near(anonymous, places):
    data = get_json(anonymous, f"{API}?format=geojson&near=Matane&radius_km=10")
    assert [f["properties"]["slug"] for f in data["features"]] == ["duplex"]


# -- queries: constant, whatever the page size, the values and the place ------------------


def test_query_count_is_constant_near_a_place_whatever_the_size_and_the_values(client):
    counts = []
    for size in (3, 30):
        regions = [RegionFactory(code=code, name_fr=code) for code in ("01", "02", "03")]
        pole = PoleFactory(regions=regions)
        sectors = SectorFactory.create_batch(3)
        for n, enterprise in enumerate(
            EnterpriseFactory.create_batch(
                size, pole=pole, city="Rimouski", latitude="48.450000", longitude="-68.530000"
            )
        ):
            enterprise.region = regions[n % 3]
            enterprise.save()
            set_sectors(enterprise=enterprise, primary=sectors[n % 3])
        refresh_search_vectors()
        one = f"?near=Rimouski&sector={sectors[0].slug}&region=01&legal_form=cooperative&pole={pole.slug}"
        three = "?" + "&".join(
            ["near=48.45,-68.53", "radius_km=100", "q=solidarity", "sort=name"]
            + [f"sector={s.slug}" for s in sectors]
            + [f"region={r.code}" for r in regions]
            + ["legal_form=cooperative", "legal_form=nonprofit", "legal_form=mutual"]
            + [f"pole={pole.slug}"]
        )
        for url in (
            "/fr/entreprises/" + one,
            "/en/enterprises/" + three,
            "/fr/entreprises/?near=village-des-essais",  # the directory's towns, read once
        ):
            client.get(url)  # Warm: a search's stems are asked of the database once.
            counts.append(query_count(client, url))
        counts.append(
            query_count(client, f"{API}?near=48.45,-68.53&radius_km=100&sector={sectors[0].slug}")
        )
        counts.append(query_count(client, "/fr/carte/entreprises.geojson" + three))
    assert counts[:5] == counts[5:], counts
    # A search reads its page's ids, kept in order per search state, in one more query.
    assert counts[0] + 1 == counts[1], counts


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/fr/carte/?near=Rimouski&radius_km=50", ["Arbre", "Bouleau", "Cèdre"]),
        ("/en/map/?near=Rimouski&radius_km=100&sector=alimentation", ["Bouleau", "Duplex"]),
    ],
)
def test_map_page_lists_the_same_places(client, places, url, names):
    html = html_of(client, url)
    listed = html.split('class="map-list"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<a href="/(?:fr|en)/[^"]+/">([^<]+)</a>', listed) == names
    assert "near=Rimouski" in html  # the map's data asks for the same place


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("index", ["enterprise_published_near", "enterprise_published_near_lon"])
def test_a_page_of_the_nearest_is_chosen_from_the_index_alone(places, language, index):
    # The box, the distance, the order by name in each language and the key are all in
    # each "near" index (by latitude first, by longitude first: the planner reads the
    # narrower band), and its condition is the query's: choosing a page can read no
    # wide row (at 100,000 enterprises, about 1,200 of them for 25 km around Rimouski).
    # Checked on the columns rather than on the plan, which on a few rows is any.
    with translation.override(language):
        filters = DirectoryFilters(near=parse_near("Rimouski"))
        sql, _ = search_enterprises(filters=filters).values("pk")[:20].query.sql_with_params()
    read = set(re.findall(r'"entreprises_enterprise"\."(\w+)"', sql))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(a.attname::text ORDER BY a.attnum), pg_get_expr(i.indpred, i.indrelid)"
            " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
            " WHERE c.relname = %s GROUP BY i.indpred, i.indrelid",
            [index],
        )
        held, condition = cursor.fetchone()
    assert read == {"status", "latitude", "longitude", "name_fr", "id"} | (
        {"name_en"} if language == "en" else set()
    )
    assert read - {"status"} <= set(held)
    assert "status)::text = 'published'" in condition
