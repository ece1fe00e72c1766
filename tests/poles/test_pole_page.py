"""A pole's page: its territory, contact, enterprises on a small map with their sectors,
and its latest changes, in French and English."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from common.validators import tel_uri
from entreprises.models import Enterprise
from entreprises.services import set_sectors
from tests.factories import EnterpriseFactory, PoleFactory, RegionFactory, SectorFactory
from tests.helpers import get_json, html_of, query_count

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def pole():
    region = RegionFactory(code="05", name_fr="Estrie", name_en="Estrie")
    return PoleFactory(
        name_fr="Pôle de l’Estrie",
        slug="pole-estrie",
        regions=[region],
        street_address="100, rue King Ouest",
        city="Sherbrooke",
        postal_code="J1H 1P1",
        phone="819 555-0199, 12",
        email="info@pole-estrie.example",
        website="https://www.pole-estrie.example/",
    )


def make_enterprise(pole, number, *, updated, published=None, **fields):
    enterprise = EnterpriseFactory(
        name_fr=f"Entreprise {number:02d}", slug=f"entreprise-{number:02d}", pole=pole, **fields
    )
    Enterprise.objects.filter(pk=enterprise.pk).update(
        updated_at=updated, published_at=published or updated - timedelta(days=400)
    )
    return enterprise


def test_contact_card_with_a_phone_to_tap(client, pole):
    fr = html_of(client, "/fr/poles/pole-estrie/")
    contact = fr[fr.index('id="contact-title"') : fr.index("</dl>", fr.index('id="contact-title"'))]
    assert '<a href="tel:+18195550199,12">819 555-0199, 12</a>' in contact
    assert '<a href="mailto:info@pole-estrie.example">info@pole-estrie.example</a>' in contact
    assert '<a href="https://www.pole-estrie.example/">pole-estrie.example</a>' in contact
    assert "100, rue King Ouest<br>Sherbrooke (Québec) J1H 1P1" in contact
    assert "<dt>Téléphone</dt>" in contact
    en = html_of(client, "/en/poles/pole-estrie/")
    assert "100, rue King Ouest<br>Sherbrooke, Québec J1H 1P1" in en
    assert "<dt>Phone</dt>" in en


@pytest.mark.parametrize(
    ("phone", "uri"),
    [
        ("514 555-0123", "tel:+15145550123"),
        ("+1 (418) 555.0123 poste 45", "tel:+14185550123,45"),
        ("1-800-555-0199", "tel:+18005550199"),
        ("+33 1 23 45 67 89", "tel:+33123456789"),
    ],
)
def test_tel_uri_dials_the_number(phone, uri):
    assert tel_uri(phone) == uri


def test_no_contact_known_says_so(client):
    PoleFactory(slug="sans-contact")
    html = html_of(client, "/en/poles/sans-contact/")
    assert "The sources we hold give no contact details for this pole yet." in html
    assert "tel:" not in html


def test_map_reads_the_map_data_of_the_pole(client, pole):
    mine = make_enterprise(pole, 1, updated=NOON)
    make_enterprise(pole, 2, updated=NOON, latitude=None, longitude=None)
    EnterpriseFactory(name_fr="D’un autre pôle")
    html = html_of(client, "/fr/poles/pole-estrie/")
    assert 'data-geojson="/fr/carte/entreprises.geojson?pole=pole-estrie"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert (
        '<script src="/static/js/map-base.js" defer></script>\n'
        '  <script src="/static/js/small-map.js" defer></script>'
    ) in html
    assert (
        '<a class="button button--secondary" href="/fr/carte/?pole=pole-estrie">Ouvrir la grande carte</a>'
        in html
    )
    assert "1 des 2 entreprises a une adresse sur la carte." in html
    data = get_json(client, "/fr/carte/entreprises.geojson?pole=pole-estrie")
    assert [f["properties"]["url"] for f in data["features"]] == [mine.get_absolute_url()]


def test_no_map_without_a_located_enterprise(client, pole):
    make_enterprise(pole, 1, updated=NOON, latitude=None, longitude=None)
    html = html_of(client, "/en/poles/pole-estrie/")
    assert "data-geojson" not in html and "leaflet.js" not in html
    assert "None of its enterprises has an address on the map yet." in html


def test_sectors_link_to_the_directory_filtered_by_pole_and_sector(client, pole):
    food = SectorFactory(name_fr="Alimentation", name_en="Food", slug="alimentation")
    for number in range(2):
        set_sectors(enterprise=make_enterprise(pole, number, updated=NOON), primary=food)
    html = html_of(client, "/en/poles/pole-estrie/")
    assert '<h2 id="enterprises-title">2 enterprises supported by this pole</h2>' in html
    assert (
        '<a class="chip" href="/en/enterprises/?pole=pole-estrie&amp;sector=alimentation">'
        'Food <span class="chip-count">2</span></a>'
    ) in html


def test_latest_changes_are_the_ten_latest_published_with_their_dates(client, pole):
    for number in range(12):
        make_enterprise(pole, number, updated=NOON - timedelta(days=number))
    make_enterprise(pole, 40, updated=NOON + timedelta(days=1), status="draft")
    # Published, then corrected within the day: still new.
    make_enterprise(
        pole, 41, updated=NOON + timedelta(days=2, hours=3), published=NOON + timedelta(days=2)
    )
    html = html_of(client, "/fr/poles/pole-estrie/")
    changes = html[html.index('id="changes-title"') :]
    changes = changes[: changes.index("</section>")]
    names = re.findall(r'<a href="/fr/entreprises/[\w-]+/">([^<]+)</a>', changes)
    assert names == ["Entreprise 41"] + [f"Entreprise {n:02d}" for n in range(9)]
    assert 'Publiée le <time datetime="2026-11-22">22 novembre 2026</time>' in changes
    assert 'Mise à jour le <time datetime="2026-11-20">20 novembre 2026</time>' in changes
    assert '<a href="/fr/entreprises/?pole=pole-estrie&amp;sort=updated">' in changes
    assert '<a href="/fr/poles/pole-estrie/nouvelles.atom" type="application/atom+xml">' in changes
    english = html_of(client, "/en/poles/pole-estrie/")
    assert 'Published on <time datetime="2026-11-22">Nov. 22, 2026</time>' in english
    assert 'Updated on <time datetime="2026-11-20">Nov. 20, 2026</time>' in english


def test_no_enterprise_yet(client, pole):
    html = html_of(client, "/fr/poles/pole-estrie/")
    assert '<h2 id="enterprises-title">Aucune entreprise de ce pôle dans le répertoire</h2>' in html
    assert 'id="changes-title"' not in html and "data-geojson" not in html


def test_territory_names_the_mrcs_where_the_pole_serves_part_of_a_region(client, reference_data):
    html = html_of(client, "/en/poles/pole-vallee-du-haut-saint-laurent/")
    territory = html[html.index('id="territory-title"') : html.index('id="contact-title"')]
    assert "<dd>Montérégie</dd>" in territory
    assert re.findall(r"<li>([^<]+)</li>", territory) == [
        "Vaudreuil-Soulanges",
        "Beauharnois-Salaberry",
        "Le Haut-Saint-Laurent",
        "Les Jardins-de-Napierville",
        "Roussillon",
    ]
    assert "<dd>Five MRCs of western Montérégie</dd>" in territory


@pytest.mark.parametrize("language", ["fr", "en"])
def test_query_count_does_not_grow_with_enterprises(client, pole, language):
    sector = SectorFactory()
    counts = []
    for size in (3, 15):
        for number in range(size):
            enterprise = make_enterprise(pole, len(counts) * 100 + number, updated=NOON)
            set_sectors(enterprise=enterprise, primary=sector, secondary=[SectorFactory()])
        counts.append(query_count(client, f"/{language}/poles/pole-estrie/"))
    assert counts == [7, 7]
