"""The enterprise resource in JSON: shape, languages, filters, visibility, query counts."""

import datetime as dt
from datetime import datetime

import pytest

from entreprises.services import refresh_search_vectors, set_sectors
from tests.factories import EnterpriseFactory
from tests.helpers import get_json, query_count

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"


def slugs(data):
    return [item["slug"] for item in data["results"]]


def test_enterprise_detail_has_every_public_field_as_language_maps(anonymous, directory):
    coop = directory["coop"]
    data = get_json(anonymous, f"{LIST}envol/")
    assert data == {
        "id": coop.id,
        "slug": "envol",
        "url": "http://testserver/api/v1/enterprises/envol/",
        "web_url": "http://testserver/fr/entreprises/envol/",
        "name": {"fr": "Coopérative d'habitation L'Envol", "en": "L'Envol Housing Co-operative"},
        "legal_form": "cooperative",
        "cooperative_type": "solidarity",
        "neq": "1234567890",
        "description": {"fr": "Des logements pour les étudiants.", "en": "Homes for students."},
        "mission": {"fr": "Loger.", "en": ""},
        "sectors": [
            {
                "slug": "habitation",
                "url": "http://testserver/api/v1/sectors/habitation/",
                "name": {"fr": "Habitation", "en": "Housing"},
                "is_primary": True,
            },
            {
                "slug": "agroalimentaire",
                "url": "http://testserver/api/v1/sectors/agroalimentaire/",
                "name": {"fr": "Agroalimentaire", "en": "Agri-food"},
                "is_primary": False,
            },
        ],
        "pole": {
            "url": "http://testserver/api/v1/poles/pole-a/",
            "slug": "pole-a",
            "name": {"fr": "Pôle de Montréal", "en": "Montreal Pole"},
        },
        "region": {
            "url": "http://testserver/api/v1/regions/06/",
            "code": "06",
            "name": {"fr": "Montréal", "en": "Montreal"},
        },
        "street_address": "1 rue Sherbrooke",
        "city": "Montréal",
        "postal_code": "H2X 1Y4",
        "latitude": 45.5088,
        "longitude": -73.5878,
        "phone": "514-555-0100",
        "email": "info@envol.example",
        "website": "https://envol.example",
        "founded_year": 2013,
        "employees": 12,
        "facebook_url": "",
        "instagram_url": "",
        "linkedin_url": "",
        "youtube_url": "",
        "other_social_url": "",
        "opening_hours": {},
        "opening_hours_note": {"fr": "", "en": ""},
        "products_services": {"fr": "", "en": ""},
        "sells_to": [],
        "step_free_access": "unknown",
        "image": None,
        "image_alt": {"fr": "", "en": ""},
        "status": "published",
        "created_at": data["created_at"],
        "updated_at": data["updated_at"],
    }
    coop.refresh_from_db()
    assert datetime.fromisoformat(data["created_at"]) == coop.created_at
    assert datetime.fromisoformat(data["updated_at"]) == coop.updated_at


def test_lang_flattens_every_map_with_the_french_fallback(anonymous, directory):
    english = get_json(anonymous, f"{LIST}envol/?lang=en")
    assert english["name"] == "L'Envol Housing Co-operative"
    assert english["mission"] == "Loger."  # no English mission: the French one
    assert english["sectors"][0]["name"] == "Housing"
    assert english["pole"]["name"] == "Montreal Pole"
    assert english["web_url"] == "http://testserver/en/enterprises/envol/"
    french = get_json(anonymous, f"{LIST}marche/?lang=fr")
    assert french["name"] == "Marché solidaire de Québec"
    assert french["pole"]["name"] == "Pôle de la Capitale"
    fallback = get_json(anonymous, f"{LIST}marche/?lang=en")
    assert fallback["name"] == "Marché solidaire de Québec"
    assert fallback["pole"]["name"] == "Pôle de la Capitale"


def test_unknown_lang_is_a_400_in_both_languages(anonymous, directory):
    english = get_json(anonymous, f"{LIST}?lang=de", status=400, HTTP_ACCEPT_LANGUAGE="en")
    assert english == {
        "detail": "Invalid value for: lang.",
        "errors": {"lang": ["Unknown language “de”: use one of fr, en."]},
    }
    french = get_json(anonymous, f"{LIST}?lang=de", status=400, HTTP_ACCEPT_LANGUAGE="fr")
    assert french == {
        "detail": "Valeur non valide pour\u00a0: lang.",
        "errors": {
            "lang": [
                "Langue inconnue «\u00a0de\u00a0»\u00a0: utilisez l’une de celles-ci\u00a0: fr, en."
            ]
        },
    }


