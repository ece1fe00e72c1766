from decimal import Decimal

import pytest

from poles.models import PoleMembership, Region
from tests.factories import PoleFactory, RegionFactory
from tests.helpers import raises_constraint

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["00", "18", "6", "AB"])
def test_region_code_outside_01_to_17_rejected(code):
    with raises_constraint("poles_region_code_01_to_17"):
        Region.objects.create(code=code, name_fr="Nulle part")


def test_region_code_unique():
    RegionFactory(code="06")
    with raises_constraint("poles_region_code_key"):
        Region.objects.create(code="06", name_fr="Montréal bis")


def test_pole_slug_unique():
    PoleFactory(slug="pole-laval")
    with raises_constraint("poles_pole_slug_key"):
        PoleFactory(slug="pole-laval")


def test_pole_coordinates_outside_quebec_rejected():
    with raises_constraint("poles_pole_coordinates_in_quebec"):
        PoleFactory(latitude=Decimal("40.7128"), longitude=Decimal("-74.0060"))


def test_pole_postal_code_format_enforced():
    with raises_constraint("poles_pole_postal_code_format"):
        PoleFactory(postal_code="90210")


def test_pole_serves_several_regions_and_a_region_several_poles():
    monteregie = RegionFactory(code="16", name_fr="Montérégie")
    estrie = RegionFactory(code="05", name_fr="Estrie")
    east = PoleFactory(regions=[monteregie], mrcs=["Acton", "La Haute-Yamaska"])
    PoleFactory(regions=[monteregie])
    both = PoleFactory(regions=[monteregie, estrie])
    assert monteregie.poles.count() == 3
    assert set(both.regions.values_list("code", flat=True)) == {"16", "05"}
    assert east.mrcs == ["Acton", "La Haute-Yamaska"]


def test_membership_unique_per_user_and_pole(personas):
    user = personas.staff_without_pole
    pole = PoleFactory()
    PoleMembership.objects.create(user=user, pole=pole)
    PoleMembership.objects.create(user=user, pole=PoleFactory())
    assert user.pole_memberships.count() == 2
    with raises_constraint("poles_membership_unique"):
        PoleMembership.objects.create(user=user, pole=pole)
