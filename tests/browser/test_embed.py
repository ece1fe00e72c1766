"""The embeddable map framed by a page of another origin (a local web server on another
port): it loads and draws its markers there, while the portal's other pages refuse to be
framed; the embed page passes axe and leaves no cookie."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from axe_playwright_python.sync_playwright import Axe

from entreprises.models import Enterprise
from poles.models import Pole

pytestmark = pytest.mark.browser

HOST_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Un site partenaire</title></head>
<body><h1>Un site partenaire</h1>
<iframe src="{src}" title="Carte" width="800" height="450"></iframe>
</body></html>
"""


@pytest.fixture
def other_site(tmp_path):
    """A plain web server on another port of 127.0.0.1 (so another origin), serving the
    pages written with `write(name, html)`; yields that function and the server's address."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def write(name, src):
        (tmp_path / name).write_text(HOST_PAGE.format(src=src), encoding="utf-8")
        return f"http://127.0.0.1:{server.server_port}/{name}"

    yield write
    server.shutdown()
    server.server_close()


def busiest_pole() -> Pole:
    return (
        Pole.objects.filter(enterprises__status="published", enterprises__latitude__isnull=False)
        .order_by("slug")
        .first()
    )


def test_another_site_frames_the_embed_and_the_map_draws(
    portal, new_page, other_site, screenshots_dir
):
    pole = busiest_pole()
    expected = Enterprise.objects.published().filter(pole=pole).exclude(latitude=None).count()
    assert expected > 0
    host = other_site("carte.html", f"{portal}/embed/map/?pole={pole.slug}")
    assert not host.startswith(portal)
    page = new_page(locale="fr-CA")
    page.goto(host)
    frame = page.frame_locator("iframe")
    frame.locator("#map[data-loaded]").wait_for()
    assert frame.locator("#map").get_attribute("data-loaded") == str(expected)
    frame.locator("#map .leaflet-marker-icon").first.wait_for()
    assert frame.locator("html").get_attribute("lang") == "fr"
    link = frame.locator(".embed-credit a")
    assert link.get_attribute("href") == f"{portal}/fr/carte/?pole={pole.slug}"
    assert link.get_attribute("target") == "_blank"
    assert page.context.cookies() == []
    page.screenshot(path=screenshots_dir / "embed-framed.png")


def test_another_site_cannot_frame_a_normal_page(portal, new_page, other_site):
    refusals = []
    host = other_site("page.html", f"{portal}/fr/carte/")
    page = new_page(locale="fr-CA")
    page.on("console", lambda message: refusals.append(message.text))
    page.goto(host)
    page.wait_for_timeout(1000)
    framed = page.frames[1]
    # Chromium shows its own error page instead of the portal's.
    assert framed.url.startswith("chrome-error://"), framed.url
    assert framed.query_selector("#map") is None
    assert any("frame-ancestors 'none'" in text for text in refusals), refusals


@pytest.mark.parametrize("locale", ["fr-CA", "en-CA"])
def test_embed_page_is_accessible(portal, new_page, locale):
    page = new_page(locale=locale, width=800, height=450)
    page.goto(f"{portal}/embed/map/?pole={busiest_pole().slug}")
    page.wait_for_selector("#map[data-loaded]")
    # Clusters fade in after the map fits its bounds: checked once drawn, not half-faded.
    page.wait_for_function(
        "() => [...document.querySelectorAll('#map .leaflet-marker-icon')]"
        ".every(icon => getComputedStyle(icon).opacity === '1')"
    )
    assert page.locator("html").get_attribute("lang") == locale[:2]
    results = Axe().run(page)
    violations = {
        v["id"]: [node["target"][-1] for node in v["nodes"]][:4]
        for v in results.response["violations"]
    }
    assert results.violations_count == 0, violations
    assert page.context.cookies() == []
