"""The map page in a real browser: it fits the screen, draws markers, says when tiles fail."""

import pytest

from entreprises.models import Enterprise

pytestmark = pytest.mark.browser

MAP_PATHS = {"fr-CA": "/fr/carte/", "en-CA": "/en/map/"}


def map_box_in_viewport(page):
    """The map's box and the window's height once the map is scrolled into view."""
    page.locator("#map").evaluate("map => map.scrollIntoView({block: 'center'})")
    return page.evaluate(
        """() => {
          const box = document.getElementById("map").getBoundingClientRect();
          return {top: box.top, bottom: box.bottom, left: box.left, right: box.right,
                  height: box.height, innerHeight: window.innerHeight, innerWidth: window.innerWidth};
        }"""
    )


def markers_inside_map(page):
    """How many drawn markers (single or clustered) have their centre inside the map's box."""
    return page.evaluate(
        """() => {
          const map = document.getElementById("map").getBoundingClientRect();
          return [...document.querySelectorAll("#map .leaflet-marker-icon")].filter(icon => {
            const box = icon.getBoundingClientRect();
            const x = box.left + box.width / 2, y = box.top + box.height / 2;
            return x >= map.left && x <= map.right && y >= map.top && y <= map.bottom;
          }).length;
        }"""
    )


@pytest.mark.parametrize("locale", ["fr-CA", "en-CA"])
@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
def test_map_fits_the_screen_and_draws_markers(
    portal, new_page, screenshots_dir, locale, width, height
):
    page = new_page(locale=locale, width=width, height=height)
    page.goto(portal + MAP_PATHS[locale])
    page.wait_for_selector("#map[data-loaded]")
    expected = Enterprise.objects.published().exclude(latitude=None).count()
    assert page.locator("#map").get_attribute("data-loaded") == str(expected)
    box = map_box_in_viewport(page)
    # Never taller than the screen: about 70 % of it on a desktop, less on a phone.
    assert box["height"] <= 0.75 * height, box
    assert box["height"] >= (0.6 if width >= 1024 else 0.4) * height, box
    assert box["top"] >= 0 and box["bottom"] <= box["innerHeight"], box
    assert box["left"] >= 0 and box["right"] <= box["innerWidth"], box
    page.wait_for_function("document.querySelectorAll('#map .leaflet-marker-icon').length > 0")
    assert markers_inside_map(page) > 0
    page.screenshot(path=screenshots_dir / f"map-{locale[:2]}-{width}.png")


def test_desktop_list_scrolls_on_its_own_beside_the_map(portal, new_page):
    page = new_page(locale="en-CA", width=1280, height=900)
    page.goto(portal + "/en/map/")
    page.wait_for_selector("#map[data-loaded]")
    page.locator("#map").evaluate("map => map.scrollIntoView({block: 'center'})")
    before = page.locator("#map").bounding_box()
    # The list is no taller than the map and scrolls inside itself.
    sizes = page.locator(".map-list").evaluate(
        "list => [list.clientHeight, list.scrollHeight, getComputedStyle(list).overflowY]"
    )
    assert sizes[0] <= before["height"] + 1 and sizes[1] > sizes[0] and sizes[2] == "auto", sizes
    page.locator(".map-list li").last.scroll_into_view_if_needed()
    after = page.locator("#map").bounding_box()
    assert after == before


@pytest.mark.parametrize(
    "locale,text",
    [
        (
            "fr-CA",
            "Le fond de carte n’a pas pu être chargé\u00a0: les repères et la liste "
            "fonctionnent quand même.",
        ),
        ("en-CA", "The background map could not be loaded: the markers and the list still work."),
    ],
)
def test_a_notice_says_when_the_background_tiles_cannot_load(portal, new_page, locale, text):
    # No tile can load here: every host name but 127.0.0.1 resolves to nothing.
    page = new_page(locale=locale)
    page.goto(portal + MAP_PATHS[locale])
    notice = page.locator("#map .map-notice")
    notice.wait_for()
    assert notice.text_content() == text
    assert notice.get_attribute("role") == "status"
    assert notice.is_visible()
    assert page.locator("#map .map-notice").count() == 1


