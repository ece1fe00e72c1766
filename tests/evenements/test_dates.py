from datetime import date

import pytest
from django.utils import translation

from evenements.dates import when


@pytest.mark.parametrize(
    ("start", "end", "french", "english"),
    [
        (None, None, "2012", "2012"),
        (date(2023, 4, 18), None, "18 avril 2023", "April 18, 2023"),
        (date(2011, 10, 1), date(2011, 10, 1), "1er octobre 2011", "October 1, 2011"),
        (date(2011, 10, 17), date(2011, 10, 20), "du 17 au 20 octobre 2011", "October 17–20, 2011"),
        (date(2016, 9, 30), date(2016, 10, 2), "du 30 septembre au 2 octobre 2016", "September 30 – October 2, 2016"),
        (date(2011, 12, 30), date(2012, 1, 1), "du 30 décembre 2011 au 1er janvier 2012", "December 30, 2011 – January 1, 2012"),
    ],
)  # fmt: skip
def test_dates_read_naturally_in_both_languages(start, end, french, english):
    year = start.year if start else 2012
    with translation.override("fr"):
        assert when(year=year, start=start, end=end) == french
    with translation.override("en"):
        assert when(year=year, start=start, end=end) == english


def test_unknown_year_says_so():
    with translation.override("fr"):
        assert when(year=None, start=None, end=None) == "date inconnue"
    with translation.override("en"):
        assert when(year=None, start=None, end=None) == "date unknown"
