"""schema.org descriptions of events."""

from evenements.models import Event


def event_json_ld(event: Event, *, url: str, organizers, visited_urls) -> dict:
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
        "organizer": [{"@type": "Organization", "name": o.name} for o in organizers] or None,
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
