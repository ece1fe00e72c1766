"""The public site in a real browser: accessibility, search, language, map, screenshots."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from entreprises.models import Enterprise

pytestmark = pytest.mark.browser

PAGE_TYPES = [
    ("/fr/", "/en/"),
    ("/fr/entreprises/", "/en/enterprises/"),
    ("/fr/entreprises/?q=cooperative&region=06", "/en/enterprises/?q=cooperative&region=06"),
    ("/fr/entreprises/{enterprise}/", "/en/enterprises/{enterprise}/"),
    ("/fr/poles/", "/en/poles/"),
    ("/fr/poles/cesim-montreal/", "/en/poles/cesim-montreal/"),
    ("/fr/secteurs/", "/en/sectors/"),
    ("/fr/secteurs/habitation/", "/en/sectors/habitation/"),
    ("/fr/evenements/", "/en/events/"),
    ("/fr/evenements/fiess-2011/", "/en/events/fiess-2011/"),
    ("/fr/organisations/", "/en/organizations/"),
    ("/fr/organisations/oit/", "/en/organizations/oit/"),
    ("/fr/carte/", "/en/map/"),
    ("/fr/statistiques/", "/en/statistics/"),
    ("/fr/a-propos/", "/en/about/"),
    ("/fr/accessibilite/", "/en/accessibility/"),
    ("/fr/confidentialite/", "/en/privacy/"),
    ("/fr/donnees-ouvertes/", "/en/open-data/"),
    ("/fr/page-inexistante/", "/en/missing-page/"),
]


def a_published_slug():
    return Enterprise.objects.published().order_by("name").values_list("slug", flat=True).first()


def test_every_page_type_has_no_axe_violation_in_either_language(portal, french_page):
    axe = Axe()
    slug = a_published_slug()
    failures = {}
    for pair in PAGE_TYPES:
        for path in pair:
            url = portal + path.format(enterprise=slug)
            french_page.goto(url)
            results = axe.run(french_page)
            if results.violations_count:
                failures[path] = [v["id"] for v in results.response["violations"]]
    assert failures == {}


def test_search_from_home_then_facet(portal, french_page):
    french_page.goto(portal + "/fr/")
    french_page.get_by_label("Rechercher une entreprise").fill("cooperative")
    french_page.get_by_role("button", name="Rechercher").click()
    french_page.wait_for_url(re.compile(r"/fr/entreprises/\?q=cooperative"))
    heading = french_page.locator("#results-title").inner_text()
    found = int(re.sub(r"\D", "", heading))
    assert found > 0
    # A ticked facet applies at once, without the button.
    french_page.locator("#facet-legal_form-cooperative").check()
    french_page.wait_for_url(re.compile(r"legal_form=cooperative"))
    assert "q=cooperative" in french_page.url
    narrowed = int(re.sub(r"\D", "", french_page.locator("#results-title").inner_text()))
    assert 0 < narrowed <= found


def test_language_switch_keeps_the_search(portal, french_page):
    french_page.goto(portal + "/fr/entreprises/?q=habitation&region=06")
    french_page.get_by_role("link", name="English").click()
    french_page.wait_for_url(re.compile(r"/en/enterprises/\?q=habitation&region=06$"))
    assert french_page.locator("html").get_attribute("lang") == "en"
    assert french_page.get_by_label("Search the enterprises").input_value() == "habitation"


def test_map_shows_every_located_enterprise(portal, english_page):
    english_page.goto(portal + "/en/map/")
    english_page.wait_for_selector("#map[data-loaded]")
    expected = Enterprise.objects.published().exclude(latitude=None).count()
    assert english_page.locator("#map").get_attribute("data-loaded") == str(expected)
    # Clustered markers are drawn; the accessible list is there too.
    assert english_page.locator(".marker-cluster, .leaflet-marker-icon").count() > 0
    assert english_page.locator(".map-list li").count() == min(expected, 200)


def test_skip_link_moves_focus_to_main(portal, english_page):
    english_page.goto(portal + "/en/")
    english_page.keyboard.press("Tab")
    assert english_page.evaluate("document.activeElement.textContent") == "Skip to main content"
    english_page.keyboard.press("Enter")
    assert english_page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [360, 390, 1280])
def test_screenshots_and_no_horizontal_scroll(portal, new_page, screenshots_dir, width):
    slug = a_published_slug()
    for name, path in [
        ("home", "/fr/"),
        ("directory", "/fr/entreprises/"),
        ("enterprise", f"/fr/entreprises/{slug}/"),
        ("pole", "/fr/poles/cesim-montreal/"),
        ("event", "/en/events/fiess-2011/"),
        ("statistics", "/en/statistics/"),
    ]:
        page = new_page(width=width)
        page.goto(portal + path)
        page.screenshot(path=screenshots_dir / f"{name}-{width}.png", full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, width, overflow)


def test_map_past_the_point_limit_shows_counts_then_points_on_zooming(
    portal, english_page, settings
):
    settings.MAP_POINT_LIMIT = 10
    english_page.goto(portal + "/en/map/")
    english_page.wait_for_selector("#map[data-loaded]")
    expected = Enterprise.objects.published().exclude(latitude=None).count()
    assert expected > 10
    # Every located enterprise is counted in a cluster drawn by the server.
    assert english_page.locator("#map").get_attribute("data-loaded") == str(expected)
    cells = english_page.locator(".marker-cluster[title$='enterprises here: zoom in to see them']")
    assert cells.count() > 0
    # Zoomed into one cell, the map asks for what is in view and gets points.
    english_page.locator("#map").evaluate("element => element.removeAttribute('data-loaded')")
    cells.first.click()
    english_page.wait_for_selector("#map[data-loaded]")
    assert int(english_page.locator("#map").get_attribute("data-loaded")) <= expected
