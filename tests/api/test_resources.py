"""Poles, regions, sectors, events and organizations; the index; query-count guards."""

import pytest

from tests.factories import (
    EnterpriseFactory,
    EventFactory,
    OrganizationFactory,
    PoleFactory,
    RegionFactory,
    SectorFactory,
)
from tests.helpers import get_json, query_count

pytestmark = pytest.mark.django_db


def test_index_lists_every_resource(anonymous, db):
    assert get_json(anonymous, "/api/v1/") == {
        "enterprises": "http://testserver/api/v1/enterprises/",
        "poles": "http://testserver/api/v1/poles/",
        "regions": "http://testserver/api/v1/regions/",
        "sectors": "http://testserver/api/v1/sectors/",
        "events": "http://testserver/api/v1/events/",
        "organizations": "http://testserver/api/v1/organizations/",
        "releases": "http://testserver/api/v1/releases/",
    }


def test_pole_detail(anonymous, directory):
    pole = directory["pole_a"]
    data = get_json(anonymous, "/api/v1/poles/pole-a/")
    assert data == {
        "id": pole.id,
        "slug": "pole-a",
        "url": "http://testserver/api/v1/poles/pole-a/",
        "web_url": "http://testserver/fr/poles/pole-a/",
        "name": {"fr": "Pôle de Montréal", "en": "Montreal Pole"},
        "territory": {"fr": "", "en": ""},
        "description": {"fr": "", "en": ""},
        "regions": [
            {
                "url": "http://testserver/api/v1/regions/06/",
                "code": "06",
                "name": {"fr": "Montréal", "en": "Montreal"},
            }
        ],
        "mrcs": [],
        "website": "",
        "email": "",
        "phone": "",
        "street_address": "",
        "city": "",
        "postal_code": "",
        "latitude": None,
        "longitude": None,
        "founded_year": None,
        "source": {"fr": "", "en": ""},
        "updated_at": data["updated_at"],
    }


def test_region_list_with_its_poles_in_english(anonymous, directory):
    data = get_json(anonymous, "/api/v1/regions/?lang=en")
    assert data["next"] is None
    assert [(r["code"], r["name"], [p["slug"] for p in r["poles"]]) for r in data["results"]] == [
        ("06", "Montreal", ["pole-a"]),
        ("03", "Capitale-Nationale", ["pole-b"]),
    ]
    assert get_json(anonymous, "/api/v1/regions/03/")["name"] == {
        "fr": "Capitale-Nationale",
        "en": "Capitale-Nationale",
    }


def test_sector_detail_names_its_essglobal_activity(anonymous, directory):
    data = get_json(anonymous, "/api/v1/sectors/habitation/?lang=fr")
    assert data == {
        "id": directory["housing"].id,
        "slug": "habitation",
        "url": "http://testserver/api/v1/sectors/habitation/",
        "name": "Habitation",
        "description": "",
        "parent": None,
        "essglobal_code": "A12",
        "essglobal_activity": "http://purl.org/essglobal/standard/activities/A12",
    }


def test_event_detail_lists_only_published_visits(anonymous, directory):
    organizer = OrganizationFactory(
        name_fr="Organisation internationale du Travail",
        name_en="International Labour Organization",
        acronym_fr="OIT",
        acronym_en="ILO",
        slug="oit",
        country="",
    )
    event = EventFactory(
        name_fr="Symposium",
        name_en="Symposium",
        slug="symposium",
        kind="symposium",
        year=2023,
        country="CA",
        countries=["CA", "FR"],
        participants=100,
    )
    event.organizers.add(organizer)
    event.enterprises_visited.add(directory["coop"], directory["draft"])
    data = get_json(anonymous, "/api/v1/events/symposium/?lang=en")
    assert data["name"] == "Symposium"
    assert data["country"] == "CA"
    assert data["countries"] == ["CA", "FR"]
    assert data["organizers"] == [
        {
            "url": "http://testserver/api/v1/organizations/oit/",
            "slug": "oit",
            "name": "International Labour Organization",
            "acronym": "ILO",
        }
    ]
    assert data["partners"] == []
    assert data["enterprises_visited"] == [
        {
            "url": "http://testserver/api/v1/enterprises/envol/",
            "slug": "envol",
            "name": "L'Envol Housing Co-operative",
        }
    ]
    assert data["web_url"] == "http://testserver/en/events/symposium/"
    organization = get_json(anonymous, "/api/v1/organizations/oit/")
    assert (organization["kind"], organization["country"]) == ("network", "")
    assert organization["acronym"] == {"fr": "OIT", "en": "ILO"}


@pytest.mark.parametrize(
    ("url", "english", "french"),
    [
        (
            "/api/v1/poles/x/",
            "Not found: no regional pole has the identifier “x”.",
            "Introuvable\u00a0: l’identifiant «\u00a0x\u00a0» ne correspond à aucun enregistrement"
            " (pôle régional).",
        ),
        (
            "/api/v1/regions/99/",
            "Not found: no administrative region has the identifier “99”.",
            "Introuvable\u00a0: l’identifiant «\u00a099\u00a0» ne correspond à aucun"
            " enregistrement (région administrative).",
        ),
    ],
)
def test_unknown_identifiers_are_404_with_a_message(anonymous, db, url, english, french):
    assert get_json(anonymous, url, status=404, HTTP_ACCEPT_LANGUAGE="en") == {"detail": english}
    assert get_json(anonymous, url, status=404, HTTP_ACCEPT_LANGUAGE="fr") == {"detail": french}


def _grow(count):
    for n in range(count):
        region = RegionFactory(code=f"{n + 1:02d}")
        PoleFactory(regions=[region])
        sector = SectorFactory(parent=SectorFactory())
        organization = OrganizationFactory()
        event = EventFactory()
        event.organizers.add(organization)
        event.partners.add(OrganizationFactory())
        event.enterprises_visited.add(EnterpriseFactory())
        del sector


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/poles/",
        "/api/v1/regions/",
        "/api/v1/sectors/",
        "/api/v1/events/",
        "/api/v1/organizations/",
    ],
)
def test_reference_lists_query_count_does_not_grow(anonymous, db, url):
    _grow(2)
    few = query_count(anonymous, url)
    _grow(12)
    assert query_count(anonymous, url) == few


def test_page_size_and_cursor_on_a_reference_list(anonymous, db):
    for n in range(5):
        OrganizationFactory(slug=f"org-{n}")
    first = get_json(anonymous, "/api/v1/organizations/?page_size=2")
    second = get_json(anonymous, first["next"])
    third = get_json(anonymous, second["next"])
    assert [o["slug"] for o in first["results"] + second["results"] + third["results"]] == [
        f"org-{n}" for n in range(5)
    ]
    assert third["next"] is None
