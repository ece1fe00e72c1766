"""The JSON list's records, built from rows (entreprises/api/records.py), are the serializer's
to the byte: over varied records, every language, every page, a sync, staff's drafts."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone
from django.utils.functional import lazy
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from common.api.formats import FastJSONRenderer, RawJSON
from entreprises.api import records
from entreprises.api.serializers import EnterpriseSerializer
from entreprises.api.views import EnterpriseViewSet
from entreprises.models import Enterprise
from entreprises.services import set_sectors
from tests.factories import EnterpriseFactory, SectorFactory
from tests.helpers import body_of, json_of, query_count

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"
HOURS = {"mon": [["09:00", "12:00"], ["13:00", "17:00"]], "sun": [["10:00", "24:00"]]}
# The list's order (updated_at, id): the awkward record was last changed long ago.
ORDER = ["atelier", "envol", "marche", "vide"]
TRICKY = 'Guillemets " et \\ barre, fin de ligne\u2028paragraphe\u2029 tab\t ligne\n émoji 🌱 \x01'


@pytest.fixture
def varied(directory):
    """Every field filled (the co-op), rich facts and an image (the market), an enterprise
    with every optional field empty, and one with awkward text and a whole-second date."""
    coop, market = directory["coop"], directory["market"]
    Enterprise.objects.filter(pk=coop.pk).update(
        instagram_url="https://www.instagram.com/envol",
        linkedin_url="https://www.linkedin.com/company/envol",
        youtube_url="https://youtu.be/envol",
        facebook_url="https://www.facebook.com/envol",
        other_social_url="https://mastodon.example/@envol",
        opening_hours=HOURS,
        opening_hours_note_fr="Sur rendez-vous.",
        opening_hours_note_en="By appointment.",
        products_services_fr="Logements",
        products_services_en="Homes",
        sells_to=["public", "businesses", "public_bodies"],
        step_free_access="yes",
        image_small="entreprises/envol-160.webp",
        image_large="entreprises/envol-480.webp",
        image_alt_fr="Façade de l'immeuble",
        image_alt_en="The building's front",
    )
    Enterprise.objects.filter(pk=market.pk).update(
        opening_hours={"sat": [["08:00", "12:00"]]},
        opening_hours_note_fr="Fermé à Noël.",
        sells_to=["public"],
        step_free_access="partial",
        image_small="entreprises/marche-160.webp",
        image_large="entreprises/marche-480.webp",
        image_alt_fr="Étal de légumes",
    )
    bare = EnterpriseFactory(
        name_en="",
        slug="vide",
        legal_form="nonprofit",
        cooperative_type="",
        city="",
        postal_code="",
        latitude=None,
        longitude=None,
    )
    odd = EnterpriseFactory(
        name_fr="« L'Atelier » & cie",
        name_en="The </script> Workshop",
        slug="atelier",
        description_fr=TRICKY,
        description_en=TRICKY,
        pole=directory["pole_b"],
        region=directory["montreal"],
        latitude=Decimal("61.999999"),
        longitude=Decimal("-70.000000"),
        employees=0,
        founded_year=1850,
    )
    english_less = SectorFactory(name_fr="Loisir", name_en="", slug="loisir", position=0)
    set_sectors(
        enterprise=odd, primary=english_less, secondary=[directory["housing"], directory["food"]]
    )
    Enterprise.objects.filter(pk=odd.pk).update(
        updated_at=datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
    )
    return {**directory, "bare": bare, "odd": odd}


def serializer_body(response, *, lang=None, status="published") -> bytes:
    """What the list answered before records.py: the serializer's records, DRF's renderer."""
    data = json.loads(body_of(response))
    slugs = [record["slug"] for record in data["results"]]
    enterprises = EnterpriseViewSet().with_details(
        Enterprise.objects.filter(slug__in=slugs, status=status).order_by("updated_at", "id")
    )
    context = {"request": RequestFactory().get(LIST), "lang": lang}
    with timezone.override(datetime.UTC):
        results = EnterpriseSerializer(enterprises, many=True, context=context).data
    envelope = {"next": data["next"], "results": results, "tombstones": data["tombstones"]}
    return JSONRenderer().render(envelope)


@pytest.mark.parametrize("lang", [None, "fr", "en"])
def test_list_is_the_serializers_to_the_byte_in_each_language(anonymous, varied, lang):
    url = LIST if lang is None else f"{LIST}?lang={lang}"
    response = anonymous.get(url)
    assert [r["slug"] for r in json_of(response)["results"]] == ORDER
    assert response.content == serializer_body(response, lang=lang)


def test_every_page_of_a_walk_is_the_serializers(anonymous, varied):
    url, seen = f"{LIST}?page_size=3&lang=en", []
    while url:
        response = anonymous.get(url)
        assert response.content == serializer_body(response, lang="en")
        page = json_of(response)
        seen += [record["slug"] for record in page["results"]]
        url = page["next"]
    assert seen == ORDER


def test_a_sync_with_tombstones_is_the_serializers(anonymous, varied):
    since = "2000-01-01T00:00:00Z"
    Enterprise.objects.filter(slug="marche").update(status="archived")
    response = anonymous.get(f"{LIST}?updated_since={since}")
    data = json_of(response)
    assert sorted(t["slug"] for t in data["tombstones"]) == ["ancienne", "marche"]
    assert response.content == serializer_body(response)


def test_staffs_drafts_are_the_serializers(personas, varied):
    response = personas.client_for(personas.staff_a).get(f"{LIST}?status=draft")
    assert [r["slug"] for r in json_of(response)["results"]] == ["brouillon"]
    assert response.content == serializer_body(response, status="draft")


def test_the_awkward_record_keeps_its_types_and_escapes(anonymous, varied):
    body = anonymous.get(f"{LIST}?lang=fr").content
    assert b"\\u2028" in body and b"\\u2029" in body and "🌱".encode() in body
    odd = json.loads(body)["results"][0]
    assert odd["latitude"] == 61.999999 and odd["longitude"] == -70.0
    assert b'"latitude":61.999999,"longitude":-70.0,' in body
    assert (odd["employees"], odd["founded_year"]) == (0, 1850)
    assert odd["updated_at"] == "2026-03-01T12:00:00Z"
    assert [(s["slug"], s["name"], s["is_primary"]) for s in odd["sectors"]] == [
        ("loisir", "Loisir", True),
        ("agroalimentaire", "Agroalimentaire", False),
        ("habitation", "Habitation", False),
    ]


def test_the_bare_record_gives_nulls_and_empty_texts(anonymous, varied):
    bare = json_of(anonymous.get(LIST))["results"][3]
    assert {key: bare[key] for key in ("pole", "region", "latitude", "image", "employees")} == {
        "pole": None,
        "region": None,
        "latitude": None,
        "image": None,
        "employees": None,
    }
    assert (bare["sectors"], bare["opening_hours"], bare["sells_to"]) == ([], {}, [])
    assert bare["name"] == {"fr": bare["name"]["fr"], "en": ""}
    assert bare["cooperative_type"] == ""


# Every filter of the list, alone and with a language: the records it keeps, then the bytes.
FILTERED = [
    ("sector=habitation", ["atelier", "envol"]),
    ("sector=habitation&sector=agroalimentaire&lang=en", ["atelier", "envol", "marche"]),
    ("pole=pole-b", ["atelier", "marche"]),
    ("pole=pole-a&pole=pole-b&lang=fr", ["atelier", "envol", "marche"]),
    ("region=06&lang=en", ["atelier", "envol"]),
    ("legal_form=nonprofit", ["marche", "vide"]),
    ("q=solidaire&lang=en", ["marche"]),
    ("bbox=-74,45,-73,46", ["envol"]),
    ("near=46.81,-71.2&radius_km=5&lang=en", ["marche"]),
    ("sector=agroalimentaire&pole=pole-b&region=06", ["atelier"]),
    ("updated_since=2026-03-01T12:00:00Z", ["envol", "marche", "vide"]),
    ("q=introuvable", []),
]


@pytest.mark.parametrize(("query", "slugs"), FILTERED)
def test_every_filter_gives_the_serializers_bytes(anonymous, varied, query, slugs):
    lang = next((part[5:] for part in query.split("&") if part.startswith("lang=")), None)
    response = anonymous.get(f"{LIST}?{query}")
    assert [r["slug"] for r in json_of(response)["results"]] == slugs
    assert response.content == serializer_body(response, lang=lang)


@pytest.mark.parametrize("asked", [None, "application/json; indent=2"])
def test_fast_renderer_writes_raw_json_as_drf_writes_its_value(asked):
    text = '[1,{"b":"é "},null]'
    rendered = FastJSONRenderer().render({"next": None, "results": RawJSON(text)}, asked)
    value = {"next": None, "results": json.loads(text)}
    assert rendered == JSONRenderer().render(value, asked)


def test_list_makes_one_query_for_its_records(anonymous, varied):
    # One counts the request against the caller's rate limit, then one writes the page's
    # records with their sectors.
    assert query_count(anonymous, LIST) == 2
    for n in range(30):
        set_sectors(
            enterprise=EnterpriseFactory(pole=varied["pole_a"]),
            primary=varied["food"],
            secondary=[varied["housing"]] if n % 2 else [],
        )
    assert query_count(anonymous, LIST) == 2
    assert query_count(anonymous, f"{LIST}?lang=en&page_size=1000") == 2


class WithAMethodField(EnterpriseSerializer):
    extra = serializers.SerializerMethodField()

    class Meta(EnterpriseSerializer.Meta):
        fields = [*EnterpriseSerializer.Meta.fields, "extra"]

    def get_extra(self, enterprise):
        return 1


class WithARelatedField(EnterpriseSerializer):
    extra = serializers.PrimaryKeyRelatedField(source="pole", read_only=True)

    class Meta(EnterpriseSerializer.Meta):
        fields = [*EnterpriseSerializer.Meta.fields, "extra"]


class WithItsOwnRepresentation(EnterpriseSerializer):
    def to_representation(self, instance):
        return {"slug": instance.slug}


class WithAFloat(EnterpriseSerializer):
    extra = serializers.FloatField(source="employees")

    class Meta(EnterpriseSerializer.Meta):
        fields = [*EnterpriseSerializer.Meta.fields, "extra"]


class WithAFormattedDate(EnterpriseSerializer):
    extra = serializers.DateTimeField(source="created_at", format="%Y")

    class Meta(EnterpriseSerializer.Meta):
        fields = [*EnterpriseSerializer.Meta.fields, "extra"]


def _plan(serializer):
    return records.RecordSQL(serializer(), lang=None, ordering=("updated_at", "id"))


@pytest.mark.parametrize(
    ("serializer", "message"),
    [
        (WithAMethodField, "WithAMethodField.extra cannot be read from a row"),
        (WithARelatedField, "WithARelatedField.extra cannot be read from a row"),
        (WithItsOwnRepresentation, "WithItsOwnRepresentation writes its own representation"),
        (WithAFloat, r"WithAFloat.extra \(FloatField\) is not written by"),
        (WithAFormattedDate, r"WithAFormattedDate.extra \(DateTimeField\) is not written by"),
    ],
)
def test_a_field_sql_cannot_write_stops_the_fast_list(serializer, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        _plan(serializer)


class WithAPlainField(EnterpriseSerializer):
    class Meta(EnterpriseSerializer.Meta):
        fields = [*EnterpriseSerializer.Meta.fields, "last_verified_at"]


def test_a_plain_field_added_to_the_serializer_is_written_by_sql(varied):
    assert "last_verified_at" in _plan(WithAPlainField).columns
    Enterprise.objects.update(last_verified_at=datetime.date(2026, 2, 3))
    context = {"request": RequestFactory().get(LIST), "lang": "en"}
    rows = Enterprise.objects.filter(status="published").order_by("updated_at", "id")
    written = records.enterprise_records(
        rows, context, ordering=("updated_at", "id"), serializer_class=WithAPlainField
    )
    with timezone.override(datetime.UTC):
        expected = WithAPlainField(
            EnterpriseViewSet().with_details(rows), many=True, context=context
        ).data
    assert [json.loads(record["json"])["last_verified_at"] for record in written] == [
        "2026-02-03"
    ] * 4
    written_body = FastJSONRenderer().render(RawJSON(records.json_array(written)))
    assert written_body == JSONRenderer().render(expected)


@pytest.mark.parametrize(
    "data",
    [
        {"text": TRICKY, "n": [1, 2.5, -73.5878, None, True, False], "empty": {}},
        {"when": datetime.datetime(2026, 1, 2, 3, 4, 5, 120, tzinfo=datetime.UTC)},
        {"at": datetime.time(3, 4, 5, 120), "lasting": datetime.timedelta(minutes=90)},
        {"day": datetime.date(2026, 1, 2), "price": Decimal("1.50")},
        {"lazy": lazy(lambda: "Pôle", str)()},
        {1: "a key that is not a string"},
        None,
    ],
)
def test_fast_renderer_writes_drfs_bytes(data):
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_fast_renderer_pretty_prints_as_drf():
    data = {"a": [1, {"b": "é"}]}
    asked = "application/json; indent=2"
    assert FastJSONRenderer().render(data, asked) == JSONRenderer().render(data, asked)


def test_more_pieces_than_a_function_takes_are_joined_in_order(db):
    pieces = [f"'{n},'" for n in range(250)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {records._concat(pieces)}")  # noqa: S608 (numbers only)
        (joined,) = cursor.fetchone()
    assert joined == "".join(f"{n}," for n in range(250))


def test_a_change_shows_in_the_next_list_at_once(anonymous, varied):
    """Nothing of a record is kept: its sectors', pole's and region's names and its own
    texts are read by the page's query."""
    before = json_of(anonymous.get(f"{LIST}?lang=en"))["results"]
    assert before[1]["pole"]["name"] == "Montreal Pole"
    housing, pole, coop = varied["housing"], varied["pole_a"], varied["coop"]
    housing.name_en = "Homes"
    housing.save()
    pole.name_en = "Montréal's pole"
    pole.save()
    coop.city = "Laval"
    coop.save()
    response = anonymous.get(f"{LIST}?lang=en")
    after = {record["slug"]: record for record in json_of(response)["results"]}
    assert after["envol"]["pole"]["name"] == "Montréal's pole"
    assert after["envol"]["city"] == "Laval"
    assert [s["name"] for s in after["envol"]["sectors"]] == ["Homes", "Agri-food"]
    assert [s["name"] for s in after["atelier"]["sectors"]] == ["Loisir", "Agri-food", "Homes"]
    assert response.content == serializer_body(response, lang="en")
