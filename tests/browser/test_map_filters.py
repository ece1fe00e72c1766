"""The map with the directory's filters in a real browser, at a phone's and a desktop's
width: a facet applies at once, the map's view lives in the address (kept by a reload
and the language switch), and "search this area" keeps the results in view."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from entreprises.models import Enterprise
from tests.browser.test_map import map_box_in_viewport, markers_inside_map

pytestmark = pytest.mark.browser

SIZES = [(390, 844), (1280, 900)]


def wait_until(page, expression, timeout=15):
    """Polled from here: the page's Content-Security-Policy refuses the string evaluation
    that Playwright's own polling inside the page needs."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(100)


def wait_for_markers(page):
    page.wait_for_selector("#map[data-loaded]")
    wait_until(page, "document.querySelectorAll('#map .leaflet-marker-icon').length > 0")


def assert_no_axe_violation(page):
    # Once the map's zoom and its clusters' fading are over: half-faded markers are no state.
    wait_until(
        page, "!document.querySelector('#map .leaflet-zoom-anim, #map .leaflet-cluster-anim')"
    )
    page.wait_for_timeout(400)
    results = Axe().run(page)
    assert results.violations_count == 0, [
        (v["id"], [node["target"] for node in v["nodes"]]) for v in results.response["violations"]
    ]


def located():
    return Enterprise.objects.published().exclude(latitude=None)


def loaded(page):
    return int(page.locator("#map").get_attribute("data-loaded"))


def assert_map_shows_markers(page, height):
    box = map_box_in_viewport(page)
    assert box["top"] >= 0 and box["bottom"] <= box["innerHeight"], box
    assert box["left"] >= 0 and box["right"] <= box["innerWidth"], box
    assert box["height"] <= 0.75 * height, box
    assert markers_inside_map(page) > 0


def view_of(url):
    query = parse_qs(urlsplit(url).query)
    return {name: query[name][0] for name in ("lat", "lon", "z") if name in query}


