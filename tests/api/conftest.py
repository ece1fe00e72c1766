from decimal import Decimal

import pytest
from django.core.cache import cache

from entreprises.services import refresh_search_vectors, set_sectors
from tests.factories import EnterpriseFactory, PoleFactory, RegionFactory, SectorFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no answer kept by another in the public cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def directory(db):
    """Two poles in two regions, two sectors, and one enterprise of each status."""
    montreal = RegionFactory(code="06", name_fr="Montréal", name_en="Montreal")
    capitale = RegionFactory(code="03", name_fr="Capitale-Nationale", name_en="Capitale-Nationale")
    pole_a = PoleFactory(
        name_fr="Pôle de Montréal", name_en="Montreal Pole", slug="pole-a", regions=[montreal]
    )
    pole_b = PoleFactory(
        name_fr="Pôle de la Capitale", name_en="", slug="pole-b", regions=[capitale]
    )
    housing = SectorFactory(
        name_fr="Habitation", name_en="Housing", slug="habitation", essglobal_code="A12"
    )
    food = SectorFactory(name_fr="Agroalimentaire", name_en="Agri-food", slug="agroalimentaire")
    coop = EnterpriseFactory(
        name_fr="Coopérative d'habitation L'Envol",
        name_en="L'Envol Housing Co-operative",
        slug="envol",
        description_fr="Des logements pour les étudiants.",
        description_en="Homes for students.",
        mission_fr="Loger.",
        mission_en="",
        legal_form="cooperative",
        cooperative_type="solidarity",
        neq="1234567890",
        pole=pole_a,
        region=montreal,
        street_address="1 rue Sherbrooke",
        city="Montréal",
        postal_code="H2X 1Y4",
        latitude=Decimal("45.508800"),
        longitude=Decimal("-73.587800"),
        phone="514-555-0100",
        email="info@envol.example",
        website="https://envol.example",
        founded_year=2013,
        employees=12,
    )
    set_sectors(enterprise=coop, primary=housing, secondary=[food])
    market = EnterpriseFactory(
        name_fr="Marché solidaire de Québec",
        name_en="",
        slug="marche",
        legal_form="nonprofit",
        cooperative_type="",
        pole=pole_b,
        region=capitale,
        city="Québec",
        postal_code="G1K 3G5",
        latitude=Decimal("46.813900"),
        longitude=Decimal("-71.208000"),
    )
    set_sectors(enterprise=market, primary=food)
    draft = EnterpriseFactory(
        name_fr="Brouillon du pôle A",
        slug="brouillon",
        status="draft",
        pole=pole_a,
        region=montreal,
    )
    archived = EnterpriseFactory(
        name_fr="Ancienne coopérative", slug="ancienne", status="archived", pole=pole_b
    )
    refresh_search_vectors()
    return {
        "montreal": montreal,
        "capitale": capitale,
        "pole_a": pole_a,
        "pole_b": pole_b,
        "housing": housing,
        "food": food,
        "coop": coop,
        "market": market,
        "draft": draft,
        "archived": archived,
    }


@pytest.fixture
def two_poles(directory):
    """The staff personas work for the directory's two poles."""
    return directory["pole_a"], directory["pole_b"]
