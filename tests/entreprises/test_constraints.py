"""Every invariant of an enterprise is a database constraint: bad rows never land."""

from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction

from entreprises.models import EnterpriseSector
from tests.factories import EnterpriseFactory, EnterpriseSectorFactory, SectorFactory

pytestmark = pytest.mark.django_db


def rejected(**fields):
    """True when the database refuses an enterprise with these fields."""
    try:
        with transaction.atomic():
            EnterpriseFactory(**fields)
    except (IntegrityError, DataError):
        return True
    return False


def test_neq_unique_when_present():
    EnterpriseFactory(neq="1140000001")
    assert rejected(neq="1140000001")


def test_neq_empty_many_times_allowed():
    EnterpriseFactory(neq="")
    EnterpriseFactory(neq="")
    assert not rejected(neq="")


@pytest.mark.parametrize("neq", ["123", "12345678901", "11400000AB"])
def test_neq_not_ten_digits_rejected(neq):
    assert rejected(neq=neq)


def test_slug_unique():
    EnterpriseFactory(slug="la-ruche")
    assert rejected(slug="la-ruche")


@pytest.mark.parametrize(
    "postal_code", ["H2X1Y4", "h2x 1y4", "D2X 1Y4", "H2X 1Y", "12345", "W2X 1Y4"]
)
def test_postal_code_not_canadian_format_rejected(postal_code):
    assert rejected(postal_code=postal_code)


@pytest.mark.parametrize("postal_code", ["H2X 1Y4", "G5L 3A1", "J8X 4B2", ""])
def test_postal_code_canadian_format_accepted(postal_code):
    assert not rejected(postal_code=postal_code)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        ("43.6532", "-79.3832"),  # Toronto
        ("48.8566", "2.3522"),  # Paris
        ("63.0000", "-70.0000"),  # north of the box
        ("46.0000", "-56.0000"),  # east of the box
    ],
)
def test_coordinates_outside_quebec_rejected(latitude, longitude):
    assert rejected(latitude=Decimal(latitude), longitude=Decimal(longitude))


def test_latitude_without_longitude_rejected():
    assert rejected(latitude=Decimal("46.8"), longitude=None)


def test_no_coordinates_accepted():
    assert not rejected(latitude=None, longitude=None)


def test_cooperative_type_on_non_profit_rejected():
    assert rejected(legal_form="nonprofit", cooperative_type="worker")


def test_unknown_legal_form_rejected():
    assert rejected(legal_form="corporation", cooperative_type="")


def test_unknown_status_rejected():
    assert rejected(status="deleted")


def test_french_name_required():
    assert rejected(name_fr="")
    assert rejected(name_fr=None)


def test_founded_year_before_1800_rejected():
    assert rejected(founded_year=1700)


def test_second_primary_sector_rejected():
    link = EnterpriseSectorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseSector.objects.create(
            enterprise=link.enterprise, sector=SectorFactory(), is_primary=True
        )


def test_secondary_sectors_accepted_beside_primary():
    link = EnterpriseSectorFactory()
    EnterpriseSector.objects.create(enterprise=link.enterprise, sector=SectorFactory())
    EnterpriseSector.objects.create(enterprise=link.enterprise, sector=SectorFactory())
    assert link.enterprise.sectors.count() == 3
