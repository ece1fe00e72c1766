"""What the enterprise page's contact card links to: a phone number to tap, directions to
the address, the opening hours of today's week and whether it is open now."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from common.validators import PHONE_PATTERN
from entreprises import opening_hours, social_links
from entreprises.enums import Customer, StepFreeAccess
from entreprises.models import Enterprise

# A documented, stable address that opens directions in a browser or a phone's map app.
DIRECTIONS_URL = "https://www.google.com/maps/dir/"


def phone_uri(phone: str) -> str:
    """The RFC 3966 `tel:` address of a North American number (E.164, with its extension);
    empty when the text is no such number."""
    match = PHONE_PATTERN.match(phone or "")
    if not match:
        return ""
    area, exchange, line, extension = match.groups()
    uri = f"tel:+1{area}{exchange}{line}"
    return f"{uri};ext={extension}" if extension else uri


def postal_address(enterprise: Enterprise) -> str:
    """The address on one line, as a map service reads it."""
    parts = [enterprise.street_address, enterprise.city, f"QC {enterprise.postal_code}".strip()]
    return ", ".join(part for part in parts if part) + ", Canada"


def directions_url(enterprise: Enterprise) -> str:
    """Directions to the enterprise: to its address, or its point when it has no street."""
    if enterprise.street_address and enterprise.city:
        destination = postal_address(enterprise)
    elif enterprise.latitude is not None:
        destination = f"{enterprise.latitude},{enterprise.longitude}"
    else:
        return ""
    return DIRECTIONS_URL + "?" + urlencode({"api": "1", "destination": destination})


@dataclass
class ContactCard:
    phone_uri: str
    directions_url: str
    social_links: list[tuple[str, str]]
    hours: list[tuple[str, list]]
    today: str  # the name of today in Québec, to mark its line of the hours
    open_now: bool | None
    customers: list[str]
    step_free_access: str


def contact_card(enterprise: Enterprise, *, now: datetime) -> ContactCard:
    known = bool(enterprise.opening_hours)
    labels = dict(Customer.choices)
    return ContactCard(
        phone_uri=phone_uri(enterprise.phone),
        directions_url=directions_url(enterprise),
        social_links=social_links.social_links(enterprise),
        hours=opening_hours.weekly_table(enterprise.opening_hours) if known else [],
        today=opening_hours.weekday_name(now),
        open_now=opening_hours.is_open(enterprise.opening_hours, at=now) if known else None,
        customers=[str(labels[c]) for c in enterprise.sells_to or [] if c in labels],
        step_free_access=(
            ""
            if enterprise.step_free_access == StepFreeAccess.UNKNOWN
            else enterprise.get_step_free_access_display()
        ),
    )
