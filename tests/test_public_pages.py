"""Every public page, in French and English: content, links between languages, bad input."""

import json
import re

import pytest
from django.template.loader import render_to_string

from entreprises.services import refresh_search_vectors, set_sectors
from evenements.models import Event
from tests.factories import (
    EnterpriseFactory,
    EventFactory,
    OrganizationFactory,
    PoleFactory,
    RegionFactory,
    SectorFactory,
)
from tests.helpers import get_json, html_of, query_count

pytestmark = pytest.mark.django_db


def title_of(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


@pytest.fixture
def site(reference_data):
    """The reference data plus a few published enterprises of our own."""
    housing = SectorFactory(name_fr="Logement étudiant", name_en="Student housing", slug="logement")
    region = RegionFactory(code="06")
    pole = PoleFactory(name_fr="Pôle de test de Montréal", slug="pole-test", regions=[region])
    enterprise = EnterpriseFactory(
        name_fr="Coopérative d'habitation étudiante L'Envol",
        name_en="L'Envol Student Housing Co-operative",
        slug="lenvol",
        description_fr="Des logements pour les étudiants.",
        description_en="Homes for students.",
        pole=pole,
        region=region,
        founded_year=2013,
    )
    set_sectors(enterprise=enterprise, primary=housing)
    symposium = Event.objects.get(slug="symposium-untfsse-2023")
    symposium.enterprises_visited.add(enterprise)
    refresh_search_vectors()
    return {"enterprise": enterprise, "sector": housing, "pole": pole, "event": symposium}


PAGES = [
    # (French URL, English URL, French h1, English h1)
    ("/fr/", "/en/", "L’économie sociale au Québec", "The social economy of Québec"),
    ("/fr/entreprises/", "/en/enterprises/", "Répertoire des entreprises collectives", "Directory of collective enterprises"),
    ("/fr/entreprises/lenvol/", "/en/enterprises/lenvol/", "Coopérative d&#x27;habitation étudiante L&#x27;Envol", "L&#x27;Envol Student Housing Co-operative"),
    ("/fr/poles/", "/en/poles/", "Pôles régionaux d’économie sociale", "Regional social economy poles"),
    ("/fr/poles/pole-test/", "/en/poles/pole-test/", "Pôle de test de Montréal", "Pôle de test de Montréal"),
    ("/fr/secteurs/", "/en/sectors/", "Secteurs d’activité", "Sectors of activity"),
    ("/fr/secteurs/logement/", "/en/sectors/logement/", "Logement étudiant", "Student housing"),
    ("/fr/evenements/", "/en/events/", "Événements internationaux et étapes marquantes", "International events and milestones"),
    ("/fr/evenements/fiess-2011/", "/en/events/fiess-2011/", "Forum international de l’économie sociale et solidaire (FIESS)", "International Forum on the Social and Solidarity Economy (FIESS)"),
    ("/fr/organisations/", "/en/organizations/", "Organisations", "Organizations"),
    ("/fr/organisations/oit/", "/en/organizations/oit/", "Organisation internationale du travail (OIT)", "International Labour Organization (ILO)"),
    ("/fr/carte/", "/en/map/", "Carte des entreprises", "Map of enterprises"),
    ("/fr/statistiques/", "/en/statistics/", "Statistiques", "Statistics"),
    ("/fr/a-propos/", "/en/about/", "À propos du Chantier de l’économie sociale", "About the Chantier de l’économie sociale"),
    ("/fr/accessibilite/", "/en/accessibility/", "Déclaration d’accessibilité", "Accessibility statement"),
    ("/fr/confidentialite/", "/en/privacy/", "Confidentialité", "Privacy"),
    ("/fr/donnees-ouvertes/", "/en/open-data/", "Données ouvertes\u00a0: publications datées", "Open data: dated releases"),
]  # fmt: skip


@pytest.mark.parametrize(("fr_url", "en_url", "fr_h1", "en_h1"), PAGES)
def test_page_in_both_languages_with_its_twin(client, site, fr_url, en_url, fr_h1, en_h1):
    fr, en = html_of(client, fr_url), html_of(client, en_url)
    assert '<html lang="fr">' in fr and '<html lang="en">' in en
    assert f"<h1>{fr_h1}</h1>" in fr and f"<h1>{en_h1}</h1>" in en
    # Each names the other as its twin, and links to it from the language switch.
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{en_url}">' in fr
    assert f'<link rel="alternate" hreflang="fr" href="http://testserver{fr_url}">' in en
    assert f'<a href="http://testserver{en_url}" hreflang="en" lang="en">English</a>' in fr
    assert f'<link rel="canonical" href="http://testserver{fr_url}">' in fr
    if fr_url != "/fr/":
        assert 'aria-label="Fil d’Ariane"' in fr and 'aria-label="Breadcrumb"' in en


def test_every_page_has_a_unique_title(client, site):
    titles = [title_of(html_of(client, url)) for fr, en, *_ in PAGES for url in (fr, en)]
    assert len(set(titles)) == len(titles), titles


def test_language_switch_keeps_filters(client, site):
    html = html_of(client, "/fr/entreprises/?q=logement&sector=logement")
    assert 'href="http://testserver/en/enterprises/?q=logement&amp;sector=logement"' in html


# -- enterprises ---------------------------------------------------------------


def test_enterprise_page_content_and_json_ld(client, site):
    html = html_of(client, "/en/enterprises/lenvol/")
    assert "Homes for students." in html
    assert '<a href="/en/sectors/logement/">Student housing</a>' in html
    assert '<a href="/en/poles/pole-test/">Pôle de test de Montréal</a>' in html
    # The events where it was visited, linked.
    assert '<a href="/en/events/symposium-untfsse-2023/">' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert data["@type"] == "Organization"
    assert data["name"] == "L'Envol Student Housing Co-operative"
    assert data["url"] == "http://testserver/en/enterprises/lenvol/"
    assert data["foundingDate"] == "2013"
    assert data["address"]["addressCountry"] == "CA"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 45.5088, "longitude": -73.5878}


