"""The map's marker images load as production serves static files (hashed names)."""

import re
from urllib.parse import urlencode

import pytest

from chantier.services import load_reference
from entreprises.demo.services import create_demo_enterprises
from entreprises.models import Enterprise
from tests.ops.test_deployment import production_server  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

HASHED_IMAGE = r"http://127\.0\.0\.1:\d+/static/vendor/leaflet/images/{name}\.[0-9a-f]{{12}}\.png"


@pytest.mark.slow
def test_map_marker_images_load_under_hashed_static_names(production_server, browser):  # noqa: F811
    base, _, _ = production_server
    load_reference()
    create_demo_enterprises(count=20, seed=42)
    located = Enterprise.objects.published().exclude(latitude=None).order_by("name").first()
    # The production server redirects plain HTTP; this is what its proxy would say.
    context = browser.new_context(locale="fr-CA", extra_http_headers={"X-Forwarded-Proto": "https"})
    page = context.new_page()
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    try:
        page.goto(base + "/fr/carte/?" + urlencode({"q": located.name}))
        page.wait_for_selector("#map[data-loaded]")
        icon = page.locator("img.leaflet-marker-icon").first
        icon.wait_for()
        icon_src = icon.evaluate("image => image.src")
        shadow_src = page.locator("img.leaflet-marker-shadow").first.evaluate("image => image.src")
        # Loaded, not broken: the image's own width (25 pixels).
        loaded = icon.evaluate("image => [image.complete, image.naturalWidth]")
    finally:
        context.close()
    assert re.fullmatch(HASHED_IMAGE.format(name="marker-icon"), icon_src), icon_src
    assert re.fullmatch(HASHED_IMAGE.format(name="marker-shadow"), shadow_src), shadow_src
    assert loaded == [True, 25]
    assert failed == []
