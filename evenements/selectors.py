from datetime import date
from itertools import groupby

from django.db.models import Exists, F, Func, OuterRef, Q, QuerySet, Subquery

from common.text import sort_key
from entreprises.selectors import public_enterprises
from evenements.enums import ORGANIZATION_KIND_HEADINGS, EventKind
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


# An organization's part in an event, by the name of the Event relation that holds it.
ROLES = ("organizers", "partners", "participating_organizations")


def _events_involving_outer_organization() -> QuerySet[Event]:
    """Events in which the organization of the outer query took any part, each once."""
    organization = OuterRef(OuterRef("pk"))
    takes_part = Q()
    for role in ROLES:
        links = getattr(Event, role).through.objects
        takes_part |= Q(Exists(links.filter(event=OuterRef("pk"), organization=organization)))
    return Event.objects.filter(takes_part)


def organizations_by_kind() -> list[tuple[str, str, list[Organization]]]:
    """Every organization with `event_count`, under its kind's heading (in the headings'
    order), by name in the page's language; kinds without one are left out."""
    count = (
        _events_involving_outer_organization().order_by().annotate(n=Func("pk", function="COUNT"))
    ).values("n")
    organizations = Organization.objects.annotate(event_count=Subquery(count))
    grouped: dict[str, list[Organization]] = {kind: [] for kind in ORGANIZATION_KIND_HEADINGS}
    for organization in sorted(organizations, key=lambda o: sort_key(o.name)):
        grouped.setdefault(organization.kind, []).append(organization)
    return [
        (kind, ORGANIZATION_KIND_HEADINGS.get(kind, kind), members)
        for kind, members in grouped.items()
        if members
    ]


def organization_events(organization: Organization) -> dict[str, list[Event]]:
    """The events it organized, supported as a partner, and attended, latest first."""
    return {
        "organized": list(timeline().filter(organizers=organization)),
        "partnered": list(timeline().filter(partners=organization)),
        "attended": list(timeline().filter(participating_organizations=organization)),
    }