def test_draft_enterprise_is_not_found(client, site):
    EnterpriseFactory(slug="brouillon", status="draft")
    html = html_of(client, "/fr/entreprises/brouillon/", status=404)
    assert "Page introuvable" in html


def test_archived_enterprise_is_gone(client, site):
    EnterpriseFactory(slug="fermee", name_fr="Coopérative fermée", status="archived")
    html = html_of(client, "/en/enterprises/fermee/", status=410)
    assert "its record has been archived" in html


def test_unknown_enterprise_is_not_found_in_english(client, site):
    assert "Page not found" in html_of(client, "/en/enterprises/nope/", status=404)


def test_demo_enterprise_says_it_is_fictitious(client, site):
    EnterpriseFactory(slug="demo-1", is_demo=True)
    assert "This is a fictitious enterprise" in html_of(client, "/en/enterprises/demo-1/")
    assert "Cette entreprise est fictive" in html_of(client, "/fr/entreprises/demo-1/")
    assert "Fictitious demonstration record" in html_of(client, "/en/enterprises/")


def test_unpublished_enterprises_appear_nowhere(client, site):
    EnterpriseFactory(name_fr="Entreprise en brouillon", status="draft", pole=site["pole"])
    EnterpriseFactory(name_fr="Entreprise archivée", status="archived", pole=site["pole"])
    refresh_search_vectors()
    for url in (
        "/fr/entreprises/",
        "/fr/poles/pole-test/",
        "/fr/carte/",
        "/fr/carte/entreprises.geojson",
        "/sitemap-enterprises.xml",
    ):
        html = html_of(client, url)
        assert "brouillon" not in html.lower() and "archivée" not in html.lower(), url


# -- directory: search, facets, bad input --------------------------------------


