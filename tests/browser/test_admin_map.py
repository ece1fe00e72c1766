"""The enterprise form's map in a real browser, as pole staff: a click places the marker
and fills latitude and longitude, dragging moves them, typing moves the marker; axe-core
finds no violation on the form; a screenshot of the form with its map at 1280 px."""

import pytest

from entreprises.models import Enterprise
from tests.browser.test_admin import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.serial]


def coordinates(page) -> tuple[float, float]:
    return float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude"))


@pytest.mark.parametrize(("language", "locale"), [("fr", "fr-CA"), ("en", "en-CA")])
def test_clicking_and_dragging_on_the_map_fill_the_coordinates(
    portal, personas, new_page, screenshots_dir, language, locale
):
    page = new_page(locale=locale, width=1280, height=900)
    log_in(page, portal, personas.staff_a)
    page.goto(portal + "/admin/entreprises/enterprise/add/")
    page.wait_for_selector("#coordinates-map.leaflet-container")
    assert page.input_value("#id_latitude") == ""
    page.locator("#coordinates-map").scroll_into_view_if_needed()
    box = page.locator("#coordinates-map").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(*centre)
    clicked = coordinates(page)
    # The map opened on pole A's enterprises: the click lands among them.
    located = Enterprise.objects.filter(pole=personas.pole_a, latitude__isnull=False)
    lats = [float(lat) for lat in located.values_list("latitude", flat=True)]
    lons = [float(lon) for lon in located.values_list("longitude", flat=True)]
    assert min(lats) - 0.5 <= clicked[0] <= max(lats) + 0.5
    assert min(lons) - 0.5 <= clicked[1] <= max(lons) + 0.5
    assert page.locator(".leaflet-marker-icon").count() == 1

    marker = page.locator(".leaflet-marker-icon")
    start = marker.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] - 2)
    page.mouse.down()
    page.mouse.move(centre[0] + 80, centre[1] - 60, steps=8)
    page.mouse.up()
    dragged = coordinates(page)
    assert dragged[0] > clicked[0]
    assert dragged[1] > clicked[1]

    # The fields stay editable: typing moves the marker.
    before = marker.bounding_box()
    page.fill("#id_longitude", f"{dragged[1] - 0.02:.6f}")
    assert marker.bounding_box()["x"] < before["x"]

    assert_accessible(page)
    page.screenshot(path=screenshots_dir / f"admin-changeform-map-{language}.png")
