"""CSV, GeoJSON and JSON-LD, read back with the standard libraries and rdflib."""

import csv
import io

import pytest
import rdflib

from entreprises.models import Enterprise
from entreprises.services import delete_enterprises, set_sectors
from tests.factories import EnterpriseFactory
from tests.helpers import body_of, get_json, json_of, query_count

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"
SCHEMA = rdflib.Namespace("http://schema.org/")
ESSGLOBAL = rdflib.Namespace("http://purl.org/essglobal/vocab/")


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body_of(response).decode("utf-8"))))


def test_csv_has_one_row_per_enterprise_with_both_languages(anonymous, directory):
    response = anonymous.get(f"{LIST}?format=csv")
    assert response.status_code == 200
    assert response.streaming
    rows = csv_rows(response)
    assert [row["slug"] for row in rows] == ["envol", "marche"]
    envol = rows[0]
    assert envol == {
        "id": str(directory["coop"].id),
        "slug": "envol",
        "name_fr": "Coopérative d'habitation L'Envol",
        "name_en": "L'Envol Housing Co-operative",
        "description_fr": "Des logements pour les étudiants.",
        "description_en": "Homes for students.",
        "mission_fr": "Loger.",
        "mission_en": "",
        "products_services_fr": "",
        "products_services_en": "",
        "opening_hours_note_fr": "",
        "opening_hours_note_en": "",
        "image_alt_fr": "",
        "image_alt_en": "",
        "legal_form": "cooperative",
        "cooperative_type": "solidarity",
        "neq": "1234567890",
        "primary_sector": "habitation",
        "sectors": "habitation | agroalimentaire",
        "sectors_fr": "Habitation | Agroalimentaire",
        "sectors_en": "Housing | Agri-food",
        "pole": "pole-a",
        "region": "06",
        "street_address": "1 rue Sherbrooke",
        "city": "Montréal",
        "postal_code": "H2X 1Y4",
        "latitude": "45.508800",
        "longitude": "-73.587800",
        "phone": "514-555-0100",
        "email": "info@envol.example",
        "website": "https://envol.example",
        "founded_year": "2013",
        "employees": "12",
        "facebook_url": "",
        "instagram_url": "",
        "linkedin_url": "",
        "youtube_url": "",
        "other_social_url": "",
        "opening_hours": "",
        "sells_to": "",
        "step_free_access": "unknown",
        "image_url": "",
        "image_small_url": "",
        "status": "published",
        "created_at": envol["created_at"],
        "updated_at": envol["updated_at"],
        "reason": "",
        "url": "http://testserver/api/v1/enterprises/envol/",
        "web_url": "http://testserver/fr/entreprises/envol/",
    }
    assert rows[1]["founded_year"] == "" and rows[1]["sectors_en"] == "Agri-food"


def test_streamed_formats_give_an_enterprise_without_sectors_empty_ones(anonymous, directory):
    EnterpriseFactory(slug="sans-secteur", pole=directory["pole_a"])
    rows = csv_rows(anonymous.get(f"{LIST}?format=csv&pole=pole-a"))
    assert [
        (row["slug"], row["primary_sector"], row["sectors"], row["sectors_en"]) for row in rows
    ] == [
        ("envol", "habitation", "habitation | agroalimentaire", "Housing | Agri-food"),
        ("sans-secteur", "", "", ""),
    ]
    features = json_of(anonymous.get(f"{LIST}?format=geojson&pole=pole-a"))["features"]
    assert [(f["properties"]["slug"], f["properties"]["sectors"]) for f in features] == [
        ("envol", ["habitation", "agroalimentaire"]),
        ("sans-secteur", []),
    ]


def test_csv_is_chosen_by_the_accept_header_too(anonymous, directory):
    response = anonymous.get(f"{LIST}?region=03", HTTP_ACCEPT="text/csv")
    assert [row["slug"] for row in csv_rows(response)] == ["marche"]


def test_csv_of_a_sync_lists_tombstones_as_rows(anonymous, directory):
    since = directory["coop"].created_at.isoformat().replace("+", "%2B")
    rows = csv_rows(anonymous.get(f"{LIST}?format=csv&updated_since={since}"))
    assert [(row["slug"], row["status"]) for row in rows] == [
        ("envol", "published"),
        ("marche", "published"),
        ("ancienne", "archived"),
    ]
    assert rows[2]["name_fr"] == ""


