"""Reads of enterprises and sectors: the public site, the API, the admin and the pole pages.

Every read rule of the app in one module, as the rest of the code expects to find
them (visibility, the directory's search, facets and "did you mean" suggestions, the
map, the counts, the tombstones of a sync): over 350 lines because the facet counts,
the suggestions and the tombstones each need a page of their own. The directory's
reads are the first candidate to move to a module of their own when it grows again.
"""

import heapq
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from itertools import islice
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections, router, transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Floor
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from common import tombstones
from common.pagination import PAGE_SIZE
from common.public_cache import derived_for, derived_until_change
from common.tombstones import Tombstone
from common.validators import (
    QUEBEC_MAX_LATITUDE,
    QUEBEC_MAX_LONGITUDE,
    QUEBEC_MIN_LATITUDE,
    QUEBEC_MIN_LONGITUDE,
)
from entreprises.enums import LegalForm, Status
from entreprises.models import (
    Enterprise,
    EnterpriseSector,
    EnterpriseTombstone,
    SearchEntry,
    Sector,
    english_missing_condition,
    in_language,
)
from entreprises.nearby import DEFAULT_RADIUS_KM, Place, within
from entreprises.search import (
    build_query,
    closeness,
    corrected_words,
    query_words,
    rank_expression,
    vocabulary_words,
)
from poles.models import Pole, Region
from poles.selectors import is_national_team, poles_of


class DirectorySort:
    """The directory's orders; relevance only means something when searching."""

    RELEVANCE = "relevance"
    NAME = "name"
    UPDATED = "updated"
    NEAREST = "nearest"


@dataclass(frozen=True)
class DirectoryFilters:
    """One state of the directory: a search, any values of each facet, an area, a place, an order.

    Values of one facet combine with OR, facets with AND. `bbox` (min_lon, min_lat,
    max_lon, max_lat) keeps the enterprises inside an area of the map ("search this
    area"), `located` those with coordinates (all the map can show, so its facets count
    what it shows). `near` keeps those within `radius_km` of it; `place_unknown` says
    a place was asked for that could not be read, so nothing matches (rather than
    everything). An empty `sort` means the default: nearest first near a place, else
    relevance when searching, else the name.
    """

    q: str = ""
    sector: tuple[Sector, ...] = ()
    pole: tuple[Pole, ...] = ()
    region: tuple[Region, ...] = ()
    legal_form: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None
    located: bool = False
    sort: str = ""
    near: Place | None = None
    radius_km: int = DEFAULT_RADIUS_KM
    place_unknown: bool = False

    @property
    def default_sort(self) -> str:
        if self.near:
            return DirectorySort.NEAREST
        return DirectorySort.RELEVANCE if self.q else DirectorySort.NAME

    @property
    def effective_sort(self) -> str:
        if (self.sort == DirectorySort.RELEVANCE and not self.q) or (
            self.sort == DirectorySort.NEAREST and not self.near
        ):
            return self.default_sort
        return self.sort or self.default_sort

    @property
    def place_state(self) -> tuple:
        """What of the place changes the results (a key for cached counts)."""
        if self.place_unknown:
            return ("unknown",)
        return (self.near.key, self.radius_km) if self.near else ()

    @property
    def results_state(self) -> tuple:
        """What decides which enterprises match, whatever the order (a key for data
        derived from them): equal for states with the same results."""
        return (
            tuple(query_words(self.q)),
            tuple(sorted(s.pk for s in self.sector)),
            tuple(sorted(p.pk for p in self.pole)),
            tuple(sorted(r.pk for r in self.region)),
            tuple(sorted(self.legal_form)),
            self.bbox,
            self.located,
            self.place_state,
        )


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facets:
    total: int = 0
    sector: list[FacetOption] = field(default_factory=list)
    pole: list[FacetOption] = field(default_factory=list)
    region: list[FacetOption] = field(default_factory=list)
    legal_form: list[FacetOption] = field(default_factory=list)


def public_enterprises() -> QuerySet[Enterprise]:
    """Every enterprise the public may see: published ones only."""
    return Enterprise.objects.published()


