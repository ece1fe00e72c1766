"""The enterprise page: the contact card first (tap to call, e-mail, website, social pages,
address with directions, opening hours with "open now", a small map, logo or photo), then
mission, description, products and services, sectors and pole; the name as the
enterprise writes it in every language."""

import re
from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from entreprises import opening_hours
from entreprises.contact import phone_uri
from entreprises.models import Enterprise
from entreprises.services import set_sectors
from tests.factories import EnterpriseFactory, PoleFactory, RegionFactory, SectorFactory
from tests.helpers import html_of, query_count

pytestmark = pytest.mark.django_db

DIRECTIONS = (
    "https://www.google.com/maps/dir/?api=1&amp;destination="
    "1200+rue+Saint-Denis%2C+Montr%C3%A9al%2C+QC+H2X+1Y4%2C+Canada"
)


@pytest.fixture
def cafe():
    region = RegionFactory(code="06", name_fr="Montréal", name_en="Montreal")
    pole = PoleFactory(name_fr="Pôle de Montréal", slug="pole-mtl", regions=[region])
    food = SectorFactory(name_fr="Alimentation", name_en="Food", slug="alimentation")
    enterprise = EnterpriseFactory(
        name_fr="Café coopératif La Remise",
        name_en="",
        slug="la-remise",
        mission_fr="Nourrir le quartier.",
        mission_en="To feed the neighbourhood.",
        description_fr="Un café de quartier.",
        description_en="A neighbourhood café.",
        products_services_fr="Café, repas du midi, traiteur",
        products_services_en="Coffee, lunches, catering",
        sells_to=["public", "public_bodies"],
        step_free_access="partial",
        phone="514 555-0123, 12",
        email="bonjour@laremise.example",
        website="https://laremise.example/",
        facebook_url="https://www.facebook.com/laremise",
        other_social_url="https://mastodon.example/@laremise",
        street_address="1200 rue Saint-Denis",
        city="Montréal",
        postal_code="H2X 1Y4",
        latitude=Decimal("45.515000"),
        longitude=Decimal("-73.563000"),
        opening_hours=opening_hours.parse("lun-ven 8:00-17:00; sam 9:00-12:00, 13:00-16:00"),
        opening_hours_note_fr="Fermé les jours fériés.",
        opening_hours_note_en="Closed on public holidays.",
        image_small="entreprises/la-remise-ab12-160.webp",
        image_large="entreprises/la-remise-ab12-480.webp",
        image_alt_fr="Logo de La Remise : une tasse",
        image_alt_en="",
        pole=pole,
        region=region,
    )
    set_sectors(enterprise=enterprise, primary=food)
    return enterprise


def test_contact_card_comes_before_the_mission(client, cafe):
    html = html_of(client, "/fr/entreprises/la-remise/")
    card = html.index('<section class="contact-card"')
    assert card < html.index("<h2>Mission</h2>") < html.index("<h2>Produits et services</h2>")
    assert html.index("<h1>Café coopératif La Remise</h1>") < card


@pytest.mark.parametrize(
    ("url", "labels"),
    [
        (
            "/fr/entreprises/la-remise/",
            ["Téléphone", "Courriel", "Site Web", "Adresse", "Itinéraire"],
        ),
        ("/en/enterprises/la-remise/", ["Phone", "Email", "Website", "Address", "Directions"]),
    ],
)
def test_contact_card_links_in_both_languages(client, cafe, url, labels):
    html = html_of(client, url)
    card = html[html.index('<section class="contact-card"') : html.index("</section>")]
    for label in labels:
        assert label in card
    assert '<a href="tel:+15145550123;ext=12">514 555-0123, 12</a>' in card
    assert '<a href="mailto:bonjour@laremise.example">bonjour@laremise.example</a>' in card
    assert '<a href="https://laremise.example/" rel="nofollow noopener">' in card
    assert f'<a class="directions" href="{DIRECTIONS}" rel="nofollow noopener">' in card
    assert (
        '<a href="https://www.facebook.com/laremise" rel="nofollow noopener">Facebook</a>' in card
    )
    assert 'href="https://mastodon.example/@laremise"' in card


