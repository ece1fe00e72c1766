import time

import pytest

from contributions.guards import form_token
from tests.factories import EnterpriseFactory, EnterpriseSectorFactory, SectorFactory


def filled(**fields) -> dict:
    """A public form's answers as a person sends them, a minute after it was shown."""
    return {"started": form_token(issued_at=time.time() - 60), "homepage": "", **fields}


@pytest.fixture
def sector(db):
    return SectorFactory(name_fr="Alimentation", name_en="Food", slug="alimentation")


@pytest.fixture
def enterprise(personas, sector):
    """A published enterprise of pole A (Montréal)."""
    enterprise = EnterpriseFactory(
        name_fr="Coopérative La Ruche",
        name_en="La Ruche Co-operative",
        slug="la-ruche",
        pole=personas.pole_a,
        region=personas.pole_a.regions.get(),
        phone="514 555-0100",
    )
    EnterpriseSectorFactory(enterprise=enterprise, sector=sector)
    return enterprise
