"""An enterprise's opening hours: how they are stored, checked, written and read as text.

Stored as a JSON object, one key per open weekday ("mon" ... "sun") holding its time
ranges, earliest first: `{"mon": [["09:00", "12:00"], ["13:00", "17:00"]]}`. A day
without a key is closed. `validate` is the one check of that shape (the model field's
validator); `parse` and `as_text` are the one text format of the admin's field, the
spreadsheets and the API's CSV ("lun 09:00-12:00, 13:00-17:00; mar 09:00-17:00"), so
that a file exported then imported gives back the same hours. `as_text_sql` is the same
writer in PostgreSQL, for the CSV PostgreSQL writes itself.
"""

import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The day names written in files: French first, as the portal is.
DAY_ABBREVIATIONS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
_SPELLINGS = {
    "mon": ("lun", "lundi", "mon", "monday"),
    "tue": ("mar", "mardi", "tue", "tues", "tuesday"),
    "wed": ("mer", "mercredi", "wed", "weds", "wednesday"),
    "thu": ("jeu", "jeudi", "thu", "thur", "thurs", "thursday"),
    "fri": ("ven", "vendredi", "fri", "friday"),
    "sat": ("sam", "samedi", "sat", "saturday"),
    "sun": ("dim", "dimanche", "sun", "sunday"),
}
DAY_BY_SPELLING = {spelling: day for day, spellings in _SPELLINGS.items() for spelling in spellings}
_SCHEMA_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SCHEMA_DAYS = dict(zip(DAYS, _SCHEMA_NAMES, strict=True))
# Hours are those of the enterprise's place: Québec's time (one zone for the places we list).
TIME_ZONE = ZoneInfo("America/Montreal")

