from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import EventFactory
from tests.helpers import raises_constraint

pytestmark = pytest.mark.django_db


def test_end_date_before_start_date_rejected():
    with raises_constraint("evenements_event_end_not_before_start"):
        EventFactory(year=2011, start_date=date(2011, 10, 20), end_date=date(2011, 10, 17))


def test_end_date_without_start_date_rejected():
    with raises_constraint("evenements_event_end_not_before_start"):
        EventFactory(year=2011, start_date=None, end_date=date(2011, 10, 20))


def test_start_date_outside_year_rejected():
    with raises_constraint("evenements_event_start_in_year"):
        EventFactory(year=2012, start_date=date(2011, 10, 17))


def test_one_day_event_accepted():
    event = EventFactory(year=2023, start_date=date(2023, 4, 18), end_date=date(2023, 4, 18))
    assert event.end_date == event.start_date


def test_unknown_kind_rejected():
    with raises_constraint("evenements_event_kind_valid"):
        EventFactory(kind="party")


def test_end_before_start_message_in_both_languages():
    event = EventFactory.build(
        year=2011, start_date=date(2011, 10, 20), end_date=date(2011, 10, 17)
    )
    for language, message in [
        ("en", "The end date cannot be before the start date."),
        ("fr", "La date de fin ne peut pas précéder la date de début."),
    ]:
        with translation.override(language), pytest.raises(ValidationError) as caught:
            event.full_clean()
        assert message in caught.value.messages


def test_countries_represented_names_in_page_language():
    event = EventFactory(countries=["BR", "SN"], countries_count=62)
    with translation.override("fr"):
        assert [c.name for c in event.countries] == ["Brésil", "Sénégal"]
    with translation.override("en"):
        assert [c.name for c in event.countries] == ["Brazil", "Senegal"]