def test_list_shows_only_published_enterprises_oldest_change_first(anonymous, directory):
    data = get_json(anonymous, LIST)
    assert slugs(data) == ["envol", "marche"]
    assert data["next"] is None
    assert data["tombstones"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=habitation", ["envol"]),
        ("sector=agroalimentaire", ["envol", "marche"]),
        ("pole=pole-b", ["marche"]),
        ("region=06", ["envol"]),
        ("legal_form=nonprofit", ["marche"]),
        ("q=cooperative habitation", ["envol"]),
        ("q=MARCHE", ["marche"]),
        ("q=étudiant", ["envol"]),
        ("bbox=-74,45,-73,46", ["envol"]),
        ("bbox=-72,46,-71,47", ["marche"]),
        ("bbox=-80,44,-57,63", ["envol", "marche"]),
        ("sector=agroalimentaire&region=03", ["marche"]),
        ("sector=habitation&pole=pole-b", []),
        ("q=solidaire&legal_form=nonprofit&bbox=-72,46,-71,47", ["marche"]),
        ("status=published", ["envol", "marche"]),
    ],
)
def test_filters_combine(anonymous, directory, query, expected):
    assert slugs(get_json(anonymous, f"{LIST}?{query}")) == expected


def test_updated_since_keeps_only_later_changes(anonymous, directory):
    market = directory["market"]
    since = directory["coop"].updated_at.isoformat()
    assert slugs(get_json(anonymous, f"{LIST}?updated_since={since.replace('+', '%2B')}")) == [
        "marche"
    ]
    after = market.updated_at.isoformat().replace("+", "%2B")
    assert slugs(get_json(anonymous, f"{LIST}?updated_since={after}")) == []
    # Offsets ISO 8601 allows but PostgreSQL does not (±16:00 and beyond) are read in UTC.
    far_east = market.updated_at.astimezone(dt.timezone(dt.timedelta(hours=16, minutes=59)))
    far_east = far_east.isoformat().replace("+", "%2B")
    assert slugs(get_json(anonymous, f"{LIST}?updated_since={far_east}")) == []


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("sector=nope", "sector", "There is no sector with this slug."),
        ("pole=nope", "pole", "There is no pole with this slug."),
        ("region=99", "region", "There is no region with this code."),
        ("legal_form=company", "legal_form", "There is no such legal form."),
        ("status=deleted", "status", "There is no such status."),
        (
            "bbox=1,2,3",
            "bbox",
            "Give the box as min_lon,min_lat,max_lon,max_lat: four numbers separated by commas.",
        ),
        (
            "bbox=a,b,c,d",
            "bbox",
            "Give the box as min_lon,min_lat,max_lon,max_lat: four numbers separated by commas.",
        ),
        (
            "bbox=-70,45,-75,46",
            "bbox",
            "The minimum longitude and latitude must be below the maximum ones.",
        ),
        (
            "bbox=-200,45,-75,46",
            "bbox",
            "Longitudes go from -180 to 180 and latitudes from -90 to 90.",
        ),
        (
            "updated_since=yesterday",
            "updated_since",
            "Give an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z.",
        ),
        (
            "updated_since=2026-13-45T00:00:00Z",
            "updated_since",
            "Give an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z.",
        ),
        (
            "updated_since=9999-12-31T23:00:00-16:59",
            "updated_since",
            "Give an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z.",
        ),
        ("page_size=0", "page_size", "The page size is a whole number from 1 to 1000."),
        ("page_size=1001", "page_size", "The page size is a whole number from 1 to 1000."),
        ("page_size=ten", "page_size", "The page size is a whole number from 1 to 1000."),
        (
            "cursor=bm90LWEtY3Vyc29y",
            "cursor",
            "This cursor was not issued by this API; start again without it or use the “next” address of the previous page.",
        ),
        (
            "cursor=!!!",
            "cursor",
            "This cursor was not issued by this API; start again without it or use the “next” address of the previous page.",
        ),
        (
            "format=xml",
            "format",
            "Unknown format “xml”: this endpoint offers json, csv, geojson, jsonld.",
        ),
        ("q=caf%00e", "q", "Null characters are not allowed."),
        ("lang=", "lang", "Give a value, or leave the parameter out."),
        ("updated_since=", "updated_since", "Give a value, or leave the parameter out."),
        ("page_size=", "page_size", "Give a value, or leave the parameter out."),
        ("q=" + "x" * 201, "q", "Ensure this value has at most 200 characters (it has 201)."),
    ],
)
def test_bad_input_is_a_400_that_names_the_parameter(anonymous, directory, query, field, message):
    data = get_json(anonymous, f"{LIST}?{query}", status=400, HTTP_ACCEPT_LANGUAGE="en")
    assert data["errors"] == {field: [message]}
    assert data["detail"] == f"Invalid value for: {field}."