def test_directory_search_and_facet_counts_follow_the_search(client, site):
    other = EnterpriseFactory(
        name_fr="Atelier de vélo", slug="velo", region=RegionFactory(code="06")
    )
    set_sectors(enterprise=other, primary=SectorFactory(name_fr="Transport", slug="transport"))
    html = html_of(client, "/fr/entreprises/?q=habitation")
    assert "Coopérative d&#x27;habitation étudiante L&#x27;Envol" in html
    assert "Atelier de vélo" not in html
    assert (
        '<input type="checkbox" id="facet-sector-logement" name="sector" value="logement">'
        ' <label for="facet-sector-logement">Logement étudiant'
        ' <span class="facet-count">(1)</span></label>'
    ) in html
    assert 'value="transport"' not in html  # no result: not offered
    html = html_of(client, "/fr/entreprises/")
    assert 'Transport <span class="facet-count">(1)</span>' in html


def test_directory_facet_selected_stays_selected(client, site):
    html = html_of(client, "/en/enterprises/?sector=logement")
    assert 'name="sector" value="logement" checked>' in html
    assert 'Student housing <span class="facet-count">(1)</span>' in html
    assert "1 enterprise<" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sector=nope", "There is no such sector; that filter was ignored."),
        ("region=99", "There is no such region; that filter was ignored."),
        ("legal_form=corporation", "There is no such legal form; that filter was ignored."),
        ("q=" + "x" * 10_000, "The search was too long or contained characters it cannot hold"),
        ("q=caf%00e", "The search was too long or contained characters it cannot hold"),
        ("page=abc", "“abc” is not a page number; here is the first page."),
        ("page=0", "Pages start at 1; here is the first page."),
        (
            "page=99999999999999999999",
            "There is no page 99999999999999999999; here is the last page.",
        ),
    ],
)
def test_directory_bad_input_gives_a_page_and_a_message(client, site, query, message):
    html = html_of(client, f"/en/enterprises/?{query}")
    assert message in html
    assert "<h1>Directory of collective enterprises</h1>" in html


