from datetime import date
from itertools import groupby

from django.db.models import F, Q, QuerySet

from entreprises.selectors import public_enterprises
from evenements.enums import EventKind
from evenements.models import Event, Organization


def timeline() -> QuerySet[Event]:
    return Event.objects.order_by(F("year").desc(nulls_last=True), "-start_date", "slug")


def _upcoming(today: date) -> Q:
    return Q(start_date__gte=today) | Q(start_date__isnull=True, year__gt=today.year)


def upcoming_events(*, today: date) -> QuerySet[Event]:
    """The agenda: events still to come, soonest first. Milestones are history only."""
    return (
        Event.objects.exclude(kind=EventKind.MILESTONE)
        .filter(_upcoming(today))
        .order_by(F("start_date").asc(nulls_last=True), "year", "slug")
    )


def history(*, today: date) -> QuerySet[Event]:
    """Everything that has taken place (or whose date no source gives), latest first."""
    return timeline().exclude(_upcoming(today) & ~Q(kind=EventKind.MILESTONE))


def calendar_events(*, organization: Organization | None = None) -> QuerySet[Event]:
    """The events a calendar can show (those with a day), of one organization when given:
    organized, partnered or attended by it."""
    events = Event.objects.filter(start_date__isnull=False)
    if organization is not None:
        events = events.filter(
            Q(organizers=organization)
            | Q(partners=organization)
            | Q(participating_organizations=organization)
        ).distinct()
    return events.order_by("start_date", "slug")


def by_year(events) -> list[tuple[int | None, list[Event]]]:
    return [(year, list(group)) for year, group in groupby(events, key=lambda e: e.year)]


def neighbours(event: Event) -> tuple[Event | None, Event | None]:
    """The events just before and just after this one in the timeline (a short table)."""
    ordered = list(timeline())
    position = next(i for i, other in enumerate(ordered) if other.pk == event.pk)
    earlier = ordered[position + 1] if position + 1 < len(ordered) else None
    later = ordered[position - 1] if position > 0 else None
    return earlier, later


def event_details(event: Event) -> dict:
    earlier, later = neighbours(event)
    return {
        "earlier": earlier,
        "later": later,
        "organizers": list(event.organizers.order_by("name")),
        "partners": list(event.partners.order_by("name")),
        "participating": list(event.participating_organizations.order_by("name")),
        # Only published enterprises are public, even as visited sites.
        "visited": list(
            public_enterprises().filter(visits=event).select_related("region").order_by("name")
        ),
    }