def test_bad_filter_message_in_french(anonymous, directory):
    data = get_json(anonymous, f"{LIST}?sector=nope", status=400, HTTP_ACCEPT_LANGUAGE="fr")
    assert data == {
        "detail": "Valeur non valide pour\u00a0: sector.",
        "errors": {"sector": ["Aucun secteur n’a cet identifiant d’URL."]},
    }


def test_unknown_slug_is_a_404_with_a_message(anonymous, directory):
    data = get_json(anonymous, f"{LIST}nope/", status=404, HTTP_ACCEPT_LANGUAGE="en")
    assert data == {"detail": "No published enterprise has this slug."}


def test_draft_is_hidden_from_the_public(anonymous, partner, directory):
    get_json(anonymous, f"{LIST}brouillon/", status=404)
    get_json(partner, f"{LIST}brouillon/", status=404)
    data = get_json(anonymous, f"{LIST}?status=draft", status=403, HTTP_ACCEPT_LANGUAGE="en")
    assert data == {
        "detail": "Only published enterprises are public; drafts and archives are for pole staff."
    }
    data = get_json(partner, f"{LIST}?status=archived", status=403, HTTP_ACCEPT_LANGUAGE="fr")
    assert data["detail"].startswith("Seules les entreprises publiées sont publiques")


def test_pole_staff_see_their_own_drafts_and_archives_only(personas):
    staff_a = personas.client_for(personas.staff_a)
    assert slugs(get_json(staff_a, f"{LIST}?status=draft")) == ["brouillon"]
    # The archived enterprise belongs to pole B.
    assert slugs(get_json(staff_a, f"{LIST}?status=archived")) == []
    assert get_json(staff_a, f"{LIST}brouillon/")["status"] == "draft"
    # Without a status, staff read the public directory like everyone.
    assert slugs(get_json(staff_a, LIST)) == ["envol", "marche"]
    staff_b = personas.client_for(personas.staff_b)
    assert slugs(get_json(staff_b, f"{LIST}?status=draft")) == []
    assert slugs(get_json(staff_b, f"{LIST}?status=archived")) == ["ancienne"]
    get_json(staff_b, f"{LIST}brouillon/", status=404)


def test_national_team_sees_every_status(personas):
    national_team = personas.client_for(personas.national)
    assert slugs(get_json(national_team, f"{LIST}?status=draft")) == ["brouillon"]
    assert slugs(get_json(national_team, f"{LIST}?status=archived")) == ["ancienne"]


def test_archived_enterprise_answers_410_with_its_tombstone(anonymous, directory):
    archived = directory["archived"]
    data = get_json(anonymous, f"{LIST}ancienne/", status=410, HTTP_ACCEPT_LANGUAGE="en")
    assert data == {
        "detail": "This enterprise is no longer in the directory.",
        "id": archived.id,
        "slug": "ancienne",
        "status": "archived",
        "reason": "archived",
        "updated_at": data["updated_at"],
    }


def _add_enterprises(directory, count):
    for _ in range(count):
        enterprise = EnterpriseFactory(pole=directory["pole_a"], region=directory["montreal"])
        set_sectors(
            enterprise=enterprise, primary=directory["food"], secondary=[directory["housing"]]
        )
    refresh_search_vectors()


@pytest.mark.parametrize(
    "url",
    [
        LIST,
        f"{LIST}?lang=en&sector=agroalimentaire",
        f"{LIST}?format=jsonld",
        f"{LIST}?updated_since=2000-01-01T00:00:00Z",
    ],
)
def test_list_query_count_does_not_grow_with_the_page(anonymous, directory, url):
    few = query_count(anonymous, url)
    _add_enterprises(directory, 25)
    assert query_count(anonymous, url) == few
    # One of them counts the request against the caller's rate limit.
    assert few <= 5