def test_directory_escapes_the_query(client, site):
    html = html_of(client, "/en/enterprises/?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_directory_paginates(client, site):
    EnterpriseFactory.create_batch(25)
    first = html_of(client, "/en/enterprises/")
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = html_of(client, "/en/enterprises/?page=2&q=")
    assert "Page 2 of 2" in second


# -- poles, sectors, events ---------------------------------------------------------


def test_pole_page_shows_territory_and_enterprises(client, reference_data):
    html = html_of(client, "/fr/poles/pole-vallee-du-haut-saint-laurent/")
    assert "<li>Vaudreuil-Soulanges</li><li>Beauharnois-Salaberry</li>" in html
    assert "Montérégie" in html
    assert "neomedia.com (2021)" in html


def test_event_page_shows_facts_in_the_page_language(client, site):
    event = site["event"]
    event.countries = ["CA", "BR"]
    event.save()
    fr = html_of(client, "/fr/evenements/symposium-untfsse-2023/")
    en = html_of(client, "/en/events/symposium-untfsse-2023/")
    assert "<dd>du 2 au 3 octobre 2023</dd>" in fr
    assert "<dd>October 2–3, 2023</dd>" in en
    assert "Brésil" in fr and "Brazil" in en
    assert "Ville de Montréal" in fr and "City of Montréal" in en
    assert '<a href="/en/enterprises/lenvol/">L&#x27;Envol Student Housing Co-operative</a>' in en
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', en).group(1))
    assert data["@type"] == "Event" and data["startDate"] == "2023-10-02"


def test_fiess_participants_and_countries(client, reference_data):
    html = html_of(client, "/en/events/fiess-2011/")
    assert "<dd>1,600</dd>" in html and "<dd>62</dd>" in html


def test_events_timeline_in_order(client, reference_data):
    html = html_of(client, "/en/events/")
    years = [int(y) for y in re.findall(r'<h3 class="timeline-year">(\d{4})</h3>', html)]
    assert years == sorted(years, reverse=True) and years[0] == 2023 and years[-1] == 1971


def test_statistics_live_counts_apart_from_published_figures(client, site):
    html = html_of(client, "/en/statistics/")
    assert "Live counts of the directory" in html and "Published figures" in html
    assert "$47.8 billion" in html and "Institut de la statistique du Québec" in html
    assert '<th scope="row">Student housing</th><td>1</td>' in html


def test_about_page_mission_in_french(client):
    html = html_of(client, "/fr/a-propos/")
    assert (
        "promouvoir l’économie sociale comme partie intégrante de l’économie plurielle du Québec"
        in html
    )


# -- map ---------------------------------------------------------------------------------


def test_map_geojson_honours_directory_filters(client, site):
    EnterpriseFactory(name_fr="Ailleurs", region=RegionFactory(code="13", name_fr="Laval"))
    data = get_json(client, "/en/map/enterprises.geojson?region=06")
    assert data["type"] == "FeatureCollection"
    names = [f["properties"]["name"] for f in data["features"]]
    assert "L'Envol Student Housing Co-operative" in names and "Ailleurs" not in names
    feature = next(
        f for f in data["features"] if f["properties"]["url"] == "/en/enterprises/lenvol/"
    )
    assert feature["geometry"] == {"type": "Point", "coordinates": [-73.5878, 45.5088]}


def test_map_page_lists_results_for_keyboard_users(client, site):
    html = html_of(client, "/en/map/?q=student")
    assert '<a href="/en/enterprises/lenvol/">L&#x27;Envol Student Housing Co-operative</a>' in html
    assert 'data-geojson="/en/map/enterprises.geojson?q=student"' in html
    assert "static/vendor/leaflet/leaflet.js" in html or "/static/vendor/leaflet/leaflet.js" in html
    assert (
        '<script src="/static/js/map-base.js" defer></script>\n'
        '  <script src="/static/js/map.js" defer></script>'
    ) in html


# -- sitemap, robots, errors -----------------------------------------------------------


def test_sitemap_lists_both_languages_with_alternates(client, site):
    index = html_of(client, "/sitemap.xml")
    assert "http://testserver/sitemap-enterprises.xml" in index
    pages = html_of(client, "/sitemap-enterprises.xml")
    assert "<loc>http://testserver/fr/entreprises/lenvol/</loc>" in pages
    assert "<loc>http://testserver/en/enterprises/lenvol/</loc>" in pages
    assert 'hreflang="en" href="http://testserver/en/enterprises/lenvol/"' in pages


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Sitemap: http://testserver/sitemap.xml",
    ]


def test_not_found_page_in_both_languages(client):
    assert "<h1>Page introuvable</h1>" in html_of(client, "/fr/nulle-part/", status=404)
    assert "<h1>Page not found</h1>" in html_of(client, "/en/nowhere/", status=404)


def test_server_error_page_is_bilingual():
    html = render_to_string("500.html")
    assert "Une erreur est survenue" in html and "Something went wrong" in html


# -- query counts do not grow with the number of items shown ---------------------------


def populate(count):
    region = RegionFactory(code="06")
    pole = PoleFactory(regions=[region])
    sector = SectorFactory()
    for enterprise in EnterpriseFactory.create_batch(count, pole=pole, region=region):
        set_sectors(enterprise=enterprise, primary=sector, secondary=[SectorFactory()])
    event = EventFactory()
    event.organizers.add(OrganizationFactory())
    refresh_search_vectors()
    return {"pole": pole, "sector": sector, "event": event}


@pytest.mark.parametrize(
    "url",
    [
        "/fr/",
        "/fr/entreprises/",
        "/fr/entreprises/?q=cooperative",
        "/fr/poles/",
        "/fr/secteurs/",
        "/fr/evenements/",
        "/fr/carte/",
        "/fr/statistiques/",
        "/fr/poles/{pole}/",
        "/fr/secteurs/{sector}/",
    ],
)
def test_query_count_does_not_grow_with_items(client, url):
    counts = []
    for size in (2, 15):
        objects = populate(size)
        target = url.format(pole=objects["pole"].slug, sector=objects["sector"].slug)
        client.get(target)  # Warm: a search's stems are asked of the database once.
        counts.append(query_count(client, target))
    assert counts[0] == counts[1], (url, counts)
