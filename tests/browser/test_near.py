""" "Near" in a real browser: a town with completion, the radius applying at once, the
browser's position asked for on a click, at 1280 and 390 pixels, with no accessibility
violation in any of these states."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def assert_no_axe_violation(page):
    results = Axe().run(page)
    assert results.violations_count == 0, [v["id"] for v in results.response["violations"]]


def distances(page):
    """The distances shown, in km, as numbers (the page writes them in its language)."""
    texts = page.locator(".card-distance").all_inner_texts()
    return [float(re.search(r"[0-9]+[,.][0-9]", text)[0].replace(",", ".")) for text in texts]


def test_near_a_town_with_completion_at_1280(portal, new_page, screenshots_dir):
    page = new_page(locale="fr-CA", width=1280)
    page.goto(portal + "/fr/entreprises/")
    near = page.get_by_label("Près de (une ville du Québec)")
    near.focus()
    # The gazetteer's names arrive on first use, for the browser's own completion.
    expect(page.locator("#near-places option[value='Trois-Rivières']")).to_have_count(1)
    assert page.locator("#near-places option").count() > 500
    near.fill("montreal")
    near.press("Enter")
    page.wait_for_url(re.compile(r"near=montreal"))
    assert "radius_km" in page.url
    expect(page.locator("a.chip")).to_have_text(re.compile(r"Près de Montréal \(25\xa0km\)"))
    assert page.get_by_label("Trier par").input_value() == ""
    assert page.locator("#sort option:checked").inner_text() == "Proximité"
    within_25 = distances(page)
    assert within_25 and within_25 == sorted(within_25) and within_25[-1] <= 25
    assert page.locator(".card-distance").first.inner_text().startswith("à ")
    # A wider radius applies at once, and finds at least as many.
    page.get_by_label("Dans un rayon de").select_option("100")
    page.wait_for_url(re.compile(r"radius_km=100"))
    within_100 = distances(page)
    assert len(within_100) >= len(within_25) and within_100 == sorted(within_100)
    page.screenshot(path=screenshots_dir / "directory-near-1280.png", full_page=True)
    assert_no_axe_violation(page)


def test_near_at_390_folds_nothing_away_from_the_results(portal, new_page, screenshots_dir):
    page = new_page(locale="en-CA", width=390, height=844)
    page.goto(portal + "/en/enterprises/?near=Montreal&radius_km=50")
    assert page.locator(".card-distance").first.inner_text().endswith(" km away")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=screenshots_dir / "directory-near-390.png")
    assert_no_axe_violation(page)


def test_unknown_town_says_so_at_390(portal, new_page, screenshots_dir):
    page = new_page(locale="fr-CA", width=390, height=844)
    page.goto(portal + "/fr/entreprises/?near=Atlantide")
    expect(page.get_by_role("alert")).to_contain_text(
        "«\xa0Atlantide\xa0» n’est pas une ville du Québec que nous connaissons"
    )
    expect(page.locator(".card")).to_have_count(0)
    page.screenshot(path=screenshots_dir / "directory-near-unknown-390.png")
    assert_no_axe_violation(page)


def test_my_position_is_asked_only_on_click(portal, browser):
    context = browser.new_context(
        locale="en-CA",
        viewport={"width": 1280, "height": 900},
        geolocation={"latitude": 45.5017, "longitude": -73.5673},
        permissions=["geolocation"],
    )
    page = context.new_page()
    try:
        page.goto(portal + "/en/enterprises/")
        assert "near=" not in page.url
        page.get_by_role("button", name="Use my position").click()
        page.wait_for_url(re.compile(r"near=45\.5017%2C-73\.5673"))
        expect(page.locator("a.chip")).to_have_text(re.compile(r"Near 45\.5017, -73\.5673"))
        assert page.get_by_label("Near (a Québec town)").input_value() == "45.5017,-73.5673"
        assert_no_axe_violation(page)
    finally:
        context.close()


def test_home_search_goes_to_the_directory_near_a_town(portal, new_page):
    page = new_page(locale="en-CA", width=1280)
    page.goto(portal + "/en/")
    page.locator("#search-near").fill("Montréal")
    page.locator("#search-radius_km").select_option("50")
    page.locator("#search-near").press("Enter")
    page.wait_for_url(re.compile(r"/en/enterprises/\?.*near=Montr"))
    expect(page.locator("a.chip")).to_have_text(re.compile(r"Near Montréal \(50 km\)"))
