"""Form-level validation (full_clean) says clearly what is wrong, in both languages."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from common.validators import normalize_phone
from entreprises.services import set_sectors
from tests.factories import EnterpriseFactory, PoleFactory, RegionFactory, SectorFactory

pytestmark = pytest.mark.django_db


def errors_of(enterprise, language):
    with translation.override(language):
        with pytest.raises(ValidationError) as caught:
            enterprise.full_clean()
        return caught.value.message_dict


def test_founded_year_in_future_rejected_in_both_languages():
    enterprise = EnterpriseFactory.build(founded_year=timezone.localdate().year + 1)
    assert errors_of(enterprise, "en")["founded_year"] == [
        "The year founded cannot be in the future."
    ]
    assert errors_of(enterprise, "fr")["founded_year"] == [
        "L’année de fondation ne peut pas être postérieure à l’année en cours."
    ]


def test_region_not_served_by_pole_rejected():
    montreal, laval = RegionFactory(code="06"), RegionFactory(code="13", name_fr="Laval")
    pole = PoleFactory(regions=[montreal])
    enterprise = EnterpriseFactory.build(pole=pole, region=laval)
    assert errors_of(enterprise, "en")["region"] == ["The chosen pole does not serve this region."]


def test_bad_neq_message_in_french():
    enterprise = EnterpriseFactory.build(neq="12AB")
    assert errors_of(enterprise, "fr")["neq"] == [
        "Un numéro d’entreprise du Québec (NEQ) compte exactement 10 chiffres."
    ]


def test_postal_code_normalised_by_clean():
    enterprise = EnterpriseFactory.build(postal_code="h2x-1y4")
    enterprise.full_clean()
    assert enterprise.postal_code == "H2X 1Y4"


def test_coordinates_outside_quebec_message():
    enterprise = EnterpriseFactory.build(latitude=43.65, longitude=-79.38)
    assert errors_of(enterprise, "en")["latitude"] == ["These coordinates are outside Québec."]


def test_set_sectors_makes_exactly_one_primary():
    enterprise = EnterpriseFactory()
    food, housing, media = SectorFactory(), SectorFactory(), SectorFactory()
    set_sectors(enterprise=enterprise, primary=food, secondary=[housing, media])
    set_sectors(enterprise=enterprise, primary=housing, secondary=[media])
    links = {link.sector: link.is_primary for link in enterprise.sector_links.all()}
    assert links == {housing: True, media: False}


def test_set_sectors_refuses_primary_among_others():
    enterprise = EnterpriseFactory()
    food = SectorFactory()
    with pytest.raises(ValidationError):
        set_sectors(enterprise=enterprise, primary=food, secondary=[food])


@pytest.mark.parametrize(
    "phone",
    [
        "٥١٤ ٥٥٥-٠١٢٣",  # Arabic-Indic digits
        "５１４ ５５５-０１２３",  # full-width digits
        "514 555-0123 poste ١٢",  # an extension in Arabic-Indic digits
    ],
)
def test_phone_with_other_than_ascii_digits_rejected_in_both_languages(phone):
    enterprise = EnterpriseFactory.build(phone=phone)
    assert errors_of(enterprise, "en")["phone"] == [
        "Enter a North American phone number, e.g. 514 555-0123 (an extension may follow)."
    ]
    assert errors_of(enterprise, "fr")["phone"] == [
        "Saisissez un numéro de téléphone nord-américain, p. ex. 514 555-0123 "
        "(un poste peut suivre)."
    ]
    assert enterprise.phone == phone


def test_phone_groups_may_be_separated_by_a_no_break_space():
    enterprise = EnterpriseFactory.build(phone="514\u00a0555-0123")
    enterprise.full_clean()
    assert enterprise.phone == "514 555-0123"


def test_a_normalised_phone_with_an_extension_is_read_again_as_itself():
    """Found by the import's round trip: '819 555-0199, 12' was refused once stored."""
    assert normalize_phone("819 555-0199 poste 12") == "819 555-0199, 12"
    assert normalize_phone("819 555-0199, 12") == "819 555-0199, 12"
