"""The enterprise page in a real browser: its contact card first, its small map with the
marker, no accessibility violation, and screenshots at a phone's and a desktop's width."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image, ImageDraw

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


# What the contact card shows beyond the demo's facts: a logo, social pages, an offer.
RICHER = {
    "image_small": "entreprises/logo-160.webp",
    "image_large": "entreprises/logo-480.webp",
    "image_alt_fr": "Logo : une feuille verte dans un cercle",
    "image_alt_en": "Logo: a green leaf in a circle",
    "facebook_url": "https://www.facebook.com/exemple",
    "instagram_url": "https://www.instagram.com/exemple",
    "products_services_fr": "Vente au comptoir; ateliers de réparation.",
    "products_services_en": "Over-the-counter sales; repair workshops.",
    "sells_to": ["public", "businesses"],
    "step_free_access": "yes",
}


@pytest.fixture(scope="module")
def richer_enterprise(portal_data, django_db_blocker):
    """One enterprise of the shared data with a logo and social pages, committed for the
    live server to read, and put back as it was after this module."""
    with django_db_blocker.unblock():
        enterprise = an_enterprise_with_hours()
        before = {name: getattr(enterprise, name) for name in RICHER}
        Enterprise.objects.filter(pk=enterprise.pk).update(**RICHER)
    yield enterprise
    with django_db_blocker.unblock():
        Enterprise.objects.filter(pk=enterprise.pk).update(**before)


def logo_bytes(size: int) -> bytes:
    image = Image.new("RGB", (size, size), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.ellipse((size // 10, size // 10, size * 9 // 10, size * 9 // 10), fill="#0b5e55")
    draw.ellipse((size * 3 // 10, size * 3 // 10, size * 7 // 10, size * 7 // 10), fill="#f5b82e")
    buffer = io.BytesIO()
    image.save(buffer, "WEBP")
    return buffer.getvalue()


def serve_media(page):
    """The media files come from the media server (Caddy or object storage), not from the
    portal: the browser gets them from here."""
    logos = {"160": logo_bytes(160), "480": logo_bytes(480)}

    def fulfil(route):
        size = "160" if route.request.url.endswith("-160.webp") else "480"
        route.fulfill(body=logos[size], content_type="image/webp")

    page.route("**/media/entreprises/**", fulfil)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("locale", ["fr-CA", "en-CA"])
def test_enterprise_page_contact_card_map_and_axe(
    portal, richer_enterprise, new_page, screenshots_dir, locale, width
):
    enterprise = richer_enterprise
    page = new_page(locale=locale, width=width, height=844 if width == 390 else 900)
    serve_media(page)
    page.goto(portal + PATHS[locale].format(slug=enterprise.slug))
    page.wait_for_selector("#enterprise-map.map-ready .leaflet-marker-icon")
    page.wait_for_function("document.querySelector('.contact-image').naturalWidth > 0")

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
    assert page.locator(".social-links a").all_inner_texts() == ["Facebook", "Instagram"]
    alt = RICHER["image_alt_fr" if locale == "fr-CA" else "image_alt_en"]
    assert page.locator(".contact-image").get_attribute("alt") == alt
    assert page.locator(".leaflet-marker-icon").get_attribute("alt") == enterprise.name_fr
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    language = locale[:2]
    page.screenshot(path=screenshots_dir / f"enterprise-{language}-{width}.png", full_page=True)
