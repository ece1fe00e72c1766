"""The enterprise page in a real browser: its contact card first, its small map with the
marker, no accessibility violation, and screenshots at a phone's and a desktop's width."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from entreprises.models import Enterprise

pytestmark = [pytest.mark.browser, pytest.mark.serial]

PATHS = {"fr-CA": "/fr/entreprises/{slug}/", "en-CA": "/en/enterprises/{slug}/"}


def an_enterprise_with_hours() -> Enterprise:
    return (
        Enterprise.objects.published()
        .exclude(opening_hours={})
        .exclude(latitude=None)
        .exclude(phone="")
        .order_by("slug")
        .first()
    )


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("locale", ["fr-CA", "en-CA"])
def test_enterprise_page_contact_card_map_and_axe(
    portal, new_page, screenshots_dir, locale, width
):
    enterprise = an_enterprise_with_hours()
    page = new_page(locale=locale, width=width, height=844 if width == 390 else 900)
    page.goto(portal + PATHS[locale].format(slug=enterprise.slug))
    page.wait_for_selector("#enterprise-map.map-ready .leaflet-marker-icon")

    results = Axe().run(page)
    assert results.violations_count == 0, [v["id"] for v in results.response["violations"]]

    # On a phone, the number to call is on the first screen, before the mission.
    phone = page.locator(".contact-card a[href^='tel:']").bounding_box()
    mission = page.locator(".enterprise-body h2").first.bounding_box()
    if width == 390:
        assert phone["y"] + phone["height"] < 844
        assert phone["y"] < mission["y"]
    else:
        # Beside the text on a wide screen, at the same height.
        card = page.locator(".contact-card").bounding_box()
        assert card["x"] > mission["x"] + mission["width"] and card["y"] < mission["y"] + 50
    assert page.locator(".open-now").inner_text() in {
        "Ouvert maintenant",
        "Fermé maintenant",
        "Open now",
        "Closed now",
    }
    assert page.locator("table.hours tr").count() == 7
    assert page.locator(".leaflet-marker-icon").get_attribute("alt") == enterprise.name_fr
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    language = locale[:2]
    page.screenshot(path=screenshots_dir / f"enterprise-{language}-{width}.png", full_page=True)
