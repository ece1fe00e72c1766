"""Reads shared by the site-wide pages: published figures and live counts."""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import BooleanField as BooleanOutput
from django.db.models import Count, ExpressionWrapper, F, Q

from chantier.enums import FigureUnit
from chantier.models import KeyFigure
from common.public_cache import derived_until_change
from entreprises.enums import LegalForm, Status
from entreprises.models import (
    PREVIEW_CELL,
    PREVIEW_EAST,
    PREVIEW_NORTH,
    PREVIEW_SOUTH,
    PREVIEW_WEST,
    Enterprise,
    EnterpriseSector,
    Sector,
)
from entreprises.selectors import (
    poles_with_counts,
    public_enterprises,
    published_counts_by,
    regions_with_counts,
    sectors_with_counts,
    with_list_details,
)
from entreprises.services import fold_published_tally
from evenements.enums import EventKind
from evenements.models import Event
from evenements.selectors import history, upcoming_events
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
    return published_figures().counts


@dataclass(frozen=True)
class PublishedFigures:
    """The home page's figures, all read in one scan of the published enterprises."""

    counts: LiveCounts
    by_region: dict[int, int]
    # (column, row, enterprises) of the map preview's quarter-degree cells.
    preview_cells: list[tuple[float, float, int]]


def published_figures() -> PublishedFigures:
    """Kept per data generation, even with the page cache off: the scan reads every
    published enterprise, and the home page is the most visited."""
    return derived_until_change("published-figures", (), _published_figures)


# Sums of the tally (entreprises.models.PublishedTally): the counts. `rows` says how
# many rows were summed, for folding them when they have piled up; the grand total's row
# is read even when its sum is nought (nothing published), so that they are folded then too.
PUBLISHED_FIGURES_SQL = """
SELECT GROUPING(region_id), GROUPING(preview_column), region_id, preview_column, preview_row,
  coalesce(sum(change), 0), coalesce(sum(change) FILTER (WHERE is_demo), 0), count(*)
FROM entreprises_publishedtally
GROUP BY GROUPING SETS ((), (region_id), (preview_column, preview_row))
HAVING sum(change) <> 0 OR (GROUPING(region_id) = 1 AND GROUPING(preview_column) = 1)
"""

# Past this many rows of changes, reading folds them into one row per key.
TALLY_ROWS_KEPT = 2000


def _published_figures() -> PublishedFigures:
    total = demo = rows = 0
    by_region, cells = {}, []
    with connection.cursor() as cursor:
        cursor.execute(PUBLISHED_FIGURES_SQL)
        for no_region, no_cell, region, column, row, count, demo_count, summed in cursor:
            if no_region and no_cell:
                total, demo, rows = count, demo_count, summed
            elif not no_region:
                by_region[region] = count
            elif column is not None:
                cells.append((float(column), float(row), count))
    if rows > TALLY_ROWS_KEPT:
        fold_published_tally()
    counts = LiveCounts(
        enterprises=total,
        demo_enterprises=demo,
        poles=Pole.objects.count(),
        regions=Region.objects.count(),
        sectors=Sector.objects.count(),
        events=Event.objects.count(),
    )
    return PublishedFigures(counts=counts, by_region=by_region, preview_cells=sorted(cells))


@dataclass(frozen=True)
class HomeLists:
    """The records the home page lists beside its figures."""

    key_figures: list[KeyFigure]
    featured_sectors: list[Sector]
    regions: list[Region]
    upcoming_events: list[Event]
    latest_events: list[Event]


# How many sectors and events of each kind the home page shows.
HOME_SECTORS = 8
HOME_EVENTS = 4


def home_lists(*, today: date) -> HomeLists:
    """Kept per data generation and day, even with the page cache off, as the figures
    are: the most visited page reads them in one round trip instead of five queries and
    the records they make. Apart from the figures, which the statistics page shares."""
    return derived_until_change("home-lists", (today.isoformat(),), lambda: _home_lists(today))


def _home_lists(today: date) -> HomeLists:
    return HomeLists(
        key_figures=key_figures(featured_only=True),
        featured_sectors=list(Sector.objects.filter(parent=None)[:HOME_SECTORS]),
        regions=list(Region.objects.order_by("code")),
        upcoming_events=list(upcoming_events(today=today)[:HOME_EVENTS]),
        latest_events=list(history(today=today).exclude(kind=EventKind.MILESTONE)[:HOME_EVENTS]),
    )


def with_published_counts(regions: list[Region], figures: PublishedFigures) -> list[Region]:
    """`regions`, each with its number of published enterprises."""
    for region in regions:
        region.published_count = figures.by_region.get(region.pk, 0)
    return regions


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
    """The bars from the largest to the smallest; equal values by label."""
    largest = max((value for _, value in pairs), default=0) or 1
    ordered = sorted(pairs, key=lambda pair: (-pair[1], pair[0].casefold()))
    return Chart(key, [ChartRow(label, value, 100 * value / largest) for label, value in ordered])


