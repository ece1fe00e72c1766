"""Named personas of the admin: the national team, staff of pole A, staff of pole B,
and a staff user with no pole, each with the enterprises they should (not) see."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from entreprises.services import refresh_search_vectors, set_sectors
from poles.models import PoleMembership
from poles.roles import NATIONAL_TEAM_GROUP, POLE_STAFF_GROUP
from tests.factories import EnterpriseFactory, PoleFactory, RegionFactory, SectorFactory

PASSWORD = "a-long-enough-passphrase-2026"


@dataclass
class AdminWorld:
    montreal: object
    laval: object
    pole_a: object
    pole_b: object
    food: object
    housing: object
    enterprise_a: object
    enterprise_b: object
    national: User
    staff_a: User
    staff_b: User
    staff_without_pole: User

    def client_for(self, user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client


def make_staff(username, group_name, poles=()):
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    for pole in poles:
        PoleMembership.objects.create(user=user, pole=pole)
    return user


@pytest.fixture
def world(db) -> AdminWorld:
    montreal = RegionFactory(code="06", name_fr="Montréal", name_en="Montréal")
    laval = RegionFactory(code="13", name_fr="Laval", name_en="Laval")
    pole_a = PoleFactory(name_fr="Pôle de Montréal", slug="pole-montreal", regions=[montreal])
    pole_b = PoleFactory(name_fr="Pôle de Laval", slug="pole-laval", regions=[laval])
    food = SectorFactory(name_fr="Alimentation", name_en="Food", slug="alimentation")
    housing = SectorFactory(name_fr="Habitation", name_en="Housing", slug="habitation")
    enterprise_a = EnterpriseFactory(
        name_fr="Épicerie solidaire du Plateau",
        name_en="Plateau Solidarity Grocery",
        slug="epicerie-plateau",
        neq="1140000001",
        pole=pole_a,
        region=montreal,
        status="draft",
    )
    enterprise_b = EnterpriseFactory(
        name_fr="Coopérative d'habitation de Laval",
        name_en="",
        slug="habitation-laval",
        neq="1140000002",
        pole=pole_b,
        region=laval,
        city="Laval",
        postal_code="H7N 1A1",
        latitude="45.570000",
        longitude="-73.700000",
        status="published",
    )
    set_sectors(enterprise=enterprise_a, primary=food)
    set_sectors(enterprise=enterprise_b, primary=housing)
    refresh_search_vectors()
    return AdminWorld(
        montreal=montreal,
        laval=laval,
        pole_a=pole_a,
        pole_b=pole_b,
        food=food,
        housing=housing,
        enterprise_a=enterprise_a,
        enterprise_b=enterprise_b,
        national=make_staff("nationale", NATIONAL_TEAM_GROUP),
        staff_a=make_staff("montreal", POLE_STAFF_GROUP, [pole_a]),
        staff_b=make_staff("laval", POLE_STAFF_GROUP, [pole_b]),
        staff_without_pole=make_staff("sanspole", POLE_STAFF_GROUP),
    )


def enterprise_form_data(enterprise, **changes):
    """The POST of the enterprise change form, as the browser sends it."""
    data = {
        "name_fr": enterprise.name_fr,
        "name_en": enterprise.name_en or "",
        "slug": enterprise.slug,
        "legal_form": enterprise.legal_form,
        "cooperative_type": enterprise.cooperative_type,
        "neq": enterprise.neq,
        "description_fr": enterprise.description_fr or "",
        "description_en": enterprise.description_en or "",
        "mission_fr": enterprise.mission_fr or "",
        "mission_en": enterprise.mission_en or "",
        "pole": enterprise.pole_id or "",
        "region": enterprise.region_id or "",
        "street_address": enterprise.street_address,
        "city": enterprise.city,
        "postal_code": enterprise.postal_code,
        "latitude": enterprise.latitude or "",
        "longitude": enterprise.longitude or "",
        "phone": enterprise.phone,
        "email": enterprise.email,
        "website": enterprise.website,
        "founded_year": enterprise.founded_year or "",
        "employees": enterprise.employees or "",
        "status": enterprise.status,
        "last_verified_at": "",
        "sector_links-TOTAL_FORMS": "0",
        "sector_links-INITIAL_FORMS": "0",
        "sector_links-MIN_NUM_FORMS": "0",
        "sector_links-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data
