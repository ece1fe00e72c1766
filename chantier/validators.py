"""Formats shared by every app: postal codes, Québec coordinates, NEQ.

Each rule is written once, as a regular expression or a range, and used both by
the database constraints (`models.py`) and by form validation.
"""

import re

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
