"""Formats shared by every app: postal codes, Québec coordinates, NEQ, a map's box.

Each rule is written once, as a regular expression or a range, and used both by
the database constraints (`models.py`) and by form validation.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Canadian postal code, normalised as "A1A 1A1" (no D, F, I, O, Q, U; no W or Z first).
POSTAL_CODE_REGEX = r"^[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z] [0-9][ABCEGHJ-NPRSTV-Z][0-9]$"
# Québec enterprise number (numéro d'entreprise du Québec): ten digits.
NEQ_REGEX = r"^[0-9]{10}$"

# A box around Québec's territory, in WGS 84 degrees.
QUEBEC_MIN_LATITUDE = 44.99
QUEBEC_MAX_LATITUDE = 62.59
QUEBEC_MIN_LONGITUDE = -79.77
QUEBEC_MAX_LONGITUDE = -57.10

validate_postal_code = RegexValidator(
    POSTAL_CODE_REGEX,
    _("Enter a Canadian postal code in the form A1A 1A1."),
    code="invalid_postal_code",
)
validate_neq = RegexValidator(
    NEQ_REGEX,
    _("A Québec enterprise number (NEQ) has exactly 10 digits."),
    code="invalid_neq",
)


def normalize_postal_code(value: str) -> str:
    """'h2x1y4' and 'H2X-1Y4' become 'H2X 1Y4'; anything else is returned trimmed."""
    compact = re.sub(r"[\s-]", "", value or "").upper()
    if len(compact) == 6:
        return f"{compact[:3]} {compact[3:]}"
    return (value or "").strip()


def is_inside_quebec(latitude: float, longitude: float) -> bool:
    return (
        QUEBEC_MIN_LATITUDE <= latitude <= QUEBEC_MAX_LATITUDE
        and QUEBEC_MIN_LONGITUDE <= longitude <= QUEBEC_MAX_LONGITUDE
    )


# [0-9], not \d: \d also matches Arabic-Indic, full-width and other digits. \s stays
# Unicode, so a pasted no-break space still separates the groups.
PHONE_PATTERN = re.compile(
    r"^\s*(?:\+?1[\s.-]*)?\(?([0-9]{3})\)?[\s.-]*([0-9]{3})[\s.-]*([0-9]{4})"
    r"\s*(?:(?:#|x|ext\.?|poste|,)\s*([0-9]{1,6}))?\s*$",
    re.IGNORECASE,
)


def normalize_phone(value: str) -> str:
    """A North American number as '514 555-0123', with ', 123' for an extension.

    Raises ValidationError when the value is not such a number.
    """
    match = PHONE_PATTERN.match(value or "")
    if not match:
        raise ValidationError(
            _("Enter a North American phone number, e.g. 514 555-0123 (an extension may follow)."),
            code="invalid_phone",
        )
    area, exchange, line, extension = match.groups()
    number = f"{area} {exchange}-{line}"
    return f"{number}, {extension}" if extension else number


def tel_uri(phone: str) -> str:
    """A `tel:` address a phone can dial: 'tel:+15145550123', ',123' for an extension (a
    pause, which dialers understand better than RFC 3966's ';ext=')."""
    match = PHONE_PATTERN.match(phone or "")
    if not match:
        digits = re.sub(r"[^0-9+]", "", phone or "")
        return f"tel:{digits}"
    area, exchange, line, extension = match.groups()
    number = f"tel:+1{area}{exchange}{line}"
    return f"{number},{extension}" if extension else number


BBOX_MESSAGES = {
    "invalid": _(
        "Give the box as min_lon,min_lat,max_lon,max_lat: four numbers separated by commas."
    ),
    "order": _("The minimum longitude and latitude must be below the maximum ones."),
    "range": _("Longitudes go from -180 to 180 and latitudes from -90 to 90."),
}


# Four plain decimal numbers: the API's schema gives this pattern, so what it calls valid
# is what the parser reads (no exponents, no `nan`, no digits of other scripts).
_NUMBER = r" *-?[0-9]{1,3}(?:\.[0-9]{1,15})? *"
BBOX_PATTERN = re.compile(rf"{_NUMBER}(?:,{_NUMBER}){{3}}")


def parse_bbox(value: str) -> tuple[float, float, float, float] | None:
    """`min_lon,min_lat,max_lon,max_lat` in WGS 84 degrees, as GeoJSON orders them.

    None when empty; raises ValidationError (codes `invalid`, `range`, `order`).
    The map of the site and the API's `bbox` both read it here.
    """
    if not value:
        return None
    if not BBOX_PATTERN.fullmatch(value):
        raise ValidationError(BBOX_MESSAGES["invalid"], code="invalid")
    numbers = [float(part) for part in value.split(",")]
    min_lon, min_lat, max_lon, max_lat = numbers
    if not all(-180 <= lon <= 180 for lon in (min_lon, max_lon)) or not all(
        -90 <= lat <= 90 for lat in (min_lat, max_lat)
    ):
        raise ValidationError(BBOX_MESSAGES["range"], code="range")
    if min_lon > max_lon or min_lat > max_lat:
        raise ValidationError(BBOX_MESSAGES["order"], code="order")
    return min_lon, min_lat, max_lon, max_lat
