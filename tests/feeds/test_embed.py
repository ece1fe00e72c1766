"""The embeddable map: framable by any site on /embed/ only, in the visitor's language,
filtered as the directory is, without cookies; and its snippet on the pole page."""

import json
import re
from html import unescape

import pytest

from entreprises.services import set_sectors
from tests.factories import EnterpriseFactory, PoleFactory, RegionFactory, SectorFactory
from tests.helpers import body_of, html_of
from tests.ops.policies import STRICT_POLICY, directives

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    montreal = RegionFactory(code="06", name_fr="Montréal")
    laval = RegionFactory(code="13", name_fr="Laval")
    pole = PoleFactory(name_fr="Pôle A", slug="pole-a", regions=[montreal, laval])
    other = PoleFactory(name_fr="Pôle B", slug="pole-b", regions=[laval])
    housing = SectorFactory(name_fr="Habitation", name_en="Housing", slug="habitation")
    food = SectorFactory(name_fr="Alimentation", name_en="Food", slug="alimentation")
    rows = [
        ("arbre", "Arbre", pole, montreal, housing),
        ("bouleau", "Bouleau", pole, laval, housing),
        ("cedre", "Cèdre", other, laval, food),
        ("duplex", "Duplex", other, laval, housing),
    ]
    for slug, name, owner, region, sector in rows:
        enterprise = EnterpriseFactory(
            slug=slug, name_fr=name, name_en=name, pole=owner, region=region
        )
        set_sectors(enterprise=enterprise, primary=sector)
    return pole


def embed_of(client, url, language) -> str:
    """The embed page's HTML for a visitor whose browser asks for `language`."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return body_of(response).decode()


def data_attribute(html, name):
    return unescape(re.search(rf'<div id="map"[^>]*\s{name}="([^"]*)"', html, re.S).group(1))


def mapped(client, html):
    response = client.get(data_attribute(html, "data-geojson"))
    assert response.status_code == 200
    return sorted(f["properties"]["name"] for f in json.loads(body_of(response))["features"])


def test_embed_is_framable_by_any_site_and_sets_no_cookie(client, directory):
    response = client.get("/embed/map/?pole=pole-a", HTTP_ACCEPT_LANGUAGE="fr-CA")
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == {
        **STRICT_POLICY,
        "frame-ancestors": "*",
    }
    assert "X-Frame-Options" not in response
    assert response.cookies == {}
    assert "Set-Cookie" not in response
    assert "csrfmiddlewaretoken" not in body_of(response).decode()


@pytest.mark.parametrize("url", ["/fr/carte/?pole=pole-a", "/fr/poles/pole-a/", "/fr/"])
def test_other_pages_stay_unframable(client, directory, url):
    response = client.get(url)
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"])["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_embed_of_a_pole_maps_what_the_directory_filter_gives(client, directory):
    html = embed_of(client, "/embed/map/?pole=pole-a", "fr-CA")
    assert data_attribute(html, "data-geojson") == "/fr/carte/entreprises.geojson?pole=pole-a"
    assert mapped(client, html) == ["Arbre", "Bouleau"]
    assert '<html lang="fr" class="embed">' in html
    assert (
        '<a href="http://testserver/fr/carte/?pole=pole-a" target="_blank" rel="noopener">'
        "2 entreprises sur la carte — les voir sur le Portail de l’économie sociale du Québec</a>"
    ) in html
    assert data_attribute(html, "data-link-target") == "_blank"


def test_embed_of_a_sector_in_a_region_in_english(client, directory):
    html = embed_of(client, "/embed/map/?sector=habitation&region=13", "en-CA,en;q=0.9")
    assert '<html lang="en" class="embed">' in html
    assert data_attribute(html, "data-geojson") == (
        "/en/map/enterprises.geojson?sector=habitation&region=13"
    )
    assert mapped(client, html) == ["Bouleau", "Duplex"]
    assert "2 enterprises on the map — see them on the Québec social economy portal" in html


def test_embed_with_an_unknown_filter_value_shows_no_error_page(client, directory):
    html = embed_of(client, "/embed/map/?pole=nope", "fr")
    # As on the directory: a wrong value is left out, never a server error.
    assert mapped(client, html) == ["Arbre", "Bouleau", "Cèdre", "Duplex"]


def test_embed_page_has_no_site_chrome(client, directory):
    html = embed_of(client, "/embed/map/?pole=pole-a", "fr")
    assert 'class="site-header"' not in html
    assert 'class="site-footer"' not in html
    assert "<form" not in html
    assert (
        '<script src="/static/js/map-base.js" defer></script>\n'
        '  <script src="/static/js/map.js" defer></script>'
    ) in html


@pytest.mark.parametrize(
    ("language", "heading", "title"),
    [
        ("fr", "Intégrer cette carte", "Carte des entreprises de Pôle A"),
        ("en", "Embed this map", "Map of the enterprises of Pôle A"),
    ],
)
def test_pole_page_offers_the_iframe_code(client, directory, language, heading, title):
    html = html_of(client, f"/{language}/poles/pole-a/")
    assert f'<h2 id="embed-snippet-title">{heading}</h2>' in html
    code = re.search(r'<textarea id="embed-snippet-code"[^>]*>([^<]*)</textarea>', html).group(1)
    assert unescape(code) == (
        f'<iframe src="http://testserver/embed/map/?pole=pole-a" title="{title}" '
        'width="100%" height="450" style="border:0" loading="lazy"></iframe>'
    )
    assert '<a href="http://testserver/embed/map/?pole=pole-a">' in html
