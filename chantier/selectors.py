"""Reads shared by the site-wide pages: published figures and live counts."""

from dataclasses import dataclass

from django.db.models import Count, Q

from chantier.models import KeyFigure
from entreprises.enums import LegalForm
from entreprises.models import Enterprise, Sector
from entreprises.selectors import (
    poles_with_counts,
    published_counts_by,
    regions_with_counts,
    sectors_with_counts,
)
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
    enterprises = Enterprise.objects.published().aggregate(
        published=Count("id"), demo=Count("id", filter=Q(is_demo=True))
    )
    return LiveCounts(
        enterprises=enterprises["published"],
        demo_enterprises=enterprises["demo"],
        poles=Pole.objects.count(),
        regions=Region.objects.count(),
        sectors=Sector.objects.count(),
        events=Event.objects.count(),
    )


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: int
    percent: float  # of the largest value, for the bar's length


@dataclass(frozen=True)
class Chart:
    key: str
    rows: list[ChartRow]

    @property
    def total(self) -> int:
        return sum(row.value for row in self.rows)


def _chart(key: str, pairs: list[tuple[str, int]]) -> Chart:
    largest = max((value for _, value in pairs), default=0) or 1
    return Chart(key, [ChartRow(label, value, 100 * value / largest) for label, value in pairs])


def statistics_charts() -> list[Chart]:
    """Live counts of published enterprises by region, pole, sector and legal form."""
    forms = published_counts_by("legal_form")
    return [
        _chart("region", [(r.name, r.published_count) for r in regions_with_counts()]),
        _chart("pole", [(p.name, p.published_count) for p in poles_with_counts()]),
        _chart("sector", [(s.name, s.published_count) for s in sectors_with_counts()]),
        _chart("legal_form", [(label, forms.get(value, 0)) for value, label in LegalForm.choices]),
    ]