_TIME = re.compile(r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$")
_CLOSED = {"ferme", "fermee", "closed"}
# "9:00", "9h", "9 h 30", "09.30"
_TYPED_TIME = re.compile(r"^([0-9]{1,2})\s*(?:[:h.]\s*([0-9]{2})?)?$")
_RANGE_DASH = re.compile(r"\s*(?:-|–|—|\bà\b|\ba\b|\bto\b)\s*")


def fold(text: str) -> str:
    """Lower case without accents: "Fermé" and "ferme" are one word."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def accepted_days() -> str:
    return ", ".join(f"{fr}/{en}" for fr, en in zip(DAY_ABBREVIATIONS, DAYS, strict=True))


def _error(message, **params) -> ValidationError:
    return ValidationError(message, code="invalid_opening_hours", params=params)


def _day_name(day: str):
    """Monday... in the language of the message (lazily)."""
    return capfirst(WEEKDAYS[DAYS.index(day)])


def validate(hours) -> None:
    """The stored shape: known days, each with ranges "HH:MM"-"HH:MM" in order, not
    overlapping, each ending after it starts (an end of "24:00" is midnight)."""
    if not isinstance(hours, dict):
        raise _error(_("Opening hours must be a set of days with their time ranges."))
    for day, ranges in hours.items():
        if day not in DAYS:
            raise _error(
                _("“%(day)s” is not a day of the week. Accepted days: %(days)s."),
                day=day,
                days=", ".join(DAYS),
            )
        if not isinstance(ranges, list) or not ranges:
            raise _error(_("%(day)s: give at least one time range."), day=_day_name(day))
        previous_end = ""
        for pair in ranges:
            if (
                not isinstance(pair, list | tuple)
                or len(pair) != 2
                or not all(isinstance(t, str) for t in pair)
                or not _TIME.match(pair[0])
                or not (_TIME.match(pair[1]) or pair[1] == "24:00")
            ):
                raise _error(
                    _("%(day)s: a time range is two times such as 09:00-17:00."), day=_day_name(day)
                )
            start, end = pair
            if end <= start:
                raise _error(
                    _(
                        "%(day)s: %(start)s-%(end)s ends before it starts. Hours past "
                        "midnight go on the next day."
                    ),
                    day=_day_name(day),
                    start=start,
                    end=end,
                )
            if start < previous_end:
                raise _error(
                    _("%(day)s: the time ranges overlap or are not in order."), day=_day_name(day)
                )
            previous_end = end


def _typed_time(text: str, *, entry: str) -> str:
    match = _TYPED_TIME.match(text.strip())
    hour = int(match.group(1)) if match else 99
    minute = int(match.group(2) or 0) if match else 99
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise _error(
            _("“%(entry)s”: “%(time)s” is not a time; write it as 9:00 or 17:30."),
            entry=entry,
            time=text.strip(),
        )
    return f"{hour:02d}:{minute:02d}"


def _typed_days(text: str, *, entry: str) -> list[str]:
    days = []
    for part in re.split(r"\s*,\s*|\s+(?:et|and)\s+", text.strip()):
        bounds = [fold(b).strip(" .") for b in re.split(r"\s*[-–—]\s*|\s+(?:au|to)\s+", part)]
        found = [DAY_BY_SPELLING.get(bound) for bound in bounds]
        if not part or None in found or len(found) > 2:
            raise _error(
                _("“%(entry)s”: “%(days)s” names no day. Accepted days: %(accepted)s."),
                entry=entry,
                days=part or text,
                accepted=accepted_days(),
            )
        first, last = DAYS.index(found[0]), DAYS.index(found[-1])
        if last < first:
            raise _error(
                _("“%(entry)s”: a span of days goes from Monday towards Sunday."), entry=entry
            )
        days += DAYS[first : last + 1]
    return days


def parse(text: str) -> dict:
    """Hours typed as text: entries separated by semicolons or lines, each one or more
    days (a span "lun-ven" or a list "sam, dim") then time ranges separated by commas,
    or "fermé"/"closed". French and English day names; raises ValidationError."""
    hours: dict[str, list] = {}
    for raw in re.split(r"[;\n]", text or ""):
        entry = raw.strip()
        if not entry:
            continue
        digit = re.search(r"[0-9]", entry)
        days_text, times_text = (
            (entry[: digit.start()], entry[digit.start() :]) if digit else (entry, "")
        )
        words = days_text.split()
        if not digit and words and fold(words[-1]).strip(".") in _CLOSED:
            days_text, times_text = " ".join(words[:-1]), None
        days = _typed_days(days_text.rstrip(" :"), entry=entry)
        ranges = []
        if times_text is None:
            pass
        elif not times_text:
            raise _error(
                _("“%(entry)s”: give the hours, such as 9:00-17:00, or write “closed”."),
                entry=entry,
            )
        else:
            for typed_range in times_text.split(","):
                bounds = _RANGE_DASH.split(typed_range.strip())
                if len(bounds) != 2:
                    raise _error(
                        _("“%(entry)s”: write each time range as 9:00-17:00."), entry=entry
                    )
                ranges.append([_typed_time(bound, entry=entry) for bound in bounds])
        for day in days:
            if day in hours:
                raise _error(_("“%(entry)s”: a day is given twice."), entry=entry)
            if ranges:
                hours[day] = ranges
            else:
                hours[day] = None
    hours = {day: hours[day] for day in DAYS if hours.get(day)}
    validate(hours)
    return hours


def as_text(hours: dict | None) -> str:
    """The one text of `hours`, read back by `parse` as the same hours."""
    return "; ".join(
        f"{label} " + ", ".join(f"{start}-{end}" for start, end in hours[day])
        for day, label in zip(DAYS, DAY_ABBREVIATIONS, strict=True)
        if (hours or {}).get(day)
    )


def as_text_sql(column: str) -> str:
    """`as_text` as a PostgreSQL expression of a jsonb column (an empty text when none).

    Each day's ranges are rewritten from the jsonb's own text, `[["09:00", "12:00"],
    ["13:00", "17:00"]]`: the comma inside a range becomes its dash, the brackets and
    quotes go. Exact because `validate` lets nothing but times into the ranges; half the
    cost of reading each range as a JSON element (a subquery per day, 8 µs a record).
    """
    # Nothing typed reaches this text: `column` and the day names are ours.
    days = ", ".join(
        f"""CASE WHEN {column} ? '{day}' THEN '{label} ' """
        f"""|| translate(replace(({column} -> '{day}')::text, '", "', '-'), '[]"', '') END"""
        for day, label in zip(DAYS, DAY_ABBREVIATIONS, strict=True)
    )
    return f"coalesce(concat_ws('; ', {days}), '')"


def weekly_table(hours: dict | None) -> list[tuple[str, list]]:
    """Each day of the week, Monday first, with its name in the current language and its
    ranges (empty: closed)."""
    return [(WEEKDAYS[n], (hours or {}).get(day, [])) for n, day in enumerate(DAYS)]


def weekday_name(at: datetime) -> str:
    """The name of the day `at` falls on in Québec, in the current language."""
    return WEEKDAYS[at.astimezone(TIME_ZONE).weekday()]


def is_open(hours: dict | None, *, at: datetime) -> bool:
    """Whether the enterprise is open at the moment `at` (aware), in Québec's time."""
    local = at.astimezone(TIME_ZONE)
    now = local.strftime("%H:%M")
    return any(start <= now < end for start, end in (hours or {}).get(DAYS[local.weekday()], []))


def schema_specification(hours: dict | None) -> list[dict]:
    """schema.org's openingHoursSpecification: one per time range, with its days."""
    days_by_range: dict[tuple[str, str], list[str]] = {}
    for day in DAYS:
        for start, end in (hours or {}).get(day, []):
            days_by_range.setdefault((start, end), []).append(SCHEMA_DAYS[day])
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": days,
            "opens": start,
            "closes": "23:59" if end == "24:00" else end,
        }
        for (start, end), days in days_by_range.items()
    ]