def territory_bounds(*, user) -> tuple[float, float, float, float]:
    """Where `user` places records, as (south, west, north, east): around the located
    enterprises of their poles; all of Québec for the national team, or when none is."""
    quebec = (QUEBEC_MIN_LATITUDE, QUEBEC_MIN_LONGITUDE, QUEBEC_MAX_LATITUDE, QUEBEC_MAX_LONGITUDE)
    if is_national_team(user=user):
        return quebec
    box = enterprises_visible_to(user=user).aggregate(
        south=Min("latitude"), west=Min("longitude"), north=Max("latitude"), east=Max("longitude")
    )
    if box["south"] is None:
        return quebec
    return tuple(float(box[side]) for side in ("south", "west", "north", "east"))


def enterprises_visible_to(*, user) -> QuerySet[Enterprise]:
    """Every enterprise `user` may see and change, whatever its status.

    The one pole-scoping rule: the admin, the API and every export call it. The
    national team sees everything, pole staff the enterprises of their own
    poles, anyone else nothing.
    """
    if is_national_team(user=user):
        return Enterprise.objects.all()
    if not (user.is_active and user.is_staff):
        return Enterprise.objects.none()
    return Enterprise.objects.filter(pole__in=poles_of(user=user))


def api_enterprises(*, user, status: str | None = Status.PUBLISHED) -> QuerySet[Enterprise]:
    """What the partner API shows `user`: its one visibility rule.

    Everyone reads published enterprises (the default). Drafts and archives are
    for staff, within `enterprises_visible_to`; asking for them without being staff
    raises PermissionDenied. `status=None` is a detail's rule: every enterprise
    `user` may read, published or their own.
    """
    published = Enterprise.objects.filter(status=Status.PUBLISHED)
    if status == Status.PUBLISHED:
        return published
    if status is None:
        if not user.is_authenticated:
            return published
        return published | enterprises_visible_to(user=user)
    if not user.is_staff:
        raise PermissionDenied(
            _("Only published enterprises are public; drafts and archives are for pole staff.")
        )
    return enterprises_visible_to(user=user).filter(status=status)


def can_manage_enterprise(*, user, enterprise_id) -> bool:
    """Whether `user` may see and change this enterprise (the rule above, for one record)."""
    return enterprises_visible_to(user=user).filter(pk=enterprise_id).exists()


def may_preview_enterprise(*, user, enterprise: Enterprise) -> bool:
    """Whether `user` may see this unpublished enterprise on its public page: staff who may
    change it in the admin."""
    return (
        user.is_authenticated
        and user.has_perm("entreprises.change_enterprise")
        and can_manage_enterprise(user=user, enterprise_id=enterprise.pk)
    )


def english_missing() -> Q:
    """An enterprise whose English name, or the English of a text written in French, is empty."""
    return english_missing_condition()


