"""The map's GeoJSON: points up to MAP_POINT_LIMIT, clusters past it, a view box, bad input."""

from decimal import Decimal

import pytest

from common.public_cache import invalidate_public_cache
from entreprises.models import Enterprise
from tests.factories import EnterpriseFactory
from tests.helpers import captured_queries, json_of, query_count

pytestmark = pytest.mark.django_db


def geojson(client, url, status=200):
    response = client.get(url)
    assert response["Content-Type"] == (
        "application/geo+json" if status == 200 else "application/json"
    )
    return json_of(response, status=status)


@pytest.fixture
def located():
    """Three enterprises in Montréal, two in Québec City, one in Gaspé."""
    places = [
        ("45.5088", "-73.5878"),
        ("45.5100", "-73.5600"),
        ("45.5200", "-73.6000"),
        ("46.8139", "-71.2080"),
        ("46.8200", "-71.2200"),
        ("48.8300", "-64.4800"),
    ]
    return [
        EnterpriseFactory(latitude=Decimal(lat), longitude=Decimal(lon), slug=f"place-{n}")
        for n, (lat, lon) in enumerate(places)
    ]


def test_points_when_under_the_limit(client, located):
    data = geojson(client, "/en/map/enterprises.geojson")
    assert data["type"] == "FeatureCollection"
    assert sorted(f["properties"]["url"] for f in data["features"]) == [
        f"/en/enterprises/place-{n}/" for n in range(6)
    ]
    assert all("cluster" not in f["properties"] for f in data["features"])


def test_clusters_past_the_limit_count_every_enterprise(client, located, settings):
    settings.MAP_POINT_LIMIT = 5
    data = geojson(client, "/en/map/enterprises.geojson?zoom=5")
    clusters = sorted(
        (f["properties"]["count"], f["geometry"]["coordinates"]) for f in data["features"]
    )
    assert all(f["properties"]["cluster"] is True for f in data["features"])
    # Cells of 360 / (2**5 * 4) = 2.8125 degrees: Montréal, Québec City and Gaspé apart.
    assert clusters == [
        (1, [-64.48, 48.83]),
        (2, [-71.214, 46.81695]),
        (3, [-73.5826, 45.51293]),
    ]


def test_view_box_narrows_to_points(client, located, settings):
    settings.MAP_POINT_LIMIT = 5
    data = geojson(client, "/en/map/enterprises.geojson?bbox=-74,45,-73,46&zoom=10")
    assert sorted(f["properties"]["url"] for f in data["features"]) == [
        "/en/enterprises/place-0/",
        "/en/enterprises/place-1/",
        "/en/enterprises/place-2/",
    ]


BAD_BOX = (
    "Give the box as min_lon,min_lat,max_lon,max_lat: four numbers separated by commas.",
    "Indiquez la zone sous la forme min_lon,min_lat,max_lon,max_lat\u00a0: quatre nombres"
    " séparés par des virgules.",
)
BOX_ORDER = (
    "The minimum longitude and latitude must be below the maximum ones.",
    "Les longitude et latitude minimales doivent être inférieures aux maximales.",
)
BOX_RANGE = (
    "Longitudes go from -180 to 180 and latitudes from -90 to 90.",
    "Les longitudes vont de -180 à 180 et les latitudes de -90 à 90.",
)
BAD_ZOOM = (
    "zoom must be a whole number from 0 to 18.",
    "zoom doit être un nombre entier de 0 à 18.",
)


# The same box, the same messages as the API's `bbox` (tests/api/test_enterprises.py).
@pytest.mark.parametrize(
    ("query", "messages"),
    [
        ("bbox=1,2,3", BAD_BOX),
        ("bbox=a,b,c,d", BAD_BOX),
        ("bbox=nan,1,2,3", BAD_BOX),
        # Plain decimals only, as the API schema's pattern says.
        ("bbox=-7.4e1,45,-73,46", BAD_BOX),
        ("bbox=10,10,0,0", BOX_ORDER),
        ("bbox=-200,45,-75,46", BOX_RANGE),
        ("bbox=-75,45,-74,95", BOX_RANGE),
        ("zoom=99", BAD_ZOOM),
        ("zoom=-1", BAD_ZOOM),
    ],
)
def test_bad_view_box_or_zoom_is_a_400_in_both_languages(client, query, messages):
    english, french = messages
    assert geojson(client, f"/en/map/enterprises.geojson?{query}", 400) == {"error": english}
    assert geojson(client, f"/fr/carte/entreprises.geojson?{query}", 400) == {"error": french}


def test_map_page_carries_the_cluster_label_in_both_languages(client, located):
    english = client.get("/en/map/").content.decode()
    french = client.get("/fr/carte/").content.decode()
    assert 'data-cluster-label="{count} enterprises here: zoom in to see them"' in english
    assert 'data-cluster-label="{count} entreprises ici : zoomez pour les voir"' in french


def test_map_data_queries_do_not_grow_with_results(
    client, located, settings, django_capture_on_commit_callbacks
):
    settings.MAP_POINT_LIMIT = 5
    for _ in range(2):
        # The count, then the kept clusters and the cache's generation, read together.
        client.get("/en/map/enterprises.geojson")
        assert query_count(client, "/en/map/enterprises.geojson") == 2
        # The same, then the clusters of a view box narrower than the kept ones.
        assert query_count(client, "/en/map/enterprises.geojson?bbox=-80,44,-60,50") == 3
        with django_capture_on_commit_callbacks(execute=True):
            EnterpriseFactory.create_batch(10)
    settings.MAP_POINT_LIMIT = 1000
    for _ in range(2):
        # The count, then the points.
        assert query_count(client, "/en/map/enterprises.geojson") == 2
        EnterpriseFactory.create_batch(10)