def test_hours_table_and_notes_in_french(client, cafe):
    html = html_of(client, "/fr/entreprises/la-remise/")
    rows = re.findall(r'<th scope="row">(\w+)</th><td>([^<]*)</td>', html)
    assert rows == [
        ("Lundi", "08:00–17:00"),
        ("Mardi", "08:00–17:00"),
        ("Mercredi", "08:00–17:00"),
        ("Jeudi", "08:00–17:00"),
        ("Vendredi", "08:00–17:00"),
        ("Samedi", "09:00–12:00, 13:00–16:00"),
        ("Dimanche", "Fermé"),
    ]
    # Today's line (in Québec) stands out.
    with translation.override("fr"):
        today = str(opening_hours.weekday_name(datetime.now(opening_hours.TIME_ZONE))).capitalize()
    assert re.findall(r'<tr class="today"><th scope="row">(\w+)</th>', html) == [today]
    assert '<p class="hours-note">Fermé les jours fériés.</p>' in html
    assert "Accès sans marche\u00a0: partiel" in html
    assert "Vend à\u00a0: le grand public, les organismes publics." in html


def test_hours_table_and_notes_in_english(client, cafe):
    html = html_of(client, "/en/enterprises/la-remise/")
    rows = re.findall(r'<th scope="row">(\w+)</th><td>([^<]*)</td>', html)
    assert rows[0] == ("Monday", "08:00–17:00") and rows[6] == ("Sunday", "Closed")
    assert '<p class="hours-note">Closed on public holidays.</p>' in html
    assert "Step-free access: partial" in html
    assert "Sells to: the public, public bodies." in html
    assert "<p>Coffee, lunches, catering</p>" in html


def _today() -> str:
    return opening_hours.DAYS[datetime.now(opening_hours.TIME_ZONE).weekday()]


@pytest.mark.parametrize(
    ("hours", "french", "english"),
    [
        ("all day", "Ouvert maintenant", "Open now"),
        ("other days", "Fermé maintenant", "Closed now"),
    ],
)
def test_open_now_in_montreal_time(client, cafe, hours, french, english):
    if hours == "all day":
        cafe.opening_hours = {day: [["00:00", "24:00"]] for day in opening_hours.DAYS}
    else:
        cafe.opening_hours = {
            day: [["00:00", "24:00"]] for day in opening_hours.DAYS if day != _today()
        }
    cafe.save()
    kind = "open" if hours == "all day" else "closed"
    for url, text in (
        ("/fr/entreprises/la-remise/", french),
        ("/en/enterprises/la-remise/", english),
    ):
        assert f'<p class="open-now open-now--{kind}">{text}</p>' in html_of(client, url)


def test_unknown_hours_say_nothing_about_now(client, cafe):
    cafe.opening_hours = {}
    cafe.step_free_access = "unknown"
    cafe.save()
    html = html_of(client, "/en/enterprises/la-remise/")
    assert "open-now" not in html and '<table class="hours"' not in html
    assert "Step-free access" not in html


def test_logo_with_its_two_sizes_and_its_description(client, cafe):
    french = html_of(client, "/fr/entreprises/la-remise/")
    image = (
        '<img class="contact-image" src="/media/entreprises/la-remise-ab12-480.webp" '
        'srcset="/media/entreprises/la-remise-ab12-160.webp 160w, '
        '/media/entreprises/la-remise-ab12-480.webp 480w" sizes="(min-width: 56rem) 10rem, 5rem" '
        'alt="Logo de La Remise : une tasse">'
    )
    assert image in french
    # Without an English description, the French one rather than none.
    assert 'alt="Logo de La Remise : une tasse"' in html_of(client, "/en/enterprises/la-remise/")