def test_csv_detail_is_one_row(anonymous, directory):
    rows = csv_rows(anonymous.get(f"{LIST}marche/?format=csv"))
    assert [(row["slug"], row["legal_form"], row["pole"]) for row in rows] == [
        ("marche", "nonprofit", "pole-b")
    ]


def test_geojson_is_an_rfc7946_feature_collection_longitude_first(anonymous, directory):
    response = anonymous.get(f"{LIST}?format=geojson&lang=en")
    assert response["Content-Type"] == "application/geo+json"
    assert response.streaming
    data = json_of(response)
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["slug"] for f in data["features"]] == ["envol", "marche"]
    envol = data["features"][0]
    assert envol["geometry"] == {"type": "Point", "coordinates": [-73.5878, 45.5088]}
    assert envol["id"] == directory["coop"].id
    assert envol["properties"] == {
        "slug": "envol",
        "name": "L'Envol Housing Co-operative",
        "legal_form": "cooperative",
        "cooperative_type": "solidarity",
        "sectors": ["habitation", "agroalimentaire"],
        "pole": "pole-a",
        "region": "06",
        "street_address": "1 rue Sherbrooke",
        "city": "Montréal",
        "postal_code": "H2X 1Y4",
        "website": "https://envol.example",
        "opening_hours": {},
        "sells_to": [],
        "step_free_access": "unknown",
        "image_url": None,
        "status": "published",
        "updated_at": envol["properties"]["updated_at"],
        "url": "http://testserver/api/v1/enterprises/envol/",
        "web_url": "http://testserver/en/enterprises/envol/",
    }


def test_geojson_honours_the_filters_and_the_accept_header(anonymous, directory):
    response = anonymous.get(f"{LIST}?bbox=-72,46,-71,47", HTTP_ACCEPT="application/geo+json")
    data = json_of(response)
    assert [f["properties"]["slug"] for f in data["features"]] == ["marche"]
    assert data["features"][0]["properties"]["name"] == {
        "fr": "Marché solidaire de Québec",
        "en": "",
    }


def test_geojson_detail_is_one_feature(anonymous, directory):
    data = get_json(anonymous, f"{LIST}marche/?format=geojson")
    assert data["type"] == "Feature"
    assert data["geometry"]["coordinates"] == [-71.208, 46.8139]


def parse_json_ld(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format="json-ld")


def test_json_ld_list_is_schema_org_organizations_with_essglobal_terms(anonymous, directory):
    response = anonymous.get(f"{LIST}?format=jsonld")
    assert response["Content-Type"] == "application/ld+json"
    graph = parse_json_ld(response.content.decode())
    envol = rdflib.URIRef("http://testserver/api/v1/enterprises/envol/")
    marche = rdflib.URIRef("http://testserver/api/v1/enterprises/marche/")
    assert set(graph.subjects(rdflib.RDF.type, SCHEMA.Organization)) == {envol, marche}
    assert set(graph.objects(envol, SCHEMA.name)) == {
        rdflib.Literal("Coopérative d'habitation L'Envol", lang="fr"),
        rdflib.Literal("L'Envol Housing Co-operative", lang="en"),
    }
    assert set(graph.objects(envol, ESSGLOBAL.economicSector)) == {
        rdflib.URIRef("http://purl.org/essglobal/standard/activities/A12")
    }
    assert set(graph.objects(envol, ESSGLOBAL.legalForm)) == {rdflib.Literal("cooperative")}
    assert set(graph.objects(marche, ESSGLOBAL.legalForm)) == {rdflib.Literal("nonprofit")}
    assert graph.value(envol, SCHEMA.taxID) == rdflib.Literal("1234567890")
    geo = graph.value(envol, SCHEMA.geo)
    assert float(graph.value(geo, SCHEMA.latitude)) == 45.5088
    assert float(graph.value(geo, SCHEMA.longitude)) == -73.5878
    address = graph.value(envol, SCHEMA.address)
    assert graph.value(address, SCHEMA.postalCode) == rdflib.Literal("H2X 1Y4")
    assert graph.value(envol, SCHEMA.url) == rdflib.URIRef(
        "http://testserver/fr/entreprises/envol/"
    )


