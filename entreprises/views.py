import json
from dataclasses import dataclass, replace

from csp.decorators import csp_replace
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import DetailView, ListView, TemplateView, View

from common.pagination import ForgivingPaginationMixin
from common.validators import parse_bbox
from entreprises.contact import contact_card
from entreprises.enums import Status
from entreprises.forms import FACETS, SORT_CHOICES, DirectoryForm, MapViewForm
from entreprises.linked_data import organization_json_ld
from entreprises.models import Enterprise, Sector
from entreprises.nearby import place_names
from entreprises.selectors import (
    SECTOR_LINK_ORDER,
    DirectoryFilters,
    DirectorySort,
    FacetOption,
    Facets,
    facet_counts,
    located_enterprises,
    map_clusters,
    may_preview_enterprise,
    primary_sector,
    public_enterprises,
    search_enterprises,
    search_page_ids,
    search_suggestions,
    sectors_with_counts,
    with_card_details,
)

# The whole of Québec in a map about 800 pixels wide.
MAP_DEFAULT_ZOOM = 5


class DirectoryFormMixin:
    """Reads the directory's search state from the query string, once."""

    def get_form(self) -> DirectoryForm:
        if not hasattr(self, "_form"):
            self._form = DirectoryForm(self.request.GET)
            self._filters = self._form.filters()
        return self._form

    def get_filters(self):
        self.get_form()
        return self._filters


# A facet shows this many values; the rest wait behind "More".
FACET_TOP = 6


@dataclass
class FacetGroup:
    """One facet as the page shows it: values with results (or chosen), most results first."""

    name: str
    label: str
    top: list[FacetOption]
    more: list[FacetOption]

    @property
    def more_open(self) -> bool:
        return any(option.selected for option in self.more)


@dataclass
class Chip:
    label: str
    remove_url: str


def facet_groups(facets: Facets) -> list[FacetGroup]:
    groups = []
    for name, label in FACETS:
        shown = [o for o in getattr(facets, name) if o.count or o.selected]
        shown.sort(key=lambda option: -option.count)  # stable: ties keep their usual order
        groups.append(FacetGroup(name, label, shown[:FACET_TOP], shown[FACET_TOP:]))
    return groups


# Where the map looks: kept in its address, meaningless to the results themselves.
MAP_VIEW_PARAMETERS = ("lat", "lon", "z")


def query_without(query: QueryDict, *names: str) -> str:
    """The query string without the parameters `names`, with its "?" when not empty."""
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return "?" + query.urlencode() if query else ""


def url_without(query: QueryDict, name: str, value: str) -> str:
    """The directory's query string without one value of `name`, back on the first page."""
    query = query.copy()
    query.setlist(name, [v for v in query.getlist(name) if v != value])
    query.pop("page", None)
    return "?" + query.urlencode() if query else "?"


def active_chips(query: QueryDict, filters: DirectoryFilters, facets: Facets) -> list[Chip]:
    chips = []
    if filters.q:
        search = _("Search: “%(q)s”") % {"q": filters.q}
        chips.append(Chip(search, url_without(query, "q", query.get("q", ""))))
    if filters.near:
        text = _("Near %(place)s (%(radius)s km)") % {
            "place": filters.near.label,
            "radius": filters.radius_km,
        }
        chips.append(Chip(text, url_without_place(query)))
    for name, label in FACETS:
        for option in getattr(facets, name):
            if option.selected:
                text = _("%(facet)s: %(value)s") % {"facet": label, "value": capfirst(option.label)}
                chips.append(Chip(text, url_without(query, name, option.value)))
    if filters.bbox is not None:
        chips.append(Chip(_("In the chosen map area"), url_without(query, "bbox", query["bbox"])))
    return chips


def url_without_place(query: QueryDict) -> str:
    """The query string without its place, its radius and the order by distance."""
    query = query.copy()
    for name in ("near", "radius_km", "page"):
        query.pop(name, None)
    if query.get("sort") == DirectorySort.NEAREST:
        query.pop("sort")
    return "?" + query.urlencode() if query else "?"


def sort_menu(filters: DirectoryFilters) -> tuple[list[tuple[str, str]], str]:
    """The orders offered and the one chosen; the default one is the empty value.

    So a new search from a page sorted by default comes by relevance (or distance,
    near a place), not by the name the page without a search was sorted by.
    """
    default = filters.default_sort
    offered = [
        ("" if value == default else value, label)
        for value, label in SORT_CHOICES
        if (value != DirectorySort.RELEVANCE or filters.q)
        and (value != DirectorySort.NEAREST or filters.near)
    ]
    offered.sort(key=lambda choice: choice[0] != "")
    chosen = filters.effective_sort
    return offered, "" if chosen == default else chosen