def statistics_charts() -> list[Chart]:
    """Live counts of published enterprises by region, pole, sector and legal form."""
    forms = published_counts_by("legal_form")
    return [
        _chart("region", [(r.name, r.published_count) for r in _regions()]),
        _chart("pole", [(p.regional_title, p.published_count) for p in poles_with_counts()]),
        _chart("sector", [(s.name, s.published_count) for s in sectors_with_counts()]),
        _chart("legal_form", [(label, forms.get(value, 0)) for value, label in LegalForm.choices]),
    ]


@dataclass(frozen=True)
class CoverageRow:
    region: Region
    directory: int
    published: KeyFigure | None

    @property
    def share(self) -> float | None:
        """The directory's count as a percentage of the published one, where there is one."""
        if self.published is None or not self.published.value:
            return None
        return round(100 * self.directory / float(self.published.value), 1)


def coverage_by_region() -> list[CoverageRow]:
    """For each region, the directory's published enterprises beside the latest published
    count of its social economy enterprises, where a source gives one."""
    latest: dict[int, KeyFigure] = {}
    regional = KeyFigure.objects.filter(region__isnull=False, unit=FigureUnit.COUNT)
    for figure in regional.order_by("region_id", F("year").desc(nulls_last=True)):
        latest.setdefault(figure.region_id, figure)
    return [
        CoverageRow(region, region.published_count, latest.get(region.pk)) for region in _regions()
    ]


# --- The home page's map preview: where the published enterprises are, drawn without tiles.

# Southern Québec (entreprises.models.PREVIEW_*), where nearly every enterprise is; points
# outside are left off the preview. One dot per cell, sized by how many enterprises it holds.
PREVIEW_WIDTH = 460


@dataclass(frozen=True)
class PreviewDot:
    x: float
    y: float
    radius: float


def map_preview(figures: PublishedFigures) -> dict:
    """Dots on a plain projection of southern Québec, one per quarter-degree cell."""
    cells = figures.preview_cells
    # Degrees of longitude shrink with latitude: scale them at the middle of the area.
    stretch = math.cos(math.radians((PREVIEW_SOUTH + PREVIEW_NORTH) / 2))
    scale = PREVIEW_WIDTH / ((PREVIEW_EAST - PREVIEW_WEST) * stretch)
    height = round((PREVIEW_NORTH - PREVIEW_SOUTH) * scale)
    dots = [
        PreviewDot(
            x=round(((column + 0.5) * float(PREVIEW_CELL) - PREVIEW_WEST) * stretch * scale, 1),
            y=round((PREVIEW_NORTH - (row + 0.5) * float(PREVIEW_CELL)) * scale, 1),
            radius=round(min(3 + 2 * math.sqrt(count), 16), 1),
        )
        for column, row, count in cells
    ]
    return {"width": PREVIEW_WIDTH, "height": height, "dots": dots}


def pole_sectors(*, pole: Pole) -> list[tuple[Sector, int]]:
    """The sectors of a pole's published enterprises (primary sector), most common first."""
    counts = (
        EnterpriseSector.objects.filter(
            is_primary=True, enterprise__pole=pole, enterprise__status=Status.PUBLISHED
        )
        .values_list("sector")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_id = dict(counts)
    sectors = Sector.objects.filter(pk__in=by_id)
    return sorted(((s, by_id[s.pk]) for s in sectors), key=lambda pair: (-pair[1], pair[0].name))


@dataclass(frozen=True)
class PoleCounts:
    total: int  # its published enterprises
    located: int  # those the map can show


def pole_counts(*, pole: Pole) -> PoleCounts:
    counts = (
        public_enterprises()
        .filter(pole=pole)
        .aggregate(total=Count("id"), located=Count("id", filter=Q(latitude__isnull=False)))
    )
    return PoleCounts(total=counts["total"], located=counts["located"])


# Changed again within this time of its publication: an enterprise still counts as new.
PUBLISHED_WITHIN = timedelta(days=1)


def latest_changes(*, pole: Pole, limit: int = 10) -> list[Enterprise]:
    """A pole's published enterprises most recently changed, latest first, each with
    `is_new` when that change was (or came within a day of) its publication."""
    is_new = ExpressionWrapper(
        Q(updated_at__lt=F("published_at") + PUBLISHED_WITHIN), output_field=BooleanOutput()
    )
    enterprises = public_enterprises().filter(pole=pole).annotate(is_new=is_new)
    return list(with_list_details(enterprises).order_by("-updated_at", "-id")[:limit])


def _regions():
    return regions_with_counts(counts=published_figures().by_region)