def wait_for_markers(page):
    page.wait_for_selector("#map[data-loaded]")
    page.wait_for_function("document.querySelectorAll('#map .leaflet-marker-icon').length > 0")


def a_single_marker_name(page):
    """The name on a marker drawn on its own (a cluster has no title) once the map fits all."""
    page.wait_for_function("document.querySelector('#map .leaflet-marker-icon[title]') !== null")
    return page.locator("#map .leaflet-marker-icon[title]").first.get_attribute("title")


def test_hovering_or_focusing_a_list_item_highlights_its_marker(portal, new_page):
    page = new_page(locale="en-CA", width=1280, height=900)
    page.goto(portal + "/en/map/")
    wait_for_markers(page)
    name = a_single_marker_name(page)
    highlighted = page.locator("#map .leaflet-marker-icon.is-highlighted")
    item = page.locator(".map-list li").filter(has=page.get_by_role("link", name=name, exact=True))
    assert highlighted.count() == 0
    item.hover()
    assert highlighted.count() == 1
    assert highlighted.get_attribute("title") == name
    page.locator("h1").hover()
    assert highlighted.count() == 0
    # The keyboard too: focusing the item's link highlights the same marker.
    item.get_by_role("link").focus()
    assert highlighted.count() == 1
    assert highlighted.get_attribute("title") == name
    page.locator("#q").focus()
    assert highlighted.count() == 0
    # Any other item highlights one marker or the cluster holding it.
    page.locator(".map-list li").nth(5).hover()
    assert highlighted.count() == 1


def test_opening_a_marker_marks_its_item_in_the_list(portal, new_page, screenshots_dir):
    page = new_page(locale="fr-CA", width=1280, height=900)
    page.goto(portal + "/fr/carte/")
    wait_for_markers(page)
    name = a_single_marker_name(page)
    page.locator("#map").get_by_title(name, exact=True).click()
    popup = page.locator(".leaflet-popup-content")
    assert popup.get_by_role("link").all_text_contents() == [name]
    current = page.locator(".map-list li.is-current")
    assert current.count() == 1
    assert current.get_by_role("link").text_content() == name
    assert current.get_by_role("link").get_attribute("aria-current") == "true"
    # Scrolled into the list's own view.
    inside = page.evaluate(
        """() => {
          const list = document.querySelector(".map-list").getBoundingClientRect();
          const item = document.querySelector(".map-list li.is-current").getBoundingClientRect();
          return item.top >= list.top && item.bottom <= list.bottom;
        }"""
    )
    assert inside
    page.screenshot(path=screenshots_dir / "map-fr-1280-marker-open.png")
    page.locator(".leaflet-popup-close-button").click()
    assert current.count() == 0


def test_enterprises_at_one_address_open_one_popup_listing_them(portal, new_page):
    # The shared demo data has no two enterprises at one address, and browser tests
    # leave it as it is: the map's own answer is passed on with its first two
    # enterprises put at one point, far north of every other.
    def one_address(route):
        collection = route.fetch().json()
        for feature in collection["features"][:2]:
            feature["geometry"]["coordinates"] = [-77.76, 55.28]
        route.fulfill(json=collection)
        names.extend(sorted(f["properties"]["name"] for f in collection["features"][:2]))

    names = []
    page = new_page(locale="en-CA", width=1280, height=900)
    page.route("**/enterprises.geojson*", one_address)
    page.goto(portal + "/en/map/")
    wait_for_markers(page)
    marker = page.locator("#map").get_by_title("2 enterprises at this address", exact=True)
    assert marker.count() == 1
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator(".map-popup-heading").text_content() == "2 enterprises at this address"
    assert sorted(popup.get_by_role("link").all_text_contents()) == names
    assert sorted(page.locator(".map-list li.is-current a").all_text_contents()) == names
