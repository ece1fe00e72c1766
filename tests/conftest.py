import pytest
from django.utils import translation

from chantier.services import load_reference
from common.after_response import forget_pending
from tests import personas as people
from tests.factories import PoleFactory, RegionFactory


def pytest_collection_modifyitems(config, items):
    """Tests marked `serial` never run on an xdist worker (`make test` runs them in a
    second, one-process pass): some stop or copy the PostgreSQL server every worker
    shares, and the browser tests share data written once for all of them. Browser tests
    are also database tests, so the test database exists even when only they run."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.django_db)
            item.add_marker(pytest.mark.serial)
    if hasattr(config, "workerinput"):
        serial = [item for item in items if item.get_closest_marker("serial")]
        config.hook.pytest_deselected(items=serial)
        items[:] = [item for item in items if not item.get_closest_marker("serial")]


@pytest.fixture
def reference_data(db):
    """The portal's reference data, loaded as `manage.py load_reference` does."""
    return load_reference()


@pytest.fixture(autouse=True)
def french_by_default():
    """Each test starts in French, the portal's default language."""
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def no_work_left_for_a_response():
    """A response a test never closed (a streamed body left unread, an assertion failing
    mid-request) would leave its work pending, and defer every later `after_response`
    of this thread for ever."""
    yield
    forget_pending()


# -- personas (tests/personas.py) ------------------------------------------------------


@pytest.fixture
def two_poles(db):
    """Pole A (Montréal) and pole B (Laval), the poles the staff personas work for.

    A folder whose data need their own poles overrides this fixture.
    """
    montreal = RegionFactory(code="06", name_fr="Montréal", name_en="Montréal")
    laval = RegionFactory(code="13", name_fr="Laval", name_en="Laval")
    return (
        PoleFactory(name_fr="Pôle de Montréal", slug="pole-montreal", regions=[montreal]),
        PoleFactory(name_fr="Pôle de Laval", slug="pole-laval", regions=[laval]),
    )


@pytest.fixture
def personas(two_poles) -> people.Personas:
    """The national team, staff of pole A, of pole B and of no pole."""
    pole_a, pole_b = two_poles
    return people.create_personas(pole_a=pole_a, pole_b=pole_b)


@pytest.fixture
def anonymous():
    return people.anonymous()


@pytest.fixture
def partner_key(db) -> str:
    return people.create_partner_key()


@pytest.fixture
def partner(partner_key):
    return people.partner(partner_key)
