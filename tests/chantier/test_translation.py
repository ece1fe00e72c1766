"""Content translation: French required, English falls back to French."""

import pytest
from django.utils import translation

from tests.factories import EnterpriseFactory, RegionFactory, SectorFactory

pytestmark = pytest.mark.django_db


def test_english_falls_back_to_french_when_missing():
    enterprise = EnterpriseFactory(
        name_fr="Coopérative La Ruche", name_en="", description_fr="Miel local."
    )
    with translation.override("en"):
        assert enterprise.name == "Coopérative La Ruche"
        assert enterprise.description == "Miel local."


def test_english_used_when_present():
    sector = SectorFactory(name_fr="Habitation", name_en="Housing")
    with translation.override("en"):
        assert sector.name == "Housing"
    with translation.override("fr"):
        assert sector.name == "Habitation"


def test_french_does_not_fall_back_to_english():
    region = RegionFactory(code="05", name_fr="Estrie", name_en="Eastern Townships")
    with translation.override("fr"):
        assert region.name == "Estrie"


def test_fallback_also_in_queries_and_ordering():
    SectorFactory(name_fr="Énergie", name_en="")
    with translation.override("en"):
        from entreprises.models import Sector

        assert Sector.objects.get(name_fr="Énergie").name == "Énergie"