def test_json_ld_detail_in_one_language(anonymous, directory):
    response = anonymous.get(f"{LIST}envol/?lang=en", HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"] == "application/ld+json"
    graph = parse_json_ld(response.content.decode())
    envol = rdflib.URIRef("http://testserver/api/v1/enterprises/envol/")
    assert set(graph.objects(envol, SCHEMA.name)) == {
        rdflib.Literal("L'Envol Housing Co-operative", lang="en")
    }
    assert set(graph.objects(envol, SCHEMA.knowsAbout)) == {
        rdflib.Literal("Housing", lang="en"),
        rdflib.Literal("Agri-food", lang="en"),
    }


def test_unacceptable_accept_header_is_a_406_in_json(anonymous, directory):
    data = get_json(anonymous, LIST, status=406, HTTP_ACCEPT="application/xml")
    assert data == {"detail": "L'en-tête « Accept » n'a pas pu être satisfaite."}
    english = get_json(
        anonymous, LIST, status=406, HTTP_ACCEPT="application/xml", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english == {"detail": "Could not satisfy the request Accept header."}


def test_errors_are_json_even_when_csv_was_asked(anonymous, directory):
    response = anonymous.get(f"{LIST}?format=csv&region=99")
    assert response["Content-Type"] == "application/json"
    # Without Accept-Language, messages are in French, the portal's first language.
    assert json_of(response, status=400)["errors"] == {"region": ["Aucune région n’a ce code."]}


@pytest.mark.parametrize(
    "url",
    [
        f"{LIST}?format=csv",
        f"{LIST}?format=geojson",
        f"{LIST}?format=csv&updated_since=2000-01-01T00:00:00Z",
        f"{LIST}?format=geojson&updated_since=2000-01-01T00:00:00Z",
    ],
)
def test_streamed_formats_query_count_does_not_grow(anonymous, directory, url):
    anonymous.get(url)  # the first request of all sets the data's version in the cache
    few = query_count(anonymous, url)
    for _ in range(30):
        enterprise = EnterpriseFactory(pole=directory["pole_a"])
        set_sectors(enterprise=enterprise, primary=directory["food"])
    assert query_count(anonymous, url) == few


def test_csv_neutralises_formulas_in_text_cells_only(anonymous, directory):
    coop = directory["coop"]
    coop.name_fr = '=HYPERLINK("https://evil.example","x")'
    coop.name_en = "+1 555"
    coop.description_fr = "-moins"
    coop.mission_en = "@SUM(A1)"
    coop.street_address = "\t1 rue"
    coop.city = "\rMontréal"
    coop.save()
    for url in [f"{LIST}?format=csv", f"{LIST}envol/?format=csv"]:
        envol = next(row for row in csv_rows(anonymous.get(url)) if row["slug"] == "envol")
        assert [envol[name] for name in ["name_fr", "name_en", "description_fr", "mission_en"]] == [
            '\'=HYPERLINK("https://evil.example","x")',
            "'+1 555",
            "'-moins",
            "'@SUM(A1)",
        ]
        assert (envol["street_address"], envol["city"]) == ("'\t1 rue", "'\rMontréal")
        # Numbers stay numbers: Québec's longitudes are negative.
        assert (envol["latitude"], envol["longitude"], envol["phone"]) == (
            "45.508800",
            "-73.587800",
            "514-555-0100",
        )


def test_csv_tombstone_rows_follow_the_same_rule(anonymous, directory):
    since = directory["coop"].created_at.isoformat().replace("+", "%2B")
    gone = EnterpriseFactory(slug="-parti", pole=directory["pole_a"])
    delete_enterprises(enterprises=Enterprise.objects.filter(pk=gone.pk))
    rows = csv_rows(anonymous.get(f"{LIST}?format=csv&updated_since={since}"))
    assert [(row["slug"], row["status"]) for row in rows if row["status"] == "deleted"] == [
        ("'-parti", "deleted")
    ]
    assert next(row for row in rows if row["status"] == "deleted")["id"] == str(gone.pk)
