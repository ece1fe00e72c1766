import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from common.pagination import ForgivingPaginationMixin
from common.validators import parse_bbox
from entreprises.enums import Status
from entreprises.forms import DirectoryForm
from entreprises.linked_data import organization_json_ld
from entreprises.models import Enterprise, Sector
from entreprises.selectors import (
    SECTOR_LINK_ORDER,
    facet_counts,
    located_enterprises,
    map_clusters,
    primary_sector,
    public_enterprises,
    search_enterprises,
    sectors_with_counts,
    with_list_details,
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


class DirectoryView(DirectoryFormMixin, ForgivingPaginationMixin, ListView):
    template_name = "entreprises/directory.html"
    context_object_name = "enterprises"

    def get_queryset(self):
        return search_enterprises(filters=self.get_filters())

    def get_facets(self):
        if not hasattr(self, "_facets"):
            self._facets = facet_counts(filters=self.get_filters())
        return self._facets

    def get_result_count(self):
        return self.get_facets().total

    def get_context_data(self, **kwargs):
        form = self.get_form()
        return super().get_context_data(
            form=form,
            filters=self.get_filters(),
            problems=form.problems(),
            facets=self.get_facets(),
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
        if enterprise.status != Status.PUBLISHED:
            raise Http404
        return enterprise

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except EnterpriseGone as gone:
            return self.response_class(
                request=request,
                template=["entreprises/gone.html"],
                context={"enterprise": gone.enterprise},
                status=410,
            )

    def get_context_data(self, **kwargs):
        enterprise = self.object
        links = list(enterprise.sector_links.select_related("sector").order_by(*SECTOR_LINK_ORDER))
        sectors = [link.sector for link in links]
        api_path = reverse("api:enterprise-detail", kwargs={"slug": enterprise.slug})
        return super().get_context_data(
            sectors=sectors,
            primary_sector=primary_sector(enterprise),
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
        return with_list_details(
            public_enterprises().filter(sector_links__sector=self.sector).order_by("name", "id")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(sector=self.sector, **kwargs)


class MapView(DirectoryFormMixin, TemplateView):
    template_name = "entreprises/map.html"
    list_limit = 200

    def get_context_data(self, **kwargs):
        form = self.get_form()
        enterprises = search_enterprises(filters=self.get_filters()).exclude(latitude=None)
        return super().get_context_data(
            form=form,
            problems=form.problems(),
            facets=facet_counts(filters=self.get_filters()),
            total=enterprises.count(),
            enterprises=enterprises[: self.list_limit],
            list_limit=self.list_limit,
            geojson_url=reverse("entreprises:map-data") + "?" + self.request.GET.urlencode(),
            tile_url=settings.MAP_TILE_URL,
            tile_attribution=settings.MAP_TILE_ATTRIBUTION,
            **kwargs,
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
            bbox = parse_bbox(request.GET.get("bbox", ""))
            zoom = _zoom(request.GET.get("zoom", ""))
        except ValidationError as error:
            return JsonResponse({"error": error.messages[0]}, status=400)
        enterprises = located_enterprises(filters=self.get_filters(), bbox=bbox)
        if enterprises.count() > settings.MAP_POINT_LIMIT:
            # Four cells across a 256-pixel tile: clusters about 64 pixels apart.
            cell = 360 / (2**zoom * 4)
            features = [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [c.longitude, c.latitude]},
                    "properties": {"cluster": True, "count": c.count},
                }
                for c in map_clusters(enterprises=enterprises, cell=cell)
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
