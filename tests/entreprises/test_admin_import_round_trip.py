"""Property: any valid records, exported from the admin in any format, import back
unchanged: every row "unchanged", no error, nothing written."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entreprises.columns import neutralised, restored
from entreprises.enums import CooperativeType, Customer, LegalForm, Status, StepFreeAccess
from entreprises.models import Enterprise, EnterpriseSector
from entreprises.opening_hours import DAYS
from tests.entreprises.test_admin_import import IMPORT, confirm_import

# Letters, marks, digits, punctuation, symbols and spaces: what a person types in a form.
TYPED = st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Zs"])


def typed_text(max_size: int, *, blank=False, newlines=False):
    alphabet = st.one_of(TYPED, st.just("\n")) if newlines else TYPED
    text = st.text(alphabet=alphabet, max_size=max_size).map(str.strip)
    return text if blank else text.filter(bool)


# Points inside Québec (Montréal, Québec, Saguenay), moved by up to a hundredth of a degree.
PLACES = [(Decimal("45.5088"), Decimal("-73.5878")), (Decimal("46.8139"), Decimal("-71.2080"))]
PLACES.append((Decimal("48.4284"), Decimal("-71.0685")))


@st.composite
def coordinates(draw):
    latitude, longitude = draw(st.sampled_from(PLACES))
    shift = st.integers(-10_000, 10_000).map(lambda n: Decimal(n).scaleb(-6))
    return latitude + draw(shift), longitude + draw(shift)


@st.composite
def opening_hours(draw):
    """Any valid hours: some days, each with ordered, separate ranges on the quarter hour."""
    hours = {}
    for day in draw(st.lists(st.sampled_from(DAYS), unique=True, max_size=7)):
        times = draw(st.lists(st.integers(0, 96), min_size=2, max_size=6, unique=True))
        times = sorted(times)[: len(times) // 2 * 2]
        as_text = [f"{t // 4:02d}:{t % 4 * 15:02d}" for t in times]
        hours[day] = [list(pair) for pair in zip(as_text[::2], as_text[1::2], strict=True)]
    return hours


SOCIAL = st.sampled_from(
    [
        {},
        {"facebook_url": "https://www.facebook.com/envol"},
        {"instagram_url": "https://instagram.com/envol", "youtube_url": "https://youtu.be/x1"},
        {"linkedin_url": "https://www.linkedin.com/company/envol"},
        {"other_social_url": "https://mastodon.example/@envol"},
    ]
)


@st.composite
def records(draw):
    legal_form = draw(st.sampled_from(LegalForm.values))
    cooperative = legal_form == LegalForm.COOPERATIVE
    return {
        "name_fr": draw(typed_text(80)),
        "name_en": draw(typed_text(80, blank=True)),
        "description_fr": draw(typed_text(300, blank=True, newlines=True)),
        "mission_en": draw(typed_text(100, blank=True, newlines=True)),
        "legal_form": legal_form,
        "cooperative_type": draw(st.sampled_from(["", *CooperativeType.values]))
        if cooperative
        else "",
        "status": draw(st.sampled_from(Status.values)),
        "city": draw(typed_text(40, blank=True)),
        "street_address": draw(typed_text(60, blank=True)),
        "postal_code": draw(st.sampled_from(["", "H2X 1Y4", "J1H 5N4"])),
        "phone": draw(st.sampled_from(["", "514 555-0123", "819 555-0199 poste 12"])),
        "coordinates": draw(st.none() | coordinates()),
        "founded_year": draw(st.none() | st.integers(1800, 2026)),
        "employees": draw(st.none() | st.integers(0, 1_000_000)),
        "in_montreal": draw(st.booleans()),
        "sectors": draw(st.sampled_from([(), ("food",), ("housing",), ("food", "housing")])),
        "opening_hours": draw(opening_hours()),
        "opening_hours_note_fr": draw(typed_text(60, blank=True)),
        "opening_hours_note_en": draw(typed_text(60, blank=True)),
        "products_services_fr": draw(typed_text(120, blank=True, newlines=True)),
        "products_services_en": draw(typed_text(120, blank=True, newlines=True)),
        "sells_to": [c for c in Customer.values if draw(st.booleans())],
        "step_free_access": draw(st.sampled_from(StepFreeAccess.values)),
        "image_alt_fr": draw(typed_text(60, blank=True)),
        **draw(SOCIAL),
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    drawn=st.lists(records(), min_size=1, max_size=4),
    kind=st.sampled_from(["csv", "csv-comma", "xlsx"]),
    language=st.sampled_from(["fr", "en"]),
)
def test_any_valid_records_export_and_import_back_unchanged(personas, world, drawn, kind, language):
    client = personas.client_for(personas.staff_a)
    with transaction.atomic():
        for number, record in enumerate(drawn):
            record = dict(record)
            sectors = [getattr(world, name) for name in record.pop("sectors")]
            region = world.montreal if record.pop("in_montreal") else None
            latitude, longitude = record.pop("coordinates") or (None, None)
            enterprise = Enterprise(
                slug=f"aleatoire-{number}",
                pole=world.pole_a,
                region=region,
                latitude=latitude,
                longitude=longitude,
                **record,
            )
            enterprise.full_clean(validate_constraints=False)
            enterprise.save()
            EnterpriseSector.objects.bulk_create(
                EnterpriseSector(enterprise=enterprise, sector=s, is_primary=i == 0)
                for i, s in enumerate(sectors)
            )
        history = sum(e.history.count() for e in Enterprise.objects.all())
        exported = client.get(
            reverse("admin:entreprises_enterprise_export", args=[kind]),
            HTTP_ACCEPT_LANGUAGE=language,
        )
        upload = SimpleUploadedFile(
            "export.xlsx" if kind == "xlsx" else "export.csv", exported.content
        )
        response = client.post(IMPORT, {"file": upload}, HTTP_ACCEPT_LANGUAGE=language)
        assert "rows" in response.context, (
            response.context["form"].errors,
            exported.content[:3000],
        )
        rows = response.context["rows"]
        assert [(row.action, row.errors, row.changes) for row in rows] == [
            ("unchanged", [], []) for _ in rows
        ]
        assert len(rows) == len(drawn) + 1  # and pole A's grocery of the world
        confirm_import(client)
        assert sum(e.history.count() for e in Enterprise.objects.all()) == history
        transaction.set_rollback(True)


@given(st.text(alphabet="'=+-@\tab é", max_size=6))
def test_a_neutralised_cell_reads_back_as_written(text):
    assert restored(neutralised(text)) == text