# The clusters of a search are data every visitor shares: kept until a public record
# changes, even with the page cache off (the test settings' default). Committed for
# real, so that a change bumps the cache's generation as it does in production.

GASPE = {"latitude": Decimal("48.830000"), "longitude": Decimal("-64.480000")}
ENGLISH, FRENCH = "/en/map/enterprises.geojson", "/fr/carte/entreprises.geojson"


def clusters_and_scanned(client, url) -> tuple[list, bool]:
    """The clusters a map data URL gives, and whether the request grouped the enterprises."""
    with captured_queries() as queries:
        data = geojson(client, url)
    assert all(f["properties"]["cluster"] is True for f in data["features"])
    clusters = sorted(
        (f["properties"]["count"], f["geometry"]["coordinates"]) for f in data["features"]
    )
    scanned = any("FLOOR(" in q["sql"] for q in queries.captured_queries)
    return clusters, scanned


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("first", "second"), [(ENGLISH, FRENCH), (FRENCH, ENGLISH)])
def test_clusters_kept_until_a_change_which_shows_at_once(client, located, settings, first, second):
    settings.MAP_POINT_LIMIT = 4
    first, second = f"{first}?zoom=5", f"{second}?zoom=5"
    gaspe, quebec = [-64.48, 48.83], (2, [-71.214, 46.81695])
    montreal = (3, [-73.5826, 45.51293])
    assert clusters_and_scanned(client, first) == ([(1, gaspe), quebec, montreal], True)
    # Kept for both languages: clusters carry no text.
    assert clusters_and_scanned(client, second) == ([(1, gaspe), quebec, montreal], False)
    newcomer = EnterpriseFactory(slug="newcomer", **GASPE)
    assert clusters_and_scanned(client, first) == ([quebec, (2, gaspe), montreal], True)
    assert clusters_and_scanned(client, second) == ([quebec, (2, gaspe), montreal], False)
    newcomer.status = "draft"
    newcomer.save()
    assert clusters_and_scanned(client, second) == ([(1, gaspe), quebec, montreal], True)
    # From Gaspé to Montréal.
    moved = located[5]
    moved.latitude, moved.longitude = Decimal("45.520000"), Decimal("-73.600000")
    moved.save()
    assert clusters_and_scanned(client, first) == ([quebec, (4, [-73.58695, 45.5147])], True)
    # A bulk update sends no signal: it shows once the cache is told, as the facets do.
    Enterprise.objects.filter(slug="place-0").update(status="draft")
    assert clusters_and_scanned(client, first)[1] is False
    invalidate_public_cache()
    assert clusters_and_scanned(client, second) == ([quebec, (3, [-73.58667, 45.51667])], True)


@pytest.mark.django_db(transaction=True)
def test_clusters_kept_apart_per_filter_and_cell_size(client, located, settings):
    settings.MAP_POINT_LIMIT = 2
    EnterpriseFactory(slug="association", legal_form="nonprofit", cooperative_type="", **GASPE)
    everything, _ = clusters_and_scanned(client, f"{ENGLISH}?zoom=5")
    assert [count for count, _ in everything] == [2, 2, 3]
    cooperatives = clusters_and_scanned(client, f"{ENGLISH}?zoom=5&legal_form=cooperative")
    assert ([count for count, _ in cooperatives[0]], cooperatives[1]) == ([1, 2, 3], True)
    # A wider cell at a lower zoom: Montréal and Québec City together.
    wide = clusters_and_scanned(client, f"{ENGLISH}?zoom=3")
    assert ([count for count, _ in wide[0]], wide[1]) == ([2, 5], True)
    assert clusters_and_scanned(client, f"{ENGLISH}?zoom=5") == (everything, False)


@pytest.mark.django_db(transaction=True)
def test_clusters_in_a_view_box_narrower_than_the_results_made_for_each_request(
    client, located, settings
):
    """A view box is one visitor's, to four decimals: kept, it would fill the shared
    cache with answers nobody asks for again."""
    settings.MAP_POINT_LIMIT = 2
    # Montréal and Québec City, not Gaspé.
    url = f"{ENGLISH}?bbox=-74,45,-70,47&zoom=5"
    first = clusters_and_scanned(client, url)
    assert first == ([(2, [-71.214, 46.81695]), (3, [-73.5826, 45.51293])], True)
    assert clusters_and_scanned(client, url) == first
    # Every enterprise is inside this one, but not every cell they are grouped in
    # (up to 50.625° of latitude at this zoom): made too.
    holding_the_points = f"{ENGLISH}?bbox=-80,44,-60,50&zoom=5"
    assert clusters_and_scanned(client, holding_the_points) == (ALL_AT_ZOOM_5, True)


ALL_AT_ZOOM_5 = [(1, [-64.48, 48.83]), (2, [-71.214, 46.81695]), (3, [-73.5826, 45.51293])]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", [ENGLISH, FRENCH])
def test_view_box_holding_every_cell_of_the_results_gets_the_kept_clusters(
    client, located, settings, language
):
    """The map's first view, fitted to the results, then asks for what is in view."""
    settings.MAP_POINT_LIMIT = 2
    assert clusters_and_scanned(client, f"{language}?zoom=5") == (ALL_AT_ZOOM_5, True)
    in_view = f"{language}?bbox=-80,44,-60,51&zoom=5"
    assert clusters_and_scanned(client, in_view) == (ALL_AT_ZOOM_5, False)
    # The same search's clusters: a change shows in the box at once.
    EnterpriseFactory(slug="newcomer", **GASPE)
    assert clusters_and_scanned(client, in_view) == (
        [(2, [-71.214, 46.81695]), (2, [-64.48, 48.83]), (3, [-73.5826, 45.51293])],
        True,
    )