def drag_map(page, dx, dy):
    box = page.locator("#map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=8)
    page.mouse.up()


def marker_positions(page):
    """Each marker's (or cluster's) place inside the map, in pixels."""
    return page.evaluate(
        """() => {
          const map = document.getElementById("map").getBoundingClientRect();
          return [...document.querySelectorAll("#map .leaflet-marker-icon")].map(icon => {
            const box = icon.getBoundingClientRect();
            return [icon.title || icon.textContent, Math.round(box.left - map.left),
                    Math.round(box.top - map.top)];
          }).sort();
        }"""
    )


def open_filters(page):
    panel = page.locator("#filters-panel")
    if panel.get_attribute("open") is None:
        page.locator("#filters-panel > summary").click()


@pytest.mark.parametrize("width,height", SIZES)
def test_a_facet_change_updates_map_and_list_without_a_button(
    portal, new_page, screenshots_dir, width, height
):
    page = new_page(locale="fr-CA", width=width, height=height)
    page.goto(portal + "/fr/carte/")
    wait_for_markers(page)
    assert loaded(page) == located().count()
    open_filters(page)
    assert page.get_by_role("button", name="Appliquer les filtres").is_hidden()
    page.locator("#facet-legal_form-cooperative").check()
    page.wait_for_url(re.compile(r"/fr/carte/\?legal_form=cooperative$"))
    wait_for_markers(page)
    cooperatives = located().filter(legal_form="cooperative")
    assert 0 < cooperatives.count() < located().count()
    assert loaded(page) == cooperatives.count()
    names = sorted(page.locator(".map-list li > a").all_text_contents())
    assert names == sorted(e.name_fr for e in cooperatives)
    expect(page.locator("a.chip")).to_have_count(1)
    # The ticked box keeps the focus, for a keyboard user to go on from it.
    assert page.evaluate("document.activeElement.id") == "facet-legal_form-cooperative"
    assert_map_shows_markers(page, height)
    page.screenshot(path=screenshots_dir / f"map-facet-fr-{width}.png")
    assert_no_axe_violation(page)


@pytest.mark.parametrize("width,height", SIZES)
def test_the_address_keeps_the_view_after_a_pan_and_a_reload_restores_it(
    portal, new_page, screenshots_dir, width, height
):
    page = new_page(locale="en-CA", width=width, height=height)
    page.goto(portal + "/en/map/?legal_form=nonprofit")
    wait_for_markers(page)
    assert view_of(page.url) == {}  # the map fits the results without writing it down
    page.locator("#map").scroll_into_view_if_needed()
    drag_map(page, -60, 40)
    page.wait_for_url(re.compile(r"lat=.+&lon=.+&z=\d+"))
    view = view_of(page.url)
    assert page.url.startswith(portal + "/en/map/?legal_form=nonprofit&lat=")
    # The language switch and the list go on from the same view and filters.
    french = page.locator(".language-switch a[hreflang=fr]").get_attribute("href")
    assert urlsplit(french).path == "/fr/carte/"
    assert view_of(french) == view and "legal_form=nonprofit" in french
    list_link = page.get_by_role("link", name="Show these results as a list")
    assert view_of(list_link.get_attribute("href")) == view
    # The clusters are drawn again once the pan is over: read them when they are back.
    wait_until(
        page,
        "!document.querySelector('#map .leaflet-zoom-anim, #map .leaflet-cluster-anim')"
        " && document.querySelectorAll('#map .leaflet-marker-icon').length > 0",
    )
    before = marker_positions(page)
    assert before
    page.screenshot(path=screenshots_dir / f"map-panned-en-{width}.png")
    assert_no_axe_violation(page)

    page.reload()
    wait_for_markers(page)
    assert view_of(page.url) == view
    wait_until(
        page,
        f"document.querySelectorAll('#map .leaflet-marker-icon').length >= {len(before)}",
    )
    after = marker_positions(page)
    assert [name for name, _x, _y in after] == [name for name, _x, _y in before]
    for (_name, x1, y1), (_same, x2, y2) in zip(before, after, strict=True):
        assert abs(x1 - x2) <= 2 and abs(y1 - y2) <= 2, (before, after)
    # The French page, through the switch, opens on the same view too.
    page.locator(".language-switch a[hreflang=fr]").click()
    page.wait_for_url(re.compile(r"/fr/carte/\?"))
    wait_for_markers(page)
    assert view_of(page.url) == view
    assert_map_shows_markers(page, height)


@pytest.mark.parametrize("width,height", SIZES)
def test_search_this_area_appears_after_a_move_and_keeps_what_is_in_view(
    portal, new_page, screenshots_dir, width, height
):
    page = new_page(locale="fr-CA", width=width, height=height)
    page.goto(portal + "/fr/carte/")
    wait_for_markers(page)
    button = page.get_by_role("button", name="Rechercher dans cette zone")
    assert button.is_hidden()
    page.locator("#map").scroll_into_view_if_needed()
    page.get_by_role("button", name="Zoom avant").click()
    page.wait_for_url(re.compile(r"z=\d+"))
    expect(button).to_be_visible()
    page.screenshot(path=screenshots_dir / f"map-search-area-button-fr-{width}.png")
    assert_no_axe_violation(page)
    button.click()
    page.wait_for_url(re.compile(r"bbox="))
    wait_for_markers(page)
    query = parse_qs(urlsplit(page.url).query)
    west, south, east, north = (float(n) for n in query["bbox"][0].split(","))
    inside = located().filter(
        longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north
    )
    assert 0 < inside.count() < located().count()
    assert loaded(page) == inside.count()
    names = sorted(page.locator(".map-list li > a").all_text_contents())
    assert names == sorted(e.name_fr for e in inside)
    expect(page.locator("a.chip")).to_have_text(re.compile("Dans la zone choisie sur la carte"))
    # The view is the one searched; the new results have the focus; no button until it moves.
    assert "lat" in query and "z" in query
    assert page.evaluate("document.activeElement.id") == "map-list-title"
    assert button.is_hidden()
    assert_map_shows_markers(page, height)
    page.screenshot(path=screenshots_dir / f"map-search-area-fr-{width}.png")
    assert_no_axe_violation(page)
    # A facet changed now keeps the area and the view.
    open_filters(page)
    page.locator("#facet-legal_form-cooperative").check()
    page.wait_for_url(re.compile(r"legal_form=cooperative"))
    wait_for_markers(page)
    kept = parse_qs(urlsplit(page.url).query)
    assert kept["bbox"] == query["bbox"] and kept["z"] == query["z"]
    assert loaded(page) == inside.filter(legal_form="cooperative").count()


def test_without_javascript_the_map_page_filters_with_its_button(portal, browser):
    context = browser.new_context(
        locale="en-CA", java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(portal + "/en/map/")
        page.locator("#filters-panel > summary").click()
        page.locator("#facet-legal_form-cooperative").check()
        page.get_by_role("button", name="Apply the filters").click()
        page.wait_for_url(re.compile(r"legal_form=cooperative"))
        cooperatives = located().filter(legal_form="cooperative")
        names = sorted(page.locator(".map-list li > a").all_text_contents())
        assert names == sorted(e.name_en or e.name_fr for e in cooperatives)
    finally:
        context.close()


def test_a_phone_resizing_the_page_is_no_move_of_the_map(portal, new_page):
    # The address bar of a phone's browser comes and goes as the page scrolls.
    page = new_page(locale="en-CA", width=390, height=844)
    page.goto(portal + "/en/map/")
    wait_for_markers(page)
    page.set_viewport_size({"width": 390, "height": 780})
    page.wait_for_timeout(500)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    assert view_of(page.url) == {}
    assert page.get_by_role("button", name="Search this area").is_hidden()


def test_near_a_place_the_map_and_its_list_show_the_same_results(portal, new_page):
    centre = located().order_by("name_fr").first()
    page = new_page(locale="fr-CA", width=1280, height=900)
    page.goto(portal + f"/fr/carte/?near={centre.latitude},{centre.longitude}&radius_km=25")
    wait_for_markers(page)
    items = page.locator(".map-list li > a").all_text_contents()
    assert centre.name_fr in items
    assert loaded(page) == len(items) < located().count()
    assert_map_shows_markers(page, 900)
    assert_no_axe_violation(page)