def test_small_map_with_its_marker(client, cafe):
    html = html_of(client, "/en/enterprises/la-remise/")
    assert '<script src="/static/vendor/leaflet/leaflet.js" defer></script>' in html
    assert (
        '<script src="/static/js/map-base.js" defer></script>\n'
        '  <script src="/static/js/enterprise-map.js" defer></script>'
    ) in html
    assert 'data-lat="45.515000" data-lon="-73.563000"' in html
    assert 'aria-label="Map: where Café coopératif La Remise is"' in html


def test_without_coordinates_no_map_but_directions_to_the_address(client, cafe):
    Enterprise.objects.filter(pk=cafe.pk).update(latitude=None, longitude=None)
    html = html_of(client, "/fr/entreprises/la-remise/")
    assert "leaflet" not in html and "enterprise-map" not in html
    assert DIRECTIONS in html


def test_a_phone_that_is_no_number_is_shown_without_a_link(client, cafe):
    Enterprise.objects.filter(pk=cafe.pk).update(phone="demandez au comptoir")
    html = html_of(client, "/fr/entreprises/la-remise/")
    assert "demandez au comptoir" in html and "tel:" not in html


@pytest.mark.parametrize(
    ("phone", "uri"),
    [
        ("514 555-0123", "tel:+15145550123"),
        ("+1 (819) 555-0199 poste 7", "tel:+18195550199;ext=7"),
        ("555-0123", ""),
        ("", ""),
    ],
)
def test_phone_uri_is_e164(phone, uri):
    assert phone_uri(phone) == uri


def test_name_is_never_translated(client, cafe):
    english = html_of(client, "/en/enterprises/la-remise/")
    assert '<h1 lang="fr">Café coopératif La Remise</h1>' in english
    assert "<title>Café coopératif La Remise — " in english
    # An official English name is shown on the English page.
    Enterprise.objects.filter(pk=cafe.pk).update(name_en="La Remise Co-op Café")
    assert "<h1>La Remise Co-op Café</h1>" in html_of(client, "/en/enterprises/la-remise/")
    assert "<h1>Café coopératif La Remise</h1>" in html_of(client, "/fr/entreprises/la-remise/")


def test_english_directory_sorts_by_the_names_it_shows(client, cafe):
    EnterpriseFactory(name_fr="Zèbre solidaire", name_en="", slug="zebre")
    EnterpriseFactory(name_fr="Atelier vélo", name_en="", slug="atelier")
    EnterpriseFactory(name_fr="Brasserie", name_en="Brewery of the North", slug="brasserie")
    html = html_of(client, "/en/enterprises/")
    shown = re.findall(r'<a href="/en/enterprises/([\w-]+)/"', html)
    assert shown == ["atelier", "brasserie", "la-remise", "zebre"]


def test_sectors_and_pole_are_links(client, cafe):
    html = html_of(client, "/fr/entreprises/la-remise/")
    assert '<a href="/fr/secteurs/alimentation/">Alimentation</a>' in html
    assert '<a href="/fr/poles/pole-mtl/">Pôle de Montréal</a>' in html


def test_page_query_count_does_not_grow_with_sectors_and_links(client, cafe):
    url = "/fr/entreprises/la-remise/"
    client.get(url)
    few = query_count(client, url)
    set_sectors(
        enterprise=cafe,
        primary=SectorFactory(),
        secondary=[SectorFactory() for _ in range(8)],
    )
    Enterprise.objects.filter(pk=cafe.pk).update(
        instagram_url="https://instagram.com/laremise",
        youtube_url="https://youtu.be/laremise",
        linkedin_url="https://www.linkedin.com/company/laremise",
    )
    assert query_count(client, url) == few


def test_english_lists_mark_a_french_name_as_french(client, cafe):
    EnterpriseFactory(name_fr="Brasserie", name_en="Brewery of the North", slug="brasserie")
    html = html_of(client, "/en/enterprises/")
    assert '<a href="/en/enterprises/la-remise/" lang="fr">Café coopératif La Remise</a>' in html
    assert '<a href="/en/enterprises/brasserie/">Brewery of the North</a>' in html
    assert '<a href="/fr/entreprises/la-remise/">' in html_of(client, "/fr/entreprises/")
