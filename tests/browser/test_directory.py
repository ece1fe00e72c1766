"""The directory in a real browser: facets that apply at once, the phone's filter panel,
sorting, and no accessibility violation in any of these states."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def assert_no_axe_violation(page):
    results = Axe().run(page)
    assert results.violations_count == 0, [v["id"] for v in results.response["violations"]]


def result_count(page):
    return int(re.sub(r"\D", "", page.locator("#results-title").inner_text()))


def test_facets_apply_at_once_and_combine_at_1280(portal, new_page, screenshots_dir):
    page = new_page(locale="fr-CA", width=1280)
    page.goto(portal + "/fr/entreprises/")
    everything = result_count(page)
    assert page.locator("#filters-panel").get_attribute("open") == ""  # open on wide screens
    assert page.get_by_role("button", name="Appliquer les filtres").is_hidden()
    # Each box by its id: a locator such as "the first unchecked box" would name another
    # box once the page has reloaded, and Playwright's check() would tick that one too.
    sectors = page.locator("fieldset.facet").first.locator(".facet-options").first
    first_id = sectors.locator("input").nth(0).get_attribute("id")
    page.locator(f"#{first_id}").check()
    page.wait_for_url(re.compile(r"sector="))
    expect(page.locator("a.chip")).to_have_count(1)
    one = result_count(page)
    assert 0 < one < everything
    # The page came back with the ticked box focused, so a keyboard user goes on from it.
    assert page.evaluate("document.activeElement.name") == "sector"
    sectors = page.locator("fieldset.facet").first.locator(".facet-options").first
    second_id = sectors.locator("input:not(:checked)").first.get_attribute("id")
    page.locator(f"#{second_id}").check()
    page.wait_for_url(re.compile(r"sector=.+&sector="))
    expect(page.locator("a.chip")).to_have_count(2)
    two = result_count(page)
    assert one < two <= everything  # two values of one facet: either one
    assert str(two) in page.title()
    page.screenshot(path=screenshots_dir / "directory-facets-1280.png", full_page=True)
    assert_no_axe_violation(page)
    # A chip removes its value; "clear all" removes every filter.
    page.locator("a.chip").first.click()
    page.wait_for_url(lambda url: url.count("sector=") == 1)
    expect(page.locator("a.chip")).to_have_count(1)
    assert result_count(page) < two
    page.get_by_role("link", name="Tout effacer").click()
    page.wait_for_url(re.compile(r"/fr/entreprises/$"))
    assert result_count(page) == everything


def test_sort_applies_at_once(portal, new_page):
    page = new_page(locale="en-CA", width=1280)
    page.goto(portal + "/en/enterprises/")
    assert page.get_by_role("button", name="Sort", exact=True).is_hidden()
    page.get_by_label("Sort by").select_option("updated")
    page.wait_for_url(re.compile(r"sort=updated"))
    assert page.get_by_label("Sort by").input_value() == "updated"
    assert_no_axe_violation(page)


def test_numbered_pages_keep_the_state(portal, new_page, screenshots_dir):
    page = new_page(locale="en-CA", width=1280)
    page.goto(portal + "/en/enterprises/?sort=updated&page=2")
    nav = page.get_by_role("navigation", name="Pages")
    assert nav.locator("[aria-current=page]").text_content() == "Page 2"
    nav.locator("a[rel=next]").click()
    page.wait_for_url(re.compile(r"\?sort=updated&page=3$"))
    nav.screenshot(path=screenshots_dir / "directory-pagination-1280.png")
    assert_no_axe_violation(page)


def test_phone_folds_the_filters_and_shows_results_first(portal, new_page, screenshots_dir):
    page = new_page(locale="en-CA", width=390, height=844)
    page.goto(portal + "/en/enterprises/?legal_form=cooperative")
    panel = page.locator("#filters-panel")
    assert panel.get_attribute("open") is None
    assert page.locator("#filters-panel > summary").inner_text() == "Filters (1)"
    first_card = page.locator(".card").first.bounding_box()
    assert first_card["y"] < 844, first_card  # a result on the first screen
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=screenshots_dir / "directory-phone-390.png")
    assert_no_axe_violation(page)
    page.locator("#filters-panel > summary").click()
    assert panel.get_attribute("open") == ""
    page.screenshot(path=screenshots_dir / "directory-phone-panel-390.png")
    assert_no_axe_violation(page)
    # A box ticked in the panel applies at once; the panel stays open where it was.
    page.locator("#facet-legal_form-nonprofit").check()
    page.wait_for_url(lambda url: url.count("legal_form=") == 2)
    assert "q=" not in page.url and "sort=" not in page.url  # defaults stay out of the address
    assert page.locator("#filters-panel").get_attribute("open") == ""
    assert page.locator("#filters-panel > summary").inner_text() == "Filters (2)"
    assert page.evaluate("document.activeElement.id") == "facet-legal_form-nonprofit"


def test_without_javascript_the_buttons_apply_the_filters(portal, browser):
    context = browser.new_context(
        locale="fr-CA", java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(portal + "/fr/entreprises/")
        page.locator("#filters-panel > summary").click()
        page.locator("#facet-legal_form-cooperative").check()
        page.get_by_role("button", name="Appliquer les filtres").click()
        page.wait_for_url(re.compile(r"legal_form=cooperative"))
        page.get_by_label("Trier par").select_option("updated")
        page.get_by_role("button", name="Trier", exact=True).click()
        page.wait_for_url(re.compile(r"legal_form=cooperative.*sort=updated"))
    finally:
        context.close()