def active_filter_count(filters: DirectoryFilters) -> int:
    """The number on the "Filters (n)" panel: the values ticked, and a place."""
    return sum(len(getattr(filters, name)) for name, _label in FACETS) + bool(filters.near)


class DirectoryView(DirectoryFormMixin, ForgivingPaginationMixin, ListView):
    template_name = "entreprises/directory.html"
    context_object_name = "enterprises"

    def get_queryset(self):
        return search_enterprises(filters=self.get_filters())

    def get_page_ids(self):
        return search_page_ids(filters=self.get_filters())

    def get_facets(self):
        if not hasattr(self, "_facets"):
            self._facets = facet_counts(filters=self.get_filters())
        return self._facets

    def get_result_count(self):
        return self.get_facets().total

    def get_context_data(self, **kwargs):
        form = self.get_form()
        filters = self.get_filters()
        facets = self.get_facets()
        chips = active_chips(self.request.GET, filters, facets)
        sorts, sort = sort_menu(filters)
        return super().get_context_data(
            form=form,
            filters=filters,
            problems=form.problems(),
            facets=facets,
            facet_groups=facet_groups(facets),
            chips=chips,
            active_filters=active_filter_count(filters),
            sorts=sorts,
            sort=sort,
            suggestions=search_suggestions(q=filters.q) if not facets.total else None,
            **kwargs,
        )


class EnterpriseDetailView(DetailView):
    template_name = "entreprises/detail.html"
    context_object_name = "enterprise"

    def get_object(self, queryset=None):
        enterprise = get_object_or_404(
            Enterprise.objects.select_related("pole", "region"), slug=self.kwargs["slug"]
        )
        if enterprise.status == Status.ARCHIVED:
            raise EnterpriseGone(enterprise)
        self.preview = enterprise.status == Status.DRAFT and may_preview_enterprise(
            user=self.request.user, enterprise=enterprise
        )
        if enterprise.status != Status.PUBLISHED and not self.preview:
            raise Http404
        return enterprise

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except EnterpriseGone as gone:
            return self.response_class(
                request=request,
                template=["entreprises/gone.html"],
                context={"enterprise": gone.enterprise},
                status=410,
            )
        if self.preview:
            # A draft shown to its staff: never kept by a cache, never indexed.
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        enterprise = self.object
        links = list(enterprise.sector_links.select_related("sector").order_by(*SECTOR_LINK_ORDER))
        sectors = [link.sector for link in links]
        api_path = reverse("api:enterprise-detail", kwargs={"slug": enterprise.slug})
        return super().get_context_data(
            sectors=sectors,
            primary_sector=primary_sector(enterprise),
            contact=contact_card(enterprise, now=timezone.now()),
            tile_url=settings.MAP_TILE_URL,
            tile_attribution=settings.MAP_TILE_ATTRIBUTION,
            preview=self.preview,
            visits=enterprise.visits.order_by("-year"),
            json_ld=organization_json_ld(
                enterprise,
                sectors=sectors,
                lang=get_language(),
                api_url=self.request.build_absolute_uri(api_path),
                page_url=self.request.build_absolute_uri(enterprise.get_absolute_url()),
            ),
            **kwargs,
        )


class EnterpriseGone(Exception):
    def __init__(self, enterprise):
        self.enterprise = enterprise


class SectorListView(ListView):
    template_name = "entreprises/sector_list.html"
    context_object_name = "sectors"
    paginate_by = 50

    def get_queryset(self):
        return sectors_with_counts()


