"""Reads shared by the site-wide pages: published figures and live counts."""

from dataclasses import dataclass

from django.db.models import Count, Q

from chantier.models import KeyFigure
from entreprises.enums import Status
from entreprises.models import Enterprise, Sector
from evenements.models import Event
from poles.models import Pole, Region


@dataclass(frozen=True)
class LiveCounts:
    enterprises: int
    demo_enterprises: int
    poles: int
    regions: int
    sectors: int
    events: int


def key_figures(*, featured_only: bool = False) -> list[KeyFigure]:
    figures = KeyFigure.objects.select_related("region")
    if featured_only:
        figures = figures.filter(featured=True)
    return list(figures)


def live_counts() -> LiveCounts:
    """What the directory holds right now; published enterprises only."""
    enterprises = Enterprise.objects.aggregate(
        published=Count("id", filter=Q(status=Status.PUBLISHED)),
        demo=Count("id", filter=Q(status=Status.PUBLISHED, is_demo=True)),
    )
    return LiveCounts(
        enterprises=enterprises["published"],
        demo_enterprises=enterprises["demo"],
        poles=Pole.objects.count(),
        regions=Region.objects.count(),
        sectors=Sector.objects.count(),
        events=Event.objects.count(),
    )
