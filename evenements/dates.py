"""When an event took place, written as people write it in each language.

French: « 17 octobre 2011 », « du 17 au 20 octobre 2011 », « du 30 septembre au
2 octobre 2011 »; English: "October 17, 2011", "October 17–20, 2011",
"September 30 – October 2, 2011". The year alone when no day is known.
"""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext


def _day(value: date) -> str:
    """The day in French: « 1er » for the first of the month."""
    return "1er" if value.day == 1 else str(value.day)


def _month(value: date) -> str:
    return date_format(value, "F")


def when(*, year: int | None, start: date | None, end: date | None) -> str:
    if start is None:
        return str(year) if year else gettext("date unknown")
    if end is None or end == start:
        return _single(start)
    if _french():
        return _french_range(start, end)
    return _english_range(start, end)


def _french() -> bool:
    return (get_language() or "fr").startswith("fr")


def _single(value: date) -> str:
    if _french():
        return f"{_day(value)} {_month(value)} {value.year}"
    return f"{_month(value)} {value.day}, {value.year}"


def _french_range(start: date, end: date) -> str:
    if (start.year, start.month) == (end.year, end.month):
        first = _day(start)
    elif start.year == end.year:
        first = f"{_day(start)} {_month(start)}"
    else:
        first = _single(start)
    return f"du {first} au {_single(end)}"


def _english_range(start: date, end: date) -> str:
    if (start.year, start.month) == (end.year, end.month):
        return f"{_month(start)} {start.day}–{end.day}, {start.year}"
    if start.year == end.year:
        return f"{_month(start)} {start.day} – {_month(end)} {end.day}, {start.year}"
    return f"{_single(start)} – {_single(end)}"
