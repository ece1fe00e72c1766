"""A pole's page, an event's page and an organization's page in a real browser, in French
and English, on a phone and a desktop: no axe violation, nothing wider than the screen,
the pole's small map drawn, and screenshots under test-artifacts/screenshots/."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db.models import Count, Q

from poles.models import Pole

pytestmark = [pytest.mark.browser, pytest.mark.serial]


def busiest_pole() -> Pole:
    published = Q(enterprises__status="published")
    return (
        Pole.objects.annotate(
            total=Count("enterprises", filter=published),
            located=Count("enterprises", filter=published & Q(enterprises__latitude__isnull=False)),
        )
        .order_by("-total", "slug")
        .first()
    )


def pages():
    pole = busiest_pole()
    return [
        ("pole-page", f"/fr/poles/{pole.slug}/", f"/en/poles/{pole.slug}/"),
        ("event-page", "/fr/evenements/fiess-2011/", "/en/events/fiess-2011/"),
        ("organization-page", "/fr/organisations/oit/", "/en/organizations/oit/"),
        ("organization-list", "/fr/organisations/", "/en/organizations/"),
    ]


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_are_accessible_and_fit_the_screen(portal, new_page, screenshots_dir, width):
    axe = Axe()
    failures = {}
    for name, french, english in pages():
        for language, path in (("fr", french), ("en", english)):
            page = new_page(locale=f"{language}-CA", width=width)
            page.goto(portal + path)
            if name == "pole-page":
                page.wait_for_selector("#pole-map[data-loaded]")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (path, width, overflow)
            results = axe.run(page)
            if results.violations_count:
                failures[path] = [v["id"] for v in results.response["violations"]]
            page.screenshot(path=screenshots_dir / f"{name}-{language}-{width}.png", full_page=True)
    assert failures == {}


def test_pole_map_shows_every_located_enterprise_of_the_pole(portal, english_page):
    pole = busiest_pole()
    assert pole.located > 0
    english_page.goto(f"{portal}/en/poles/{pole.slug}/")
    english_page.wait_for_selector("#pole-map[data-loaded]")
    assert english_page.locator("#pole-map").get_attribute("data-loaded") == str(pole.located)
    assert english_page.locator("#pole-map .leaflet-marker-icon").count() > 0
    assert english_page.locator("#pole-map .map-fallback").count() == 0


def test_event_page_leads_to_an_organization_and_back(portal, french_page):
    french_page.goto(f"{portal}/fr/evenements/fiess-2011/")
    french_page.get_by_role("link", name="Organisation internationale du travail (OIT)").click()
    french_page.wait_for_url(f"{portal}/fr/organisations/oit/")
    french_page.get_by_role("link", name="English").click()
    french_page.wait_for_url(f"{portal}/en/organizations/oit/")
    assert french_page.locator("h1").inner_text() == "International Labour Organization (ILO)"
    french_page.get_by_role(
        "link", name="International Forum on the Social and Solidarity Economy (FIESS)"
    ).click()
    french_page.wait_for_url(f"{portal}/en/events/fiess-2011/")
