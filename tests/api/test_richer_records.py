"""The richer record in every format of the API: JSON, CSV, GeoJSON and JSON-LD."""

import csv
import io

import pytest

from entreprises.models import Enterprise
from tests.helpers import body_of, get_json, query_count

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"
HOURS = {"mon": [["09:00", "12:00"], ["13:00", "17:00"]], "sat": [["10:00", "24:00"]]}


@pytest.fixture
def rich(directory):
    """The market with every new fact, and a logo."""
    Enterprise.objects.filter(slug="marche").update(
        opening_hours=HOURS,
        opening_hours_note_fr="Fermé à Noël.",
        opening_hours_note_en="Closed at Christmas.",
        products_services_fr="Fruits et légumes",
        products_services_en="Fruit and vegetables",
        sells_to=["public", "public_bodies"],
        step_free_access="partial",
        facebook_url="https://www.facebook.com/marche",
        other_social_url="https://mastodon.example/@marche",
        image_small="entreprises/marche-ab12-160.webp",
        image_large="entreprises/marche-ab12-480.webp",
        image_alt_fr="Étal de légumes",
        image_alt_en="",
    )
    return directory


NEW_FIELDS = [
    "facebook_url",
    "instagram_url",
    "linkedin_url",
    "youtube_url",
    "other_social_url",
    "opening_hours",
    "opening_hours_note",
    "products_services",
    "sells_to",
    "step_free_access",
    "image",
    "image_alt",
]


def test_json_gives_every_new_fact_with_language_maps(anonymous, rich):
    data = get_json(anonymous, f"{LIST}marche/")
    assert {key: data[key] for key in NEW_FIELDS} == {
        "facebook_url": "https://www.facebook.com/marche",
        "instagram_url": "",
        "linkedin_url": "",
        "youtube_url": "",
        "other_social_url": "https://mastodon.example/@marche",
        "opening_hours": HOURS,
        "opening_hours_note": {"fr": "Fermé à Noël.", "en": "Closed at Christmas."},
        "products_services": {"fr": "Fruits et légumes", "en": "Fruit and vegetables"},
        "sells_to": ["public", "public_bodies"],
        "step_free_access": "partial",
        "image": {
            "small": "http://testserver/media/entreprises/marche-ab12-160.webp",
            "large": "http://testserver/media/entreprises/marche-ab12-480.webp",
        },
        "image_alt": {"fr": "Étal de légumes", "en": ""},
    }
    # The name stays the enterprise's own: the map keeps an empty English one.
    assert data["name"] == {"fr": "Marché solidaire de Québec", "en": ""}
    english = get_json(anonymous, f"{LIST}marche/?lang=en")
    assert english["name"] == "Marché solidaire de Québec"
    assert english["image_alt"] == "Étal de légumes"
    assert english["products_services"] == "Fruit and vegetables"


def test_csv_gives_the_hours_as_the_spreadsheets_write_them(anonymous, rich):
    response = anonymous.get(f"{LIST}?format=csv")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(body_of(response).decode()))}
    market = rows["marche"]
    assert {key: market[key] for key in market if key in NEW_CSV_COLUMNS} == {
        "products_services_fr": "Fruits et légumes",
        "products_services_en": "Fruit and vegetables",
        "opening_hours_note_fr": "Fermé à Noël.",
        "opening_hours_note_en": "Closed at Christmas.",
        "image_alt_fr": "Étal de légumes",
        "image_alt_en": "",
        "facebook_url": "https://www.facebook.com/marche",
        "instagram_url": "",
        "linkedin_url": "",
        "youtube_url": "",
        "other_social_url": "https://mastodon.example/@marche",
        "opening_hours": "lun 09:00-12:00, 13:00-17:00; sam 10:00-24:00",
        "sells_to": "public;public_bodies",
        "step_free_access": "partial",
        "image_url": "http://testserver/media/entreprises/marche-ab12-480.webp",
        "image_small_url": "http://testserver/media/entreprises/marche-ab12-160.webp",
    }
    assert rows["envol"]["opening_hours"] == "" and rows["envol"]["image_url"] == ""


NEW_CSV_COLUMNS = {
    "products_services_fr",
    "products_services_en",
    "opening_hours_note_fr",
    "opening_hours_note_en",
    "image_alt_fr",
    "image_alt_en",
    "facebook_url",
    "instagram_url",
    "linkedin_url",
    "youtube_url",
    "other_social_url",
    "opening_hours",
    "sells_to",
    "step_free_access",
    "image_url",
    "image_small_url",
}


def test_geojson_gives_the_hours_and_customers_as_json(anonymous, rich):
    data = get_json(anonymous, f"{LIST}marche/?format=geojson")
    properties = data["properties"]
    assert {key: properties[key] for key in NEW_GEOJSON_PROPERTIES} == {
        "opening_hours": HOURS,
        "sells_to": ["public", "public_bodies"],
        "step_free_access": "partial",
        "image_url": "http://testserver/media/entreprises/marche-ab12-480.webp",
    }


NEW_GEOJSON_PROPERTIES = ["opening_hours", "sells_to", "step_free_access", "image_url"]


def test_json_ld_gives_opening_hours_image_and_social_pages(anonymous, rich):
    data = get_json(anonymous, f"{LIST}marche/?format=jsonld&lang=fr")
    assert data["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Monday"],
            "opens": "09:00",
            "closes": "12:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Monday"],
            "opens": "13:00",
            "closes": "17:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Saturday"],
            "opens": "10:00",
            "closes": "23:59",
        },
    ]
    assert data["image"] == {
        "@type": "ImageObject",
        "contentUrl": "http://testserver/media/entreprises/marche-ab12-480.webp",
        "thumbnailUrl": "http://testserver/media/entreprises/marche-ab12-160.webp",
        "caption": "Étal de légumes",
    }
    assert data["sameAs"] == [
        "https://www.facebook.com/marche",
        "https://mastodon.example/@marche",
    ]


def test_list_with_images_and_hours_keeps_its_query_count(anonymous, rich):
    before = query_count(anonymous, LIST)
    Enterprise.objects.filter(slug="envol").update(
        opening_hours=HOURS, image_large="entreprises/a.webp", image_small="entreprises/b.webp"
    )
    assert query_count(anonymous, LIST) == before
