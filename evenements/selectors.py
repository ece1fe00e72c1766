from itertools import groupby

from django.db.models import QuerySet

from entreprises.selectors import public_enterprises
from evenements.models import Event


def timeline() -> QuerySet[Event]:
    return Event.objects.order_by("-year", "-start_date", "slug")


def by_year(events) -> list[tuple[int, list[Event]]]:
    return [(year, list(group)) for year, group in groupby(events, key=lambda e: e.year)]


def event_details(event: Event) -> dict:
    return {
        "organizers": list(event.organizers.order_by("name")),
        "partners": list(event.partners.order_by("name")),
        # Only published enterprises are public, even as visited sites.
        "visited": list(
            public_enterprises().filter(visits=event).select_related("region").order_by("name")
        ),
    }
