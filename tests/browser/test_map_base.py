"""Every Leaflet map of the portal, set up by static/js/map-base.js: zoom buttons with
the page's translated titles, marker images from the page's static addresses, and the
notice for missing tiles where the page gives its words (the admin's picker and the
enterprise page's map give none)."""

import pytest

from entreprises.models import Enterprise
from tests.browser.test_admin import log_in
from tests.browser.test_pole_and_organization_pages import busiest_pole

pytestmark = [pytest.mark.browser, pytest.mark.serial]

TILE_NOTICE = "The background map could not be loaded: the markers still work."


def maps():
    slug = Enterprise.objects.published().exclude(latitude=None).order_by("name")[0].slug
    return [
        ("/en/map/", "#map", TILE_NOTICE.replace("markers", "markers and the list")),
        ("/embed/map/", "#map", TILE_NOTICE),
        (f"/en/poles/{busiest_pole().slug}/", "#pole-map", TILE_NOTICE),
        (f"/en/enterprises/{slug}/", "#enterprise-map", None),
        ("/admin/entreprises/enterprise/add/", "#coordinates-map", None),
    ]


def test_every_map_gets_the_shared_set_up(portal, personas, new_page):
    page = new_page(locale="en-CA")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, portal, personas.staff_a)
    seen = {}
    for path, selector, notice in maps():
        page.goto(portal + path)
        page.wait_for_selector(f"{selector}.leaflet-container")
        # No tile loads here (every outside host name resolves to nothing): wait for one to fail.
        page.wait_for_function(
            f"() => [...document.querySelectorAll('{selector} img.leaflet-tile')]"
            ".some((tile) => tile.complete && tile.naturalWidth === 0)"
        )
        if notice:
            page.locator(f"{selector} .map-notice").wait_for()
        seen[path] = {
            "zoom": [
                page.get_attribute(f"{selector} .leaflet-control-zoom-in", "title"),
                page.get_attribute(f"{selector} .leaflet-control-zoom-out", "title"),
            ],
            "icon": page.evaluate("L.Icon.Default.prototype.options.iconUrl"),
            "notice": page.locator(f"{selector} .map-notice").all_text_contents(),
        }
    assert seen == {
        path: {
            "zoom": ["Zoom in", "Zoom out"],
            "icon": "/static/vendor/leaflet/images/marker-icon.png",
            "notice": [notice] if notice else [],
        }
        for path, _selector, notice in maps()
    }
    assert errors == []
