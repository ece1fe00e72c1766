"""The enterprise form's map: served from our static files, opening on the territory of
the user's poles (all of Québec for the national team); and the region a pole that serves
only one fills by itself."""

from django.urls import reverse

from common.validators import QUEBEC_MAX_LATITUDE, QUEBEC_MIN_LONGITUDE
from tests.entreprises.conftest import enterprise_form_data
from tests.factories import EnterpriseFactory

ADD = reverse("admin:entreprises_enterprise_add")


def map_of(page: str) -> str:
    start = page.index('<div id="coordinates-map"')
    return page[start : page.index("</div>", start) + 6]


def test_pole_staff_map_opens_around_their_poles_enterprises(personas, world):
    EnterpriseFactory(pole=world.pole_a, region=world.montreal, latitude=45.42, longitude=-73.9)
    EnterpriseFactory(pole=world.pole_a, region=world.montreal, latitude=45.61, longitude=-73.51)
    EnterpriseFactory(pole=world.pole_b, region=world.laval, latitude=46.8, longitude=-71.2)
    page = personas.client_for(personas.staff_a).get(ADD, HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert 'data-bounds="45.42000,-73.90000,45.61000,-73.51000"' in map_of(body)
    assert 'aria-label="Map to place the enterprise"' in map_of(body)
    assert 'data-latitude="id_latitude" data-longitude="id_longitude"' in map_of(body)
    # Leaflet, the portal's shared set-up of it, then the picker (the admin interleaves
    # other widgets' scripts but keeps each widget's order).
    scripts = [
        body.index(f'<script src="/static/{path}"></script>')
        for path in ("vendor/leaflet/leaflet.js", "js/map-base.js", "js/admin-coordinates-map.js")
    ]
    assert scripts == sorted(scripts)
    assert '<link href="/static/vendor/leaflet/leaflet.css" media="all" rel="stylesheet">' in body
    assert "Click the map or drag the marker" in body


def test_national_team_map_opens_on_quebec(personas, world):
    page = personas.client_for(personas.national).get(ADD).content.decode()
    assert f'data-bounds="44.99000,{QUEBEC_MIN_LONGITUDE:.5f},{QUEBEC_MAX_LATITUDE:.5f},' in page
    assert "Cliquez sur la carte ou glissez le repère" in page


def test_the_map_holds_no_value_and_the_typed_coordinates_are_saved(personas, world):
    client = personas.client_for(personas.staff_a)
    url = reverse("admin:entreprises_enterprise_change", args=[world.enterprise_a.pk])
    data = enterprise_form_data(
        world.enterprise_a, latitude="45.523456", longitude="-73.581234", place_on_map="junk"
    )
    assert client.post(url, data).status_code == 302
    world.enterprise_a.refresh_from_db()
    assert (str(world.enterprise_a.latitude), str(world.enterprise_a.longitude)) == (
        "45.523456",
        "-73.581234",
    )


def test_region_left_empty_is_the_one_region_its_pole_serves(personas, world):
    client = personas.client_for(personas.national)
    url = reverse("admin:entreprises_enterprise_change", args=[world.enterprise_b.pk])
    data = enterprise_form_data(world.enterprise_b, region="")
    assert client.post(url, data).status_code == 302
    world.enterprise_b.refresh_from_db()
    assert world.enterprise_b.region == world.laval