class SectorDetailView(ForgivingPaginationMixin, ListView):
    template_name = "entreprises/sector_detail.html"
    context_object_name = "enterprises"

    def get_queryset(self):
        self.sector = get_object_or_404(Sector, slug=self.kwargs["slug"])
        return with_card_details(
            public_enterprises().filter(sector_links__sector=self.sector).order_by("name", "id")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(sector=self.sector, **kwargs)


class MapView(DirectoryFormMixin, TemplateView):
    """The directory's results on a map, with the same form, facets and chips, and
    beside the map the list of the same results for those who do not use it."""

    template_name = "entreprises/map.html"
    list_limit = 200

    def get_filters(self):
        # What the map can show: its facets count those, not the enterprises it cannot place.
        return replace(super().get_filters(), located=True)

    def get_context_data(self, **kwargs):
        form = self.get_form()
        filters = self.get_filters()
        view_form = MapViewForm(self.request.GET)
        facets = facet_counts(filters=filters)
        enterprises = search_enterprises(filters=filters)
        query = self.request.GET
        return super().get_context_data(
            form=form,
            filters=filters,
            problems=form.problems() + view_form.problems(),
            facet_groups=facet_groups(facets),
            chips=active_chips(query, filters, facets),
            active_filters=active_filter_count(filters),
            total=enterprises.count(),
            enterprises=enterprises[: self.list_limit],
            list_limit=self.list_limit,
            map_view=view_form.view(),
            # The view travels to the list and back; the list starts on its first page.
            list_url=reverse("entreprises:directory") + query_without(query, "page"),
            geojson_url=map_data_url(query),
            tile_url=settings.MAP_TILE_URL,
            tile_attribution=settings.MAP_TILE_ATTRIBUTION,
            **kwargs,
        )


# Any site may frame the embeddable map, and only it: every other page keeps
# `frame-ancestors 'none'` and `X-Frame-Options: DENY`.
@method_decorator(xframe_options_exempt, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": ["*"]}), name="dispatch")
class EmbedMapView(DirectoryFormMixin, TemplateView):
    """The map alone, for other sites to frame (`/embed/map/?pole=…`): the directory's
    filters read from the address by the directory's form, the map page's own data,
    and a link to the same results on the portal.

    Sets no cookie (no session, no form) and speaks the visitor's language."""

    template_name = "entreprises/embed_map.html"

    def get_filters(self):
        return replace(super().get_filters(), located=True)

    def get_context_data(self, **kwargs):
        query = self.request.GET
        return super().get_context_data(
            filters=self.get_filters(),
            total=located_enterprises(filters=self.get_filters()).count(),
            map_view=MapViewForm(query).view(),
            geojson_url=map_data_url(query),
            portal_url=self.request.build_absolute_uri(
                reverse("entreprises:map") + query_without(query, "page", "sort")
            ),
            tile_url=settings.MAP_TILE_URL,
            tile_attribution=settings.MAP_TILE_ATTRIBUTION,
            **kwargs,
        )


def map_data_url(query: QueryDict) -> str:
    """The map data of the results a query string asks for, whatever the view and order."""
    return reverse("entreprises:map-data") + query_without(
        query, "page", "sort", *MAP_VIEW_PARAMETERS
    )


class MapDataView(DirectoryFormMixin, TemplateView):
    """GeoJSON (RFC 7946) of the directory's current results.

    Up to MAP_POINT_LIMIT enterprises (in `bbox` when given) come one by one,
    streamed; past that the map gets clusters (a count at the centre of each cell
    of a grid sized for `zoom`), so the whole directory costs a few kilobytes
    rather than megabytes, and the map asks again for the points as it zooms in.
    """

    def get(self, request, *args, **kwargs):
        try:
            # The form reads `bbox` too, but leaves a bad one out: here it is a 400.
            parse_bbox(request.GET.get("bbox", ""))
            zoom = _zoom(request.GET.get("zoom", ""))
        except ValidationError as error:
            return JsonResponse({"error": error.messages[0]}, status=400)
        form = self.get_form()
        for name in ("near", "radius_km"):  # not left out, as on the page: no map of everywhere
            if name in form.errors:
                return JsonResponse({"error": form.errors[name][0]}, status=400)
        filters = self.get_filters()
        enterprises = located_enterprises(filters=filters)
        # Counted only as far as the limit: the whole directory is not counted to know it.
        if enterprises[: settings.MAP_POINT_LIMIT + 1].count() > settings.MAP_POINT_LIMIT:
            # Four cells across a 256-pixel tile: clusters about 64 pixels apart.
            cell = 360 / (2**zoom * 4)
            features = [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [c.longitude, c.latitude]},
                    "properties": {"cluster": True, "count": c.count},
                }
                for c in map_clusters(filters=filters, cell=cell)
            ]
            response = JsonResponse(
                {"type": "FeatureCollection", "features": features},
                content_type="application/geo+json",
                json_dumps_params={"separators": (",", ":")},
            )
        else:
            rows = enterprises.values_list("slug", "name", "longitude", "latitude", "city")
            url_template = reverse("entreprises:detail", kwargs={"slug": "SLUG"})
            response = StreamingHttpResponse(
                _feature_collection(rows, url_template), content_type="application/geo+json"
            )
        response["Cache-Control"] = "public, max-age=300"
        return response


class PlacesView(View):
    """The gazetteer's names, for the completion of the "near" field."""

    def get(self, request, *args, **kwargs):
        response = JsonResponse(place_names(), safe=False)
        response["Cache-Control"] = "public, max-age=3600"
        return response


def _zoom(raw: str) -> int:
    if not raw:
        return MAP_DEFAULT_ZOOM
    if not raw.isdigit() or int(raw) > 18:
        raise ValidationError(_("zoom must be a whole number from 0 to 18."), code="invalid")
    return int(raw)


def _feature_collection(rows, url_template):
    yield '{"type":"FeatureCollection","features":['
    separator = ""
    for slug, name, longitude, latitude, city in rows.iterator(chunk_size=2000):
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
            "properties": {"name": name, "city": city, "url": url_template.replace("SLUG", slug)},
        }
        yield separator + json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        separator = ","
    yield "]}"
