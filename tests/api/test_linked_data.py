"""One schema.org description of an enterprise: its page and the API give the same JSON-LD."""

import json
import re

import pytest

from tests.helpers import get_json

pytestmark = pytest.mark.django_db


def page_json_ld(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    found = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode()
    )
    return json.loads(found.group(1))


ENVOL_IN_ENGLISH = {
    "@context": {
        "@vocab": "http://schema.org/",
        "essglobal": "http://purl.org/essglobal/vocab/",
        "essglobal:economicSector": {"@type": "@id"},
        "url": {"@type": "@id"},
        "sameAs": {"@type": "@id"},
        "@language": "en",
    },
    "@id": "http://testserver/api/v1/enterprises/envol/",
    "@type": "Organization",
    "identifier": "envol",
    "name": "L'Envol Housing Co-operative",
    "description": "Homes for students.",
    "url": "http://testserver/en/enterprises/envol/",
    "sameAs": "https://envol.example",
    "taxID": "1234567890",
    "telephone": "514-555-0100",
    "email": "info@envol.example",
    "foundingDate": "2013",
    "numberOfEmployees": {"@type": "QuantitativeValue", "value": 12},
    "address": {
        "@type": "PostalAddress",
        "streetAddress": "1 rue Sherbrooke",
        "addressLocality": "Montréal",
        "postalCode": "H2X 1Y4",
        # schema.org: the first-level division of the country, the province.
        "addressRegion": "QC",
        "addressCountry": "CA",
    },
    # Every sector, the primary one first.
    "knowsAbout": ["Housing", "Agri-food"],
    "essglobal:legalForm": "cooperative",
    "essglobal:economicSector": ["http://purl.org/essglobal/standard/activities/A12"],
    # No English mission: the French one.
    "essglobal:mission": "Loger.",
    "geo": {"@type": "GeoCoordinates", "latitude": 45.5088, "longitude": -73.5878},
}


def test_enterprise_page_and_api_give_the_same_json_ld(anonymous, directory):
    page = page_json_ld(anonymous, "/en/enterprises/envol/")
    api = get_json(anonymous, "/api/v1/enterprises/envol/?format=jsonld&lang=en")
    directory["coop"].refresh_from_db()
    modified = directory["coop"].updated_at.isoformat()
    assert page.pop("dateModified") == api.pop("dateModified") == modified
    assert page == api == ENVOL_IN_ENGLISH


def test_the_same_in_french(anonymous, directory):
    page = page_json_ld(anonymous, "/fr/entreprises/envol/")
    api = get_json(anonymous, "/api/v1/enterprises/envol/?format=jsonld&lang=fr")
    assert page == api
    assert page["@context"]["@language"] == "fr"
    assert page["name"] == "Coopérative d'habitation L'Envol"
    assert page["url"] == "http://testserver/fr/entreprises/envol/"
    assert page["knowsAbout"] == ["Habitation", "Agroalimentaire"]
    assert page["address"]["addressRegion"] == "QC"


def test_api_list_nodes_are_the_detail_nodes(anonymous, directory):
    graph = get_json(anonymous, "/api/v1/enterprises/?format=jsonld&lang=en")["@graph"]
    detail = get_json(anonymous, "/api/v1/enterprises/envol/?format=jsonld&lang=en")
    del detail["@context"]
    assert graph[0] == detail
