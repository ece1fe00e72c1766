"""Organisation pages: the list by kind, each organisation with its events, and the event
pages that link to them, in French and English."""

import json
import re

import pytest

from evenements.models import Organization
from tests.factories import EventFactory, OrganizationFactory
from tests.helpers import html_of, query_count

pytestmark = pytest.mark.django_db


def section(html: str, heading_id: str) -> str:
    """The part of the page from a heading to the next heading of the same level or above."""
    start = html.index(f'id="{heading_id}"')
    end = re.search(r"<h[12][ >]", html[start:])
    return html[start : start + end.start()] if end else html[start:]


def test_organization_page_lists_its_events_by_role_in_french(client, reference_data):
    html = html_of(client, "/fr/organisations/oit/")
    assert "<h1>Organisation internationale du travail (OIT)</h1>" in html
    assert '<p class="eyebrow">Organisation internationale</p>' in html
    organized = section(html, "organized-title")
    assert re.findall(r'<a href="(/fr/evenements/[\w-]+/)">', organized) == [
        "/fr/evenements/oit-johannesburg-2009/",
        "/fr/evenements/panel-oit-entreprise-durable-2009/",
    ]
    attended = section(html, "attended-title")
    assert '<h2 id="attended-title">Événements où ses représentants étaient présents</h2>' in html
    assert re.findall(r'<a href="(/fr/evenements/[\w-]+/)">', attended) == [
        "/fr/evenements/fiess-2011/"
    ]
    assert "du 17 au 20 octobre 2011" in attended
    assert 'id="partnered-title"' not in html  # no empty section
    assert (
        "<title>Organisation internationale du travail — Organisations — Portail de l’économie sociale du Québec</title>"
        in html
    )


def test_organization_page_in_english_with_its_twin(client, reference_data):
    html = html_of(client, "/en/organizations/oit/")
    assert "<h1>International Labour Organization (ILO)</h1>" in html
    assert '<h2 id="organized-title">Events organized</h2>' in html
    assert '<h2 id="attended-title">Events its representatives attended</h2>' in html
    assert "October 17–20, 2011" in section(html, "attended-title")
    # The language switch and hreflang name the same page in French.
    assert (
        '<link rel="alternate" hreflang="fr" href="http://testserver/fr/organisations/oit/">'
        in html
    )
    assert (
        'href="http://testserver/fr/organisations/oit/" hreflang="fr" lang="fr">Français</a>'
        in html
    )


def test_organization_page_shows_partnerships_and_facts(client, reference_data):
    html = html_of(client, "/en/organizations/chantier-economie-sociale/")
    assert "<h1>Chantier de l’économie sociale</h1>" in html
    partnered = section(html, "partnered-title")
    assert re.findall(r'<a href="(/en/events/[\w-]+/)">', partnered) == [
        "/en/events/symposium-untfsse-2023/",
        "/en/events/partenariat-economie-sociale-montreal-2009/",
    ]
    assert '<dd><a href="https://chantier.qc.ca/">chantier.qc.ca</a></dd>' in html
    assert "<dd>Canada</dd>" in html and "<dd>1996</dd>" in html


def test_organization_without_events_says_so(client):
    OrganizationFactory(name_fr="Réseau sans événement", slug="sans-evenement")
    fr = html_of(client, "/fr/organisations/sans-evenement/")
    assert "<p>Aucun événement de ce portail ne nomme encore cette organisation.</p>" in fr
    en = html_of(client, "/en/organizations/sans-evenement/")
    assert "<p>No event on this portal names this organization yet.</p>" in en


def test_unknown_organization_is_a_404_in_both_languages(client):
    assert "<h1>Page introuvable</h1>" in html_of(client, "/fr/organisations/inconnue/", status=404)
    assert "<h1>Page not found</h1>" in html_of(client, "/en/organizations/unknown/", status=404)


def test_organization_list_groups_by_kind_and_counts_events(client, reference_data):
    html = html_of(client, "/en/organizations/")
    assert "<h1>Organizations</h1>" in html
    headings = re.findall(r'<h2 id="kind-[\w-]+">([^<]+)</h2>', html)
    assert headings == [
        "Social economy organizations",
        "Solidarity finance",
        "Governments",
        "Municipalities",
        "Networks",
        "International organizations",
        "Development banks",
        "Trade union federations",
    ]
    banks = section(html, "kind-development_bank")
    assert re.findall(r'<a href="/en/organizations/[\w-]+/">([^<]+)</a>', banks) == [
        "African Development Bank",
        "Asian Development Bank (ADB)",
        "Inter-American Development Bank (IDB)",
    ]
    assert '<a href="/en/organizations/oit/">International Labour Organization (ILO)</a>' in html
    oit = html[html.index('href="/en/organizations/oit/"') :]
    assert oit.index("3 events") < oit.index("</li>")
    assert (
        len(re.findall(r'href="/en/organizations/[\w-]+/"', html)) == Organization.objects.count()
    )


