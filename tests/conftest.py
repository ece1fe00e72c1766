import pytest
from django.utils import translation

from chantier.services import load_reference


@pytest.fixture
def reference_data(db):
    """The portal's reference data, loaded as `manage.py load_reference` does."""
    return load_reference()


@pytest.fixture(autouse=True)
def french_by_default():
    """Each test starts in French, the portal's default language."""
    with translation.override("fr"):
        yield