def with_english_missing(enterprises: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """Adds `lacks_english`, true or false (never unknown, whatever the empty columns hold)."""
    return enterprises.alias(lacks_english=Case(When(english_missing(), then=True), default=False))


def english_missing_by_pole(*, user) -> list[Pole]:
    """The poles `user` works for, each with `missing_english`: enterprises lacking English."""
    counts = dict(
        enterprises_visible_to(user=user)
        .exclude(status=Status.ARCHIVED)
        .filter(english_missing())
        .values_list("pole")
        .annotate(n=Count("id"))
        .order_by()
    )
    poles = list(poles_of(user=user).order_by("name"))
    for pole in poles:
        pole.missing_english = counts.get(pole.pk, 0)
    return poles


def possible_duplicates(*, name: str, city: str, exclude_id=None) -> QuerySet[Enterprise]:
    """Other enterprises with the same French name in the same city, in any pole."""
    if not name or not city:
        return Enterprise.objects.none()
    duplicates = Enterprise.objects.filter(name_fr__iexact=name.strip(), city__iexact=city.strip())
    return duplicates.exclude(pk=exclude_id) if exclude_id else duplicates


def admin_search(enterprises: QuerySet[Enterprise], *, term: str) -> QuerySet[Enterprise]:
    """The admin's search box: a NEQ exactly, else the site's full-text search."""
    term = term.strip()
    if term.isdigit() and len(term) == 10:
        return enterprises.filter(neq=term)
    query = build_query(term)
    return enterprises if query is None else enterprises.filter(search_vector=query)


def with_list_details(enterprises: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """What a list of enterprises shows, in a constant number of queries."""
    return enterprises.select_related("pole", "region").prefetch_related(
        Prefetch(
            "sector_links",
            queryset=EnterpriseSector.objects.filter(is_primary=True).select_related("sector"),
            to_attr="primary_links",
        )
    )


def with_card_details(enterprises: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """What a card of a list of enterprises shows (includes/enterprise_list.html), in one
    query: the few columns it shows, and the names of its primary sector (`sector_name`)
    and region (`region_name`) in the page's language, read with the rows."""
    language = get_language() or settings.LANGUAGE_CODE
    primary = EnterpriseSector.objects.filter(enterprise=OuterRef("pk"), is_primary=True)
    # (values_list: modeltranslation's values() of a translated model reads every column.)
    region = Region.objects.filter(pk=OuterRef("region_id")).order_by()
    # Subqueries rather than joins: a count of the same rows then reads none of them.
    return enterprises.only("slug", "name", "legal_form", "city", "is_demo").annotate(
        sector_name=Subquery(primary.values(shown=in_language("sector__name", language))[:1]),
        region_name=Subquery(region.values_list(in_language("name", language))),
    )


def newly_published(
    *, pole: Pole | None = None, sector: Sector | None = None, limit: int = 50
) -> QuerySet[Enterprise]:
    """The latest enterprises to enter the public directory, of one pole or sector when
    given: the feed of new enterprises."""
    enterprises = public_enterprises()
    if pole is not None:
        enterprises = enterprises.filter(pole=pole)
    if sector is not None:
        enterprises = enterprises.filter(in_sectors([sector]))
    return with_list_details(enterprises.order_by("-published_at", "-id"))[:limit]


def in_sectors(sectors) -> Q:
    """An enterprise linked to any of `sectors` (one row each, however many match).

    Read from the enterprise's own `sector_ids` (GIN-indexed), not from a join.
    """
    return Q(sector_ids__overlap=[sector.pk for sector in sectors])


def _filtered(filters: DirectoryFilters, *, rows: QuerySet | None = None) -> QuerySet:
    """The enterprises of a state of the directory; or, given `rows` (the search's narrow
    rows, which hold every column filtered here), those rows."""
    enterprises = public_enterprises() if rows is None else rows
    if filters.place_unknown:
        return enterprises.none()
    if filters.near:
        enterprises = within(enterprises, place=filters.near, radius_km=filters.radius_km)
    query = build_query(filters.q)
    if query is not None:
        enterprises = enterprises.filter(search_vector=query)
    if filters.located:
        enterprises = enterprises.exclude(latitude=None)
    if filters.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = filters.bbox
        enterprises = enterprises.filter(
            longitude__gte=min_lon,
            longitude__lte=max_lon,
            latitude__gte=min_lat,
            latitude__lte=max_lat,
        )
    if filters.sector:
        enterprises = enterprises.filter(in_sectors(filters.sector))
    if filters.pole:
        enterprises = enterprises.filter(pole__in=filters.pole)
    if filters.region:
        enterprises = enterprises.filter(region__in=filters.region)
    if filters.legal_form:
        enterprises = enterprises.filter(legal_form__in=filters.legal_form)
    return enterprises


def search_enterprises(*, filters: DirectoryFilters) -> QuerySet[Enterprise]:
    """The directory in the order asked: nearest, best matches, name, or latest change first.

    Near a place, each enterprise has `distance_km`.
    """
    return with_card_details(_ordered(_filtered(filters), filters))


def search_page_ids(*, filters: DirectoryFilters) -> "SearchIds | None":
    """The ids of `search_enterprises(filters=filters)`, in its order, a page at a time:
    a page of a search ranks and sorts its matches in the narrow search rows
    (models.SearchEntry), then reads the wide rows of that page only. None when there is
    no search, or for the latest change first (a column those rows do not hold)."""
    if build_query(filters.q) is None or filters.effective_sort == DirectorySort.UPDATED:
        return None
    return SearchIds(filters)


# A search's first pages are kept in order per search state, order, language and data
# generation, as its facet counts are: ranking reads every match (23,299 of one word at
# 300,000 enterprises), a cost that grows with the directory, paid once per change.
KEPT_SEARCH_IDS = 5 * PAGE_SIZE


@dataclass(frozen=True)
class SearchIds:
    filters: DirectoryFilters

    def __getitem__(self, page: slice) -> list[int]:
        if page.stop is None or page.stop > KEPT_SEARCH_IDS:
            return self.ranked(page)
        filters = self.filters
        language = get_language() or settings.LANGUAGE_CODE
        key = (filters.results_state, filters.effective_sort, language)
        kept = derived_until_change(
            "search-ids", key, lambda: self.ranked(slice(0, KEPT_SEARCH_IDS))
        )
        return kept[page]

    def ranked(self, page: slice) -> list[int]:
        rows = _filtered(self.filters, rows=SearchEntry.objects.all())
        with through_the_search_index():
            return list(_ordered(rows, self.filters).values_list("pk", flat=True)[page])


@contextmanager
def through_the_search_index():
    """Reads of the narrow search rows by their index, one process at a time.

    Their search vectors lie out of the rows; past about a tenth of the rows matching,
    the planner preferred reading every row and checking its vector, without counting
    the reads of the vectors: at 300,000 enterprises, two common words took 620 ms
    (1.1 million pages) instead of 25 ms through the index. And on two cores shared by
    many requests, parallel workers only add their start-up to each. Gives the alias of
    the database it reads, for a raw cursor inside it.
    """
    # On the database the router reads SearchEntry from (the replica for an anonymous
    # request): a block on the primary would send every read inside it to the primary.
    using = router.db_for_read(SearchEntry)
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0"
        )
        yield using
        # Within a longer transaction, as far as this block only. After an error, the
        # rollback of the block's savepoint undoes the SET LOCAL, and a RESET would only
        # hide the error (a cancelled statement, the 503 page) behind an aborted one.
        cursor.execute("RESET enable_seqscan; RESET max_parallel_workers_per_gather")


def _ordered(rows: QuerySet, filters: DirectoryFilters) -> QuerySet:
    sort = filters.effective_sort
    # A query of punctuation only has no words to rank by: by name then.
    rank = rank_expression(filters.q) if sort == DirectorySort.RELEVANCE else None
    if sort == DirectorySort.NEAREST:
        return rows.order_by("distance_km", "name", "pk")
    if rank is not None:
        # A row whose rank vector is not written yet (NULL) comes last, not first.
        return rows.annotate(rank=rank).order_by(F("rank").desc(nulls_last=True), "name", "pk")
    if sort == DirectorySort.UPDATED:
        return rows.order_by("-updated_at", "name", "pk")
    return rows.order_by("name", "pk")


# -- when a search finds nothing ------------------------------------------------

MAX_SUGGESTED_SECTORS = 3
MIN_SECTOR_CLOSENESS = 75


@dataclass
class SearchSuggestions:
    """What to offer instead of an empty result: a better spelling, near sectors."""

    query: str = ""
    sectors: list[Sector] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.query or self.sectors)

    @property
    def query_string(self) -> str:
        return urlencode({"q": self.query})


def search_suggestions(*, q: str) -> SearchSuggestions:
    """The closest search that finds something, and the sectors nearest the words."""
    words = query_words(q)
    if not words:
        return SearchSuggestions()
    vocabulary = derived_for(
        "search-vocabulary",
        seconds=settings.SEARCH_VOCABULARY_SECONDS,
        compute=_search_vocabulary,
        meanwhile=[],
    )
    better = corrected_words(words, vocabulary)
    query = ""
    if better != words:
        with through_the_search_index():
            if SearchEntry.objects.filter(search_vector=build_query(" ".join(better))).exists():
                query = " ".join(better)
    scored = []
    for sector in Sector.objects.all():
        phrases = [sector.name_fr, sector.name_en or ""]
        for synonyms in (sector.synonyms_fr or "", sector.synonyms_en or ""):
            phrases += synonyms.split(",")
        score = closeness(words, phrases)
        if score >= MIN_SECTOR_CLOSENESS:
            scored.append((-score, sector.position, sector.slug, sector))
    sectors = [row[-1] for row in sorted(scored, key=lambda row: row[:3])[:MAX_SUGGESTED_SECTORS]]
    return SearchSuggestions(query=query, sectors=sectors)


def _search_vocabulary() -> list[str]:
    """Every word of the published enterprises' search vectors, most frequent first.

    Read from the narrow search rows (the published enterprises', kept by the database)
    by `ts_stat`, which counts the words as it reads the vectors: at 100,000 enterprises
    2.2 s where unnesting the enterprises' vectors and grouping them took 4.2 s. Still a
    read of every vector, hence kept for SEARCH_VOCABULARY_SECONDS, not per change.
    """
    with connections[router.db_for_read(SearchEntry)].cursor() as cursor:
        cursor.execute(
            "SELECT word FROM ts_stat('SELECT search_vector FROM entreprises_searchentry')"
            " ORDER BY ndoc DESC, word"
        )
        return vocabulary_words([row[0] for row in cursor.fetchall()])


FACETS_SQL = """
WITH base AS MATERIALIZED ({base}),
flagged AS NOT MATERIALIZED (
  SELECT pole_id, region_id, legal_form, sector_ids,
    {pole_ok} AS pole_ok, {region_ok} AS region_ok,
    {legal_form_ok} AS legal_form_ok, {sector_ok} AS sector_ok
  FROM base
)
SELECT
  CASE WHEN GROUPING(pole_id) = 0 THEN 'pole' WHEN GROUPING(region_id) = 0 THEN 'region'
    WHEN GROUPING(legal_form) = 0 THEN 'legal_form' ELSE 'total' END,
  CASE WHEN GROUPING(pole_id) = 0 THEN pole_id::text WHEN GROUPING(region_id) = 0
    THEN region_id::text WHEN GROUPING(legal_form) = 0 THEN legal_form ELSE '' END,
  CASE
    WHEN GROUPING(pole_id) = 0
      THEN count(*) FILTER (WHERE region_ok AND legal_form_ok AND sector_ok)
    WHEN GROUPING(region_id) = 0
      THEN count(*) FILTER (WHERE pole_ok AND legal_form_ok AND sector_ok)
    WHEN GROUPING(legal_form) = 0
      THEN count(*) FILTER (WHERE pole_ok AND region_ok AND sector_ok)
    ELSE count(*) FILTER (WHERE pole_ok AND region_ok AND legal_form_ok AND sector_ok)
  END
  FROM flagged GROUP BY GROUPING SETS ((pole_id), (region_id), (legal_form), ())
UNION ALL
SELECT 'sector', sector_id::text, count(*)
  FROM flagged, unnest(sector_ids) AS sector_id
  WHERE pole_ok AND region_ok AND legal_form_ok
  GROUP BY sector_id
"""


def facet_counts(*, filters: DirectoryFilters) -> Facets:
    """Counts per facet value under the current search and the other facets.

    A facet's own selection is left out of its counts, so every choice shows
    how many results it would give. The search runs once, in one query, whatever
    the facets; its `total` is the number of results under every filter.
    """
    # One scan of the directory per search state and data generation, shared by every
    # page and order of that state (and the map), even with the page cache off: each
    # scan reads every matching enterprise, all 100,000 for the directory's first page.
    if filters.place_unknown:
        counts = {"total": {}, "sector": {}, "pole": {}, "region": {}, "legal_form": {}}
    else:
        counts = derived_until_change("facets", filters.results_state, lambda: _facet_rows(filters))
    values = derived_until_change("facet-values", (), _facet_values)
    values = values.get(get_language(), values[settings.LANGUAGE_CODE])
    chosen = {
        "sector": {s.pk for s in filters.sector},
        "pole": {p.pk for p in filters.pole},
        "region": {r.pk for r in filters.region},
    }
    options = {
        name: [
            FacetOption(value, label, counts[name].get(str(pk), 0), pk in chosen[name])
            for pk, value, label in values[name]
        ]
        for name in ("sector", "pole", "region")
    }
    return Facets(
        total=counts["total"].get("", 0),
        **options,
        legal_form=[
            FacetOption(v, str(label), counts["legal_form"].get(v, 0), v in filters.legal_form)
            for v, label in LegalForm.choices
        ],
    )


def _facet_values() -> dict[str, dict[str, list[tuple[int, str, str]]]]:
    """The sectors, poles and regions the facets offer, in their order, as (id, value,
    label) in each language: read once per data generation, so a renamed sector shows at
    once and an unchanged directory costs no query for them."""
    values = {}
    for language, _name in settings.LANGUAGES:
        with override(language):
            values[language] = {
                "sector": [(s.pk, s.slug, s.name) for s in Sector.objects.all()],
                "pole": [(p.pk, p.slug, p.name) for p in Pole.objects.order_by("name")],
                "region": [(r.pk, r.code, r.name) for r in Region.objects.all()],
            }
    return values


def _facet_rows(filters: DirectoryFilters) -> dict[str, dict[str, int]]:
    # A search counts its matches in its narrow rows (models.SearchEntry), which hold
    # every column read here; the whole directory reads its covering index instead.
    rows = SearchEntry.objects.all() if build_query(filters.q) is not None else None
    base = (
        _filtered(
            DirectoryFilters(
                q=filters.q,
                bbox=filters.bbox,
                located=filters.located,
                near=filters.near,
                radius_km=filters.radius_km,
            ),
            rows=rows,
        )
        .order_by()
        .values("pole_id", "region_id", "legal_form", "sector_ids")
    )
    base_sql, params = base.query.sql_with_params()
    params = list(params)
    flags = {}
    # One array parameter per facet, however many values are chosen: the SQL keeps its shape.
    for name, column, values in (
        ("pole_ok", "pole_id", [p.pk for p in filters.pole]),
        ("region_ok", "region_id", [r.pk for r in filters.region]),
        ("legal_form_ok", "legal_form", list(filters.legal_form)),
    ):
        flags[name] = f"{column} = ANY(%s)" if values else "true"
        if values:
            params.append(values)
    flags["sector_ok"] = "true"
    if filters.sector:
        flags["sector_ok"] = "sector_ids && %s::bigint[]"
        params.append([s.pk for s in filters.sector])
    counts: dict[str, dict[str, int]] = {
        "total": {},
        "sector": {},
        "pole": {},
        "region": {},
        "legal_form": {},
    }
    # Where the page's own rows are read (the replica for an anonymous visitor).
    reading = (
        through_the_search_index()
        if rows is not None
        else nullcontext(router.db_for_read(Enterprise))
    )
    with reading as using, connections[using].cursor() as cursor:
        cursor.execute(FACETS_SQL.format(base=base_sql, **flags), params)
        for facet, value, count in cursor.fetchall():
            counts[facet][value] = count
    return counts


def sectors_with_counts() -> list[Sector]:
    """Every sector with its number of published enterprises."""
    counts = dict(
        EnterpriseSector.objects.filter(enterprise__status=Status.PUBLISHED)
        .values_list("sector")
        .annotate(n=Count("id"))
        .order_by()
    )
    sectors = list(Sector.objects.select_related("parent"))
    for sector in sectors:
        sector.published_count = counts.get(sector.pk, 0)
    return sectors


# An enterprise's sectors, wherever they are listed: the primary one, then the sectors' order.
SECTOR_LINK_ORDER = ("-is_primary", "sector__position", "sector__slug")


def primary_sector(enterprise: Enterprise) -> Sector | None:
    links = getattr(enterprise, "primary_links", None)
    if links is None:
        links = [link for link in enterprise.sector_links.all() if link.is_primary]
    return links[0].sector if links else None


@dataclass(frozen=True)
class MapCluster:
    longitude: float
    latitude: float
    count: int


def located_enterprises(*, filters: DirectoryFilters) -> QuerySet[Enterprise]:
    """The directory's results that have coordinates (inside its `bbox` when it has one)."""
    return _filtered(replace(filters, located=True)).order_by()


@dataclass(frozen=True)
class MapGrid:
    """A search's clusters at one cell size, and the cells they are in."""

    clusters: list[MapCluster]
    cell: Decimal
    # (min x, min y, max x, max y) of the cells, in cells; None when nothing is located.
    cells: tuple[int, int, int, int] | None

    def within(self, bbox: tuple[float, float, float, float]) -> bool:
        """Whether `bbox` holds every cell, so every enterprise grouped here."""
        if self.cells is None:
            return True
        min_x, min_y, max_x, max_y = self.cells
        min_lon, min_lat, max_lon, max_lat = bbox
        return (
            min_lon <= min_x * self.cell
            and min_lat <= min_y * self.cell
            and (max_x + 1) * self.cell <= max_lon
            and (max_y + 1) * self.cell <= max_lat
        )


def map_clusters(*, filters: DirectoryFilters, cell: float) -> list[MapCluster]:
    """The located results grouped in square cells of `cell` degrees, each at its
    members' centre.

    Grouping reads every matching enterprise (all 100,000 for the whole directory's
    map), so the clusters of a search are kept per cell size until a public record
    changes, even with the page cache off, as its facet counts are; they hold no text,
    so both languages share them. A view box that holds every cell of them (the map's
    first view, fitted to the results) gets those; a narrower one has its own made for
    each request: a box is one visitor's, and kept, it would fill the shared cache.
    """
    search = replace(filters, located=True, bbox=None)
    # Kept pickled: a change to MapGrid's fields renames the key.
    grid = derived_until_change(
        "map-grid",
        (search.results_state, cell),
        lambda: _map_grid(search, cell),
    )
    if filters.bbox is None or grid.within(filters.bbox):
        return grid.clusters
    return _map_grid(replace(filters, located=True), cell).clusters


def _map_grid(filters: DirectoryFilters, cell: float) -> MapGrid:
    size = Decimal(str(cell))
    rows = (
        located_enterprises(filters=filters)
        .annotate(
            cell_x=Floor(F("longitude") / Value(size)),
            cell_y=Floor(F("latitude") / Value(size)),
        )
        .values("cell_x", "cell_y")
        .annotate(count=Count("*"), mean_lon=Avg("longitude"), mean_lat=Avg("latitude"))
        # Grouped by hashing, not sorted: sorting every point for a few cells spilled to
        # disk at 100,000 enterprises. The cells are put in order here.
        .order_by()
    )
    rows = sorted(rows, key=lambda r: (r["cell_x"], r["cell_y"]))
    xs, ys = [int(r["cell_x"]) for r in rows], [int(r["cell_y"]) for r in rows]
    return MapGrid(
        clusters=[
            MapCluster(round(float(r["mean_lon"]), 5), round(float(r["mean_lat"]), 5), r["count"])
            for r in rows
        ],
        cell=size,
        cells=(min(xs), min(ys), max(xs), max(ys)) if rows else None,
    )


def published_counts_by(field_name: str) -> dict:
    """Published enterprises per value of `field_name`, read from the covering index."""
    return dict(
        Enterprise.objects.published().values_list(field_name).annotate(n=Count("id")).order_by()
    )


def poles_with_counts() -> list[Pole]:
    """Every pole with its regions and its number of published enterprises."""
    counts = published_counts_by("pole")
    poles = list(Pole.objects.prefetch_related("regions").order_by("name"))
    for pole in poles:
        pole.published_count = counts.get(pole.pk, 0)
    return poles


def regions_with_counts(*, counts: dict | None = None) -> list[Region]:
    """Every region with its number of published enterprises (`counts` when known)."""
    if counts is None:
        counts = published_counts_by("region")
    regions = list(Region.objects.order_by("code"))
    for region in regions:
        region.published_count = counts.get(region.pk, 0)
    return regions


# --- Tombstones: what a partner's copy of the directory must remove ----------------


def _was_published():
    """Whether the enterprise's history shows it published once: only those leave a trace.

    A draft that was never public gets no tombstone (its slug would tell of it).
    """
    return Exists(
        Enterprise.history.filter(id=OuterRef("pk"), status=Status.PUBLISHED).values("pk")
    )


def _left(*, since: datetime, kept: QuerySet | None):
    """Enterprises changed after `since` that left the public set, or the sync's filters.

    `kept` is the published enterprises the sync's filters keep (None: no filter), so
    that one moved out of a partner's filter (another region, sector...) is removed
    from its copy too.
    """
    gone = Q(status=Status.ARCHIVED) | Q(Q(status=Status.DRAFT), _was_published())
    if kept is not None:
        gone |= Q(status=Status.PUBLISHED) & ~Q(pk__in=kept.order_by().values("pk"))
    return (
        Enterprise.objects.filter(gone, updated_at__gt=since)
        .annotate(
            reason=Case(
                When(status=Status.ARCHIVED, then=Value(tombstones.ARCHIVED)),
                When(status=Status.DRAFT, then=Value(tombstones.UNPUBLISHED)),
                default=Value(tombstones.OUT_OF_FILTER),
            )
        )
        .values_list("id", "slug", "reason", "updated_at", "status")
    )


def tombstones_since(
    *,
    since: datetime,
    after: tuple[datetime, int] | None = None,
    limit: int | None = None,
    kept: QuerySet | None = None,
) -> Iterator[Tombstone]:
    """Enterprises that left the public set (or the filters `kept`) after `since`.

    By (updated_at, id), starting after the position `after`, at most `limit` of
    them; without a limit they are read in chunks, so a whole sync streams in flat
    memory.
    """
    left = _left(since=since, kept=kept)
    deleted = EnterpriseTombstone.objects.filter(deleted_at__gt=since)
    if after is not None:
        moment, pk = after
        left = left.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, id__gt=pk))
        deleted = deleted.filter(
            Q(deleted_at__gt=moment) | Q(deleted_at=moment, enterprise_id__gt=pk)
        )
    left = left.order_by("updated_at", "id")
    deleted = deleted.order_by("deleted_at", "enterprise_id").values_list(
        "enterprise_id", "slug", "deleted_at"
    )
    if limit is None:
        left, deleted = left.iterator(chunk_size=2000), deleted.iterator(chunk_size=2000)
    else:
        left, deleted = left[:limit], deleted[:limit]
    merged = heapq.merge(
        (Tombstone(*row) for row in left),
        (Tombstone(pk, slug, tombstones.DELETED, moment) for pk, slug, moment in deleted),
        key=lambda tombstone: tombstone.position,
    )
    return merged if limit is None else islice(merged, limit)


def tombstones_summary(
    *, since: datetime, kept: QuerySet | None = None
) -> tuple[int, datetime | None]:
    """How many tombstones `tombstones_since` gives, and the latest one's time."""
    left = _left(since=since, kept=kept).aggregate(n=Count("id"), last=Max("updated_at"))
    deleted = EnterpriseTombstone.objects.filter(deleted_at__gt=since).aggregate(
        n=Count("id"), last=Max("deleted_at")
    )
    last = max(filter(None, [left["last"], deleted["last"]]), default=None)
    return left["n"] + deleted["n"], last


def tombstone_of(*, slug: str) -> Tombstone | None:
    """The tombstone of the enterprise that had `slug`: archived or unpublished, else deleted."""
    row = _left(since=datetime.min.replace(tzinfo=UTC), kept=None).filter(slug=slug).first()
    if row:
        return Tombstone(*row)
    deleted = EnterpriseTombstone.objects.filter(slug=slug).order_by("-deleted_at").first()
    if deleted is None:
        return None
    return Tombstone(deleted.enterprise_id, deleted.slug, tombstones.DELETED, deleted.deleted_at)
