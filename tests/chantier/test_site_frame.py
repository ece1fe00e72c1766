"""What every public page carries: the icons, the manifest, the header's menu and the footer."""

import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from tests.helpers import body_of

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, body_of(response).decode()


def test_favicon_ico_leads_to_the_icon_file(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, "/static/img/favicon.ico")
    # An ICO file holding three images (16, 32 and 48 pixels).
    data = Path(finders.find("img/favicon.ico")).read_bytes()
    assert data[:6] == b"\x00\x00\x01\x00\x03\x00"


def test_web_manifest_names_the_portal_and_its_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(body_of(response))
    assert manifest["name"] == "Portail de l’économie sociale du Québec"
    assert [icon["sizes"] for icon in manifest["icons"]] == ["192x192", "512x512", "any"]
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_every_page_links_its_icons_and_manifest(client):
    _, html = page(client, "/fr/")
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html


def test_header_menu_works_with_and_without_script(client):
    _, html = page(client, "/en/")
    # Without JavaScript the link jumps to the menu; the script swaps in the disclosure button.
    assert '<a class="menu-link" href="#site-menu">' in html
    assert 'aria-expanded="false" aria-controls="site-menu" hidden>' in html
    assert '<nav class="site-nav" id="site-menu" aria-label="Main">' in html


@pytest.mark.parametrize(
    ("url", "contact_title", "links"),
    [
        (
            "/fr/",
            "Coordonnées",
            ["/fr/accessibilite/", "/fr/confidentialite/", "/fr/donnees-ouvertes/", "/api/docs/"],
        ),
        (
            "/en/",
            "Contact",
            ["/en/accessibility/", "/en/privacy/", "/en/open-data/", "/api/docs/"],
        ),
    ],
)
def test_footer_gives_the_chantier_contact_and_site_pages(client, url, contact_title, links):
    _, html = page(client, url)
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'<h2 id="footer-contact-title" class="footer-title">{contact_title}</h2>' in footer
    assert '<a href="https://chantier.qc.ca/" rel="external">chantier.qc.ca</a>' in footer
    for link in links:
        assert f'<a href="{link}">' in footer
    assert '<a href="https://creativecommons.org/licenses/by/4.0/deed.fr" rel="license">' in footer


def test_public_pages_set_no_cookie(client):
    """The privacy page says so."""
    for url in ["/fr/", "/en/enterprises/?q=habitation", "/fr/confidentialite/"]:
        response, _ = page(client, url)
        assert response.cookies == {}, url


def test_privacy_page_names_the_tile_server_and_staff_session_length(client):
    _, html = page(client, "/en/privacy/")
    assert "an outside tile server (tile.openstreetmap.org)" in html
    assert "when the browser closes or after 8 hours." in html
    _, html = page(client, "/fr/confidentialite/")
    assert "un serveur de tuiles externe (tile.openstreetmap.org)" in html
