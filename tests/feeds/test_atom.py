"""Atom feeds of newly published enterprises (all, a pole's, a sector's), read back as XML."""

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from entreprises.models import Enterprise
from entreprises.services import set_sectors
from tests.factories import EnterpriseFactory, PoleFactory, RegionFactory, SectorFactory
from tests.helpers import body_of, html_of

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_of(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(body_of(response))  # noqa: S314 (our own answer)


def entries_of(feed: ET.Element) -> list[tuple[str, str]]:
    return [
        (entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href"))
        for entry in feed.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def directory():
    """Pole A with housing and food enterprises, pole B with one; a draft; an archive."""
    region = RegionFactory(code="06")
    pole_a = PoleFactory(name_fr="Pôle A", slug="pole-a", regions=[region])
    pole_b = PoleFactory(name_fr="Pôle B", slug="pole-b", regions=[region])
    housing = SectorFactory(name_fr="Habitation", name_en="Housing", slug="habitation")
    food = SectorFactory(name_fr="Alimentation", name_en="Food", slug="alimentation")
    rows = [
        ("arbre", "Arbre", "Tree", pole_a, housing, "published"),
        ("bouleau", "Bouleau", "Birch", pole_a, food, "published"),
        ("cedre", "Cèdre", "Cedar", pole_b, housing, "published"),
        ("brouillon", "Brouillon", "Draft", pole_a, housing, "draft"),
        ("archive", "Archive", "Archive", pole_a, housing, "archived"),
    ]
    for slug, name_fr, name_en, pole, sector, status in rows:
        enterprise = EnterpriseFactory(
            slug=slug, name_fr=name_fr, name_en=name_en, pole=pole, region=region, status=status
        )
        set_sectors(enterprise=enterprise, primary=sector)
    return pole_a, housing


def test_feed_lists_published_enterprises_latest_first(client, directory):
    feed = feed_of(client, "/fr/entreprises/nouvelles.atom")
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert feed.findtext(f"{ATOM}title") == (
        "Nouvelles entreprises — Portail de l’économie sociale du Québec"
    )
    assert feed.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Chantier de l’économie sociale"
    assert entries_of(feed) == [
        ("Cèdre", "http://testserver/fr/entreprises/cedre/"),
        ("Bouleau", "http://testserver/fr/entreprises/bouleau/"),
        ("Arbre", "http://testserver/fr/entreprises/arbre/"),
    ]
    cedre = feed.find(f"{ATOM}entry")
    published = Enterprise.objects.get(slug="cedre").published_at
    assert datetime.fromisoformat(cedre.findtext(f"{ATOM}published")) == published
    assert cedre.findtext(f"{ATOM}id") == "http://testserver/fr/entreprises/cedre/"
    assert cedre.findtext(f"{ATOM}summary") == "Coopérative · Habitation · Montréal"
    assert cedre.find(f"{ATOM}category").get("term") == "Habitation"


def test_feed_in_english(client, directory):
    feed = feed_of(client, "/en/enterprises/new.atom")
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert feed.findtext(f"{ATOM}title") == "New enterprises — Québec social economy portal"
    assert entries_of(feed) == [
        ("Cedar", "http://testserver/en/enterprises/cedre/"),
        ("Birch", "http://testserver/en/enterprises/bouleau/"),
        ("Tree", "http://testserver/en/enterprises/arbre/"),
    ]
    assert feed.find(f"{ATOM}entry").findtext(f"{ATOM}summary") == (
        "Cooperative · Housing · Montréal"
    )


def test_pole_and_sector_feeds_hold_their_enterprises_only(client, directory):
    pole = feed_of(client, "/fr/poles/pole-a/nouvelles.atom")
    assert pole.findtext(f"{ATOM}title") == (
        "Nouvelles entreprises de Pôle A — Portail de l’économie sociale du Québec"
    )
    assert [title for title, _link in entries_of(pole)] == ["Bouleau", "Arbre"]
    sector = feed_of(client, "/en/sectors/habitation/new.atom")
    assert sector.findtext(f"{ATOM}title") == (
        "New enterprises in Housing — Québec social economy portal"
    )
    assert [title for title, _link in entries_of(sector)] == ["Cedar", "Tree"]


def test_publishing_a_draft_puts_it_first(client, directory):
    draft = Enterprise.objects.get(slug="brouillon")
    draft.status = "published"
    draft.save()
    titles = [
        title for title, _link in entries_of(feed_of(client, "/fr/poles/pole-a/nouvelles.atom"))
    ]
    assert titles == ["Brouillon", "Bouleau", "Arbre"]
    # Saved again without a change of status, it keeps its date and its place.
    published_at = Enterprise.objects.get(slug="brouillon").published_at
    Enterprise.objects.get(slug="arbre").save()
    Enterprise.objects.filter(slug="brouillon").update(city="Laval")
    assert Enterprise.objects.get(slug="brouillon").published_at == published_at
    titles = [
        title for title, _link in entries_of(feed_of(client, "/fr/poles/pole-a/nouvelles.atom"))
    ]
    assert titles == ["Brouillon", "Bouleau", "Arbre"]


@pytest.mark.parametrize(
    "url", ["/fr/poles/inconnu/nouvelles.atom", "/en/sectors/unknown/new.atom"]
)
def test_feed_of_unknown_pole_or_sector_is_404(client, directory, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


@pytest.mark.parametrize(
    ("page", "feed", "title"),
    [
        ("/fr/entreprises/", "/fr/entreprises/nouvelles.atom", "Nouvelles entreprises (Atom)"),
        (
            "/en/sectors/habitation/",
            "/en/sectors/habitation/new.atom",
            "New enterprises in this sector (Atom)",
        ),
        (
            "/fr/poles/pole-a/",
            "/fr/poles/pole-a/nouvelles.atom",
            "Nouvelles entreprises de ce pôle (Atom)",
        ),
    ],
)
def test_pages_link_their_feed(client, directory, page, feed, title):
    html = html_of(client, page)
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{feed}">' in html
    )
