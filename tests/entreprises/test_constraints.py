"""Every invariant of an enterprise is a database constraint: bad rows never land."""

from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction

from entreprises.models import EnterpriseSector
from tests.factories import EnterpriseFactory, EnterpriseSectorFactory, SectorFactory
from tests.helpers import broken_constraint, raises_constraint

pytestmark = pytest.mark.django_db


def rejected(**fields):
    """The constraint by which the database refuses an enterprise with these fields, or None."""
    try:
        with transaction.atomic():
            EnterpriseFactory(**fields)
    except IntegrityError as error:
        return broken_constraint(error)
    return None


def test_neq_unique_when_present():
    EnterpriseFactory(neq="1140000001")
    assert rejected(neq="1140000001") == "entreprises_enterprise_neq_unique"


def test_neq_empty_many_times_allowed():
    EnterpriseFactory(neq="")
    EnterpriseFactory(neq="")
    assert rejected(neq="") is None


@pytest.mark.parametrize("neq", ["123", "11400000AB"])
def test_neq_not_ten_digits_rejected(neq):
    assert rejected(neq=neq) == "entreprises_enterprise_neq_format"


def test_neq_longer_than_ten_characters_rejected():
    too_long = r"value too long for type character varying\(10\)"
    with pytest.raises(DataError, match=too_long), transaction.atomic():
        EnterpriseFactory(neq="12345678901")


def test_slug_unique():
    EnterpriseFactory(slug="la-ruche")
    assert rejected(slug="la-ruche") == "entreprises_enterprise_slug_key"


@pytest.mark.parametrize(
    "postal_code", ["H2X1Y4", "h2x 1y4", "D2X 1Y4", "H2X 1Y", "12345", "W2X 1Y4"]
)
def test_postal_code_not_canadian_format_rejected(postal_code):
    assert rejected(postal_code=postal_code) == "entreprises_enterprise_postal_code_format"


@pytest.mark.parametrize("postal_code", ["H2X 1Y4", "G5L 3A1", "J8X 4B2", ""])
def test_postal_code_canadian_format_accepted(postal_code):
    assert rejected(postal_code=postal_code) is None


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
    assert (
        rejected(latitude=Decimal(latitude), longitude=Decimal(longitude))
        == "entreprises_enterprise_coordinates_in_quebec"
    )


def test_latitude_without_longitude_rejected():
    assert (
        rejected(latitude=Decimal("46.8"), longitude=None)
        == "entreprises_enterprise_coordinates_in_quebec"
    )


def test_no_coordinates_accepted():
    assert rejected(latitude=None, longitude=None) is None


def test_cooperative_type_on_non_profit_rejected():
    assert (
        rejected(legal_form="nonprofit", cooperative_type="worker")
        == "entreprises_enterprise_cooperative_type_only_for_cooperatives"
    )


def test_unknown_legal_form_rejected():
    assert (
        rejected(legal_form="corporation", cooperative_type="")
        == "entreprises_enterprise_legal_form_valid"
    )


def test_unknown_status_rejected():
    assert rejected(status="deleted") == "entreprises_enterprise_status_valid"


def test_french_name_required():
    assert rejected(name_fr="") == "entreprises_enterprise_name_fr_required"
    assert rejected(name_fr=None) == "entreprises_enterprise_name_fr_required"


def test_founded_year_before_1800_rejected():
    assert rejected(founded_year=1700) == "entreprises_enterprise_founded_year_plausible"


def test_second_primary_sector_rejected():
    link = EnterpriseSectorFactory()
    with raises_constraint("entreprises_enterprisesector_one_primary"):
        EnterpriseSector.objects.create(
            enterprise=link.enterprise, sector=SectorFactory(), is_primary=True
        )


def test_secondary_sectors_accepted_beside_primary():
    link = EnterpriseSectorFactory()
    EnterpriseSector.objects.create(enterprise=link.enterprise, sector=SectorFactory())
    EnterpriseSector.objects.create(enterprise=link.enterprise, sector=SectorFactory())
    assert link.enterprise.sectors.count() == 3