def test_organization_list_in_french_sorts_without_accents(client, reference_data):
    html = html_of(client, "/fr/organisations/")
    assert "<h1>Organisations</h1>" in html
    governments = section(html, "kind-government")
    assert re.findall(r'<a href="/fr/organisations/[\w-]+/">([^<]+)</a>', governments) == [
        "Ministère de l’Économie du Québec",
        "Ministère des Affaires municipales, des Régions et de l’Occupation du territoire (MAMROT)",
    ]
    assert governments.count("1 événement</p>") == 2


def test_an_event_in_two_roles_counts_once(client):
    organization = OrganizationFactory(slug="double")
    event = EventFactory()
    event.organizers.add(organization)
    event.partners.add(organization)
    html = html_of(client, "/en/organizations/")
    item = html[html.index('href="/en/organizations/double/"') :]
    assert item.index("1 event<") < item.index("</li>")


def test_event_page_links_its_organizations(client, reference_data):
    html = html_of(client, "/en/events/fiess-2011/")
    assert (
        '<a href="/en/organizations/chantier-economie-sociale/">Chantier de l’économie sociale</a>'
        in html
    )
    assert '<a href="/en/organizations/mamrot/">' in html
    assert '<a href="/en/organizations/oit/">International Labour Organization (ILO)</a>' in html
    french = html_of(client, "/fr/evenements/fiess-2011/")
    assert (
        '<a href="/fr/organisations/oit/">Organisation internationale du travail (OIT)</a>'
        in french
    )


def test_events_page_leads_to_the_organizations(client, reference_data):
    assert '<a href="/fr/organisations/">' in html_of(client, "/fr/evenements/")
    assert '<a href="/en/organizations/">' in html_of(client, "/en/events/")


def test_sitemap_lists_organizations_in_both_languages(client, reference_data):
    assert "http://testserver/sitemap-organizations.xml" in html_of(client, "/sitemap.xml")
    pages = html_of(client, "/sitemap-organizations.xml")
    assert "<loc>http://testserver/fr/organisations/oit/</loc>" in pages
    assert "<loc>http://testserver/en/organizations/oit/</loc>" in pages
    assert "<loc>http://testserver/en/organizations/</loc>" in html_of(client, "/sitemap-pages.xml")


def populate(count):
    for _ in range(count):
        organization = OrganizationFactory()
        for event in EventFactory.create_batch(2):
            event.organizers.add(organization)
            event.participating_organizations.add(OrganizationFactory())
    return organization


def test_query_counts_do_not_grow_with_organizations_or_events(client):
    counts = {"list": [], "page": []}
    for size in (2, 12):
        organization = populate(size)
        for event in EventFactory.create_batch(size):
            event.partners.add(organization)
        counts["list"].append(query_count(client, "/en/organizations/"))
        counts["page"].append(query_count(client, f"/en/organizations/{organization.slug}/"))
    assert counts == {"list": [1, 1], "page": [4, 4]}


def test_organization_without_events_reads_so_in_the_list(client, reference_data):
    html = html_of(client, "/fr/organisations/")
    fbes = html[html.index('href="/fr/organisations/fbes/"') :]
    assert fbes.index("Brésil · Aucun événement pour l’instant</p>") < fbes.index("</li>")


def test_event_page_links_the_previous_and_next_events_with_their_dates(client, reference_data):
    html = html_of(client, "/en/events/fiess-2011/")
    nav = html[
        html.index('<nav class="event-neighbours"') : html.index(
            "</nav>", html.index('<nav class="event-neighbours"')
        )
    ]
    assert 'aria-label="Previous and next events"' in nav
    assert (
        '<span class="neighbour-label"><span aria-hidden="true">← </span>Previous event</span> '
        '<a href="/en/events/oit-johannesburg-2009/" rel="prev">'
    ) in nav
    assert (
        '<span class="neighbour-label">Next event<span aria-hidden="true"> →</span></span> '
        '<a href="/en/events/rio-plus-20-2012/" rel="next">'
    ) in nav
    assert '<span class="card-meta">2012</span>' in nav


def json_ld_of(html: str) -> dict:
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )


def test_organization_page_describes_itself_in_json_ld(client, reference_data):
    data = json_ld_of(html_of(client, "/en/organizations/chantier-economie-sociale/"))
    assert data == {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": "http://testserver/en/organizations/chantier-economie-sociale/",
        "url": "http://testserver/en/organizations/chantier-economie-sociale/",
        "name": "Chantier de l’économie sociale",
        "description": (
            "An independent, non-partisan organization whose main mandate is to bring people "
            "together to promote and develop collective entrepreneurship in Québec."
        ),
        "foundingDate": "1996",
        "sameAs": "https://chantier.qc.ca/",
        "address": {"@type": "PostalAddress", "addressCountry": "CA"},
    }
    assert json_ld_of(html_of(client, "/fr/organisations/oit/"))["alternateName"] == "OIT"


def test_event_json_ld_points_to_its_organizers_pages(client, reference_data):
    data = json_ld_of(html_of(client, "/fr/evenements/fiess-2011/"))
    assert data["organizer"] == [
        {
            "@type": "Organization",
            "name": "Chantier de l’économie sociale",
            "url": "http://testserver/fr/organisations/chantier-economie-sociale/",
        }
    ]
