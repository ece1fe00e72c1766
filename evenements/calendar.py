"""The events as an iCalendar feed (RFC 5545), for calendar programs to subscribe to.

Every event is a whole-day event (the portal knows dates, not hours): DTSTART is a
DATE and DTEND the day after the last one, exclusive as RFC 5545 says. An event
known only by its year has no day to show and is left out. UIDs are derived from
the event's id alone, so they are the same in both languages, on every host, and
after the event is renamed.
"""

import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from evenements.models import Event

PRODUCT_ID = "-//Chantier de l'économie sociale//Portail de l'économie sociale du Québec//FR"
# Calendar programs that honour them check the feed once a day.
REFRESH = timedelta(days=1)
_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://economiesociale.quebec/evenements/")


def event_uid(event: Event) -> str:
    return str(uuid.uuid5(_UID_NAMESPACE, str(event.pk)))


def events_calendar(
    events: Iterable[Event], *, name: str, source: str, url_of: Callable[[Event], str]
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("source", source, parameters={"VALUE": "URI"})
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for event in events:
        calendar.add_component(_calendar_event(event, url_of(event)))
    return calendar.to_ical()


def _calendar_event(event: Event, url: str) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", event.updated_at)
    entry.add("created", event.created_at)
    entry.add("last-modified", event.updated_at)
    entry.add("summary", event.name)
    entry.add("dtstart", event.start_date)
    entry.add("dtend", (event.end_date or event.start_date) + timedelta(days=1))
    entry.add("transp", "TRANSPARENT")
    entry.add("url", url, parameters={"VALUE": "URI"})
    entry.add("categories", [str(event.get_kind_display())])
    location = ", ".join(part for part in (event.venue, event.city, event.country.name) if part)
    if location:
        entry.add("location", location)
    entry.add("description", f"{event.description}\n\n{url}" if event.description else url)
    return entry
