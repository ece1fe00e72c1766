"""schema.org descriptions of events and organizations."""

from evenements.models import Event, Organization


def event_json_ld(event: Event, *, url: str, organizers, organizer_url, visited_urls) -> dict:
    """`organizer_url(organization)` gives the absolute address of an organization's page."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": event.name,
        "description": event.description or None,
        "startDate": _start(event),
        "endDate": event.end_date.isoformat() if event.end_date else None,
        "eventStatus": "https://schema.org/EventScheduled",
        "organizer": [
            {"@type": "Organization", "name": o.name, "url": organizer_url(o)} for o in organizers
        ]
        or None,
        "maximumAttendeeCapacity": event.participants,
    }
    if event.city or event.venue:
        data["location"] = {
            "@type": "Place",
            "name": event.venue or event.city,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": event.city or None,
                "addressCountry": event.country.code or None,
            },
        }
    if visited_urls:
        data["subjectOf"] = [{"@type": "Organization", "url": u} for u in visited_urls]
    return {k: v for k, v in data.items() if v is not None}


def _start(event: Event) -> str | None:
    if event.start_date:
        return event.start_date.isoformat()
    return str(event.year) if event.year else None


def organization_json_ld(organization: Organization, *, url: str) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": url,
        "url": url,
        "name": organization.name,
        "alternateName": organization.acronym or None,
        "description": organization.description or None,
        "foundingDate": str(organization.founded_year) if organization.founded_year else None,
        "sameAs": organization.website or None,
    }
    if organization.country:
        data["address"] = {"@type": "PostalAddress", "addressCountry": organization.country.code}
    return {k: v for k, v in data.items() if v is not None}
