"""The admin's data: an enterprise in pole A (Montréal, a draft) and one in pole B (Laval,
published); the users who act on them are the personas of `tests/personas.py`."""

from dataclasses import dataclass

import pytest

from entreprises.services import refresh_search_vectors, set_sectors
from tests.factories import EnterpriseFactory, SectorFactory


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


@pytest.fixture
def world(two_poles) -> AdminWorld:
    pole_a, pole_b = two_poles
    montreal, laval = pole_a.regions.get(), pole_b.regions.get()
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
        "step_free_access": enterprise.step_free_access,
        "last_verified_at": "",
        "sector_links-TOTAL_FORMS": "0",
        "sector_links-INITIAL_FORMS": "0",
        "sector_links-MIN_NUM_FORMS": "0",
        "sector_links-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data
