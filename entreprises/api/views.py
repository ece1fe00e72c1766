"""The enterprise and sector API. Over 350 lines: the list, its sync, its streamed
formats, its detail and the single-format addresses all belong to one viewset."""

import json
from itertools import chain

from django.db.models import Count, Max, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters import utils as filter_utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.response import Response

from common.api.errors import ERROR_RESPONSES, NOT_FOUND_RESPONSE
from common.api.formats import (
    FORMAT_PARAMETER,
    CSVRenderer,
    FastJSONRenderer,
    GeoJSONRenderer,
    JSONLDRenderer,
    RawJSON,
    csv_stream,
    json_stream,
    streaming_response,
)
from common.api.languages import LANGUAGE_CODES
from common.api.sync import SyncPagination, TombstoneSerializer, gone, merged_page
from common.api.views import ApiViewMixin, SyncedResource, version_etag
from entreprises import linked_data
from entreprises.api import formats, records
from entreprises.api.serializers import EnterpriseSerializer, SectorSerializer
from entreprises.columns import TRANSLATED
from entreprises.enums import Status
from entreprises.filters import EnterpriseFilter
from entreprises.models import Enterprise, EnterpriseSector, Sector
from entreprises.selectors import (
    SECTOR_LINK_ORDER,
    api_enterprises,
    tombstone_of,
    tombstones_since,
    tombstones_summary,
)

PLAIN_FIELDS = [
    name
    for name in EnterpriseSerializer.Meta.fields
    if name not in ("url", "web_url", "sectors", "image", *TRANSLATED)
]
# The fields behind the serializer's `image`.
IMAGE_FIELDS = ["image_small", "image_large"]


def _list_schema():
    return {
        (200, "application/json"): OpenApiResponse(
            EnterpriseSerializer, description="A page of enterprises, oldest change first."
        ),
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR,
            description="Every matching enterprise, streamed (no paging): one row each.",
        ),
        (200, "application/geo+json"): OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="Every matching enterprise as an RFC 7946 FeatureCollection, streamed.",
        ),
        (200, "application/ld+json"): OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="A page of schema.org Organizations (@graph); the next one in Link.",
        ),
        **{(code, "application/json"): r for code, r in ERROR_RESPONSES.items()},
    }


def _detail_schema():
    return {
        (200, "application/json"): EnterpriseSerializer,
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One CSV row."),
        (200, "application/geo+json"): OpenApiResponse(
            {"type": "object", "properties": {"type": {"enum": ["Feature"]}}},
            description="One RFC 7946 Feature.",
        ),
        (200, "application/ld+json"): OpenApiResponse(
            {"type": "object"}, description="One schema.org Organization."
        ),
        **{(code, "application/json"): r for code, r in ERROR_RESPONSES.items()},
        (404, "application/json"): NOT_FOUND_RESPONSE[404],
        (410, "application/json"): OpenApiResponse(
            TombstoneSerializer, description="Archived or deleted: the partner should remove it."
        ),
    }


@extend_schema_view(
    list=extend_schema(
        summary="Enterprises (the directory), for browsing and for sync",
        parameters=[FORMAT_PARAMETER],
        responses=_list_schema(),
    ),
    retrieve=extend_schema(
        summary="One enterprise",
        parameters=[FORMAT_PARAMETER],
        responses=_detail_schema(),
    ),
)
class EnterpriseViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Published enterprises; pole staff signed in also see their own drafts and archives."""

    serializer_class = EnterpriseSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = EnterpriseFilter
    pagination_class = SyncPagination
    keyset_ordering = ("updated_at", "id")
    lookup_field = "slug"
    renderer_classes = [FastJSONRenderer, CSVRenderer, GeoJSONRenderer, JSONLDRenderer]

    def get_queryset(self):
        """A detail's: every enterprise the caller may read (lists go through `filtered`)."""
        return api_enterprises(user=self.request.user, status=None)

    def with_details(self, queryset):
        # Only the columns the answer shows: not the search vector, nor the poles' long texts.
        columns = [f"{name}_{code}" for name in TRANSLATED for code in LANGUAGE_CODES]
        summaries = [
            *(
                f"{related}__name_{code}"
                for related in ("pole", "region")
                for code in LANGUAGE_CODES
            ),
            "pole__slug",
            "region__code",
        ]
        return (
            queryset.select_related("pole", "region")
            .only(*PLAIN_FIELDS, *IMAGE_FIELDS, *columns, *summaries)
            .prefetch_related(
                Prefetch(
                    "sector_links",
                    queryset=EnterpriseSector.objects.select_related("sector")
                    .only(
                        "enterprise_id",
                        "is_primary",
                        "sector__slug",
                        "sector__essglobal_code",
                        *(f"sector__name_{code}" for code in LANGUAGE_CODES),
                    )
                    .order_by(*SECTOR_LINK_ORDER),
                    to_attr="api_sector_links",
                )
            )
        )

    def filtered(self):
        """The list's enterprises: the parameters read once, then the visibility rule once."""
        self.filterset = EnterpriseFilter(
            self.request.query_params, queryset=Enterprise.objects.none(), request=self.request
        )
        if not self.filterset.is_valid():
            raise filter_utils.translate_validation(self.filterset.errors)
        asked = self.filterset.form.cleaned_data.get("status") or Status.PUBLISHED
        self.filterset.queryset = api_enterprises(user=self.request.user, status=asked)
        return self.filterset.qs

    @property
    def updated_since(self):
        return self.filterset.form.cleaned_data.get("updated_since")

    def wants_tombstones(self) -> bool:
        """A sync (updated_since) of the public feed also lists what left it."""
        status_asked = self.filterset.form.cleaned_data.get("status")
        return self.updated_since is not None and status_asked in ("", None, Status.PUBLISHED)

    def kept(self, queryset):
        """The filtered enterprises a sync keeps, or None when only updated_since narrows it."""
        narrowing = set(self.filterset.form.cleaned_data) - {"updated_since", "status"}
        if not any(self.filterset.form.cleaned_data.get(name) for name in narrowing):
            return None
        return queryset

    def tombstones(self, queryset, *, after=None, limit=None):
        return tombstones_since(
            since=self.updated_since, after=after, limit=limit, kept=self.kept(queryset)
        )

    # ------------------------------------------------------------ list

    def list(self, request, *args, **kwargs):
        queryset = self.filtered()
        fmt = request.accepted_renderer.format
        if fmt in ("csv", "geojson"):
            return self.streamed(queryset, fmt)
        paginator = self.paginator
        paginator.ordering = self.keyset_ordering
        context = self.get_serializer_context()

        def read(after, limit):
            rows = paginator.after(queryset, after)
            if fmt == "jsonld":
                return list(self.with_details(rows)[:limit])
            # Each record's JSON written by PostgreSQL (records.py), with its position.
            return records.enterprise_records(rows[:limit], context, ordering=self.keyset_ordering)

        page, tombstones, next_url = merged_page(
            request=request,
            paginator=paginator,
            records=read,
            tombstones=(
                (lambda after, limit: self.tombstones(queryset, after=after, limit=limit))
                if self.wants_tombstones()
                else None
            ),
        )
        if fmt == "jsonld":
            data = {
                "@context": formats.json_ld_context(self.lang),
                "@graph": [
                    *(formats.organization_node(e, context) for e in page),
                    *(formats.tombstone_node(t, context) for t in tombstones),
                ],
            }
        else:
            data = {
                "next": next_url,
                "results": RawJSON(records.json_array(page)),
                "tombstones": TombstoneSerializer(tombstones, many=True).data,
            }
        response = Response(data)
        if next_url:
            response["Link"] = f'<{next_url}>; rel="next"'
        return response

    def all_tombstones(self, queryset):
        """Every tombstone of a sync, oldest first (for the streamed formats)."""
        if not self.wants_tombstones():
            return iter(())
        return self.tombstones(queryset)

    def streamed(self, queryset, fmt):
        """The whole result, written as it is read: no paging, constant memory."""
        queryset = queryset.order_by(*self.keyset_ordering)
        version = queryset.aggregate(n=Count("id"), last=Max("updated_at"))
        gone = (0, None)
        if self.wants_tombstones():
            gone = tombstones_summary(since=self.updated_since, kept=self.kept(queryset))
        context = self.get_serializer_context()
        if fmt == "csv":
            response = streaming_response(
                csv_stream(
                    formats.CSV_HEADER,
                    formats.csv_copy(queryset, context),
                    (formats.tombstone_csv_row(t) for t in self.all_tombstones(queryset)),
                ),
                content_type="text/csv; charset=utf-8",
                filename="enterprises.csv",
            )
        else:
            features = chain(
                formats.geojson_features(queryset, context),
                (json.dumps(formats.tombstone_feature(t)) for t in self.all_tombstones(queryset)),
            )
            response = streaming_response(
                json_stream('{"type":"FeatureCollection","features":[', features, "]}"),
                content_type="application/geo+json",
                filename="enterprises.geojson",
            )
        response.version_etag = version_etag(self.request, version["n"], version["last"], *gone)
        return response

    # ------------------------------------------------------------ detail

    def retrieve(self, request, *args, **kwargs):
        slug = kwargs[self.lookup_field]
        enterprise = self.with_details(self.get_queryset()).filter(slug=slug).first()
        if enterprise is None:
            return self.gone_or_missing(slug)
        fmt = request.accepted_renderer.format
        context = self.get_serializer_context()
        if fmt == "jsonld":
            data = {
                "@context": linked_data.json_ld_context(self.lang),
                **formats.organization_node(enterprise, context),
            }
        elif fmt == "csv":
            response = streaming_response(
                csv_stream(
                    formats.CSV_HEADER,
                    formats.csv_copy(Enterprise.objects.filter(pk=enterprise.pk), context),
                ),
                content_type="text/csv; charset=utf-8",
                filename=f"{enterprise.slug}.csv",
            )
            response.version_etag = version_etag(request, enterprise.pk, enterprise.updated_at)
            return response
        elif fmt == "geojson":
            only = Enterprise.objects.filter(pk=enterprise.pk)
            data = json.loads(next(formats.geojson_features(only, context)))
        else:
            data = EnterpriseSerializer(enterprise, context=context).data
        return Response(data)

    def gone_or_missing(self, slug):
        tombstone = tombstone_of(slug=slug)
        if tombstone is None:
            raise Http404(_("No published enterprise has this slug."))
        return gone(tombstone, _("This enterprise is no longer in the directory."))


class SectorViewSet(SyncedResource):
    """Sectors of activity, with their ESSGlobal activity where one maps."""

    serializer_class = SectorSerializer

    def get_queryset(self):
        return Sector.objects.select_related("parent")


# ------------------------------------------------------------ one address per format
# The list above answers in every format (`?format=`, `Accept`), but an OpenAPI operation
# that answers several content types is read by generated clients as its first one only:
# each other format also has an address of its own, one operation a client can call.

_NOT_PAGED = [OpenApiParameter(name, exclude=True) for name in ("cursor", "page_size")]


def _one_format(renderer, *, summary: str, response: OpenApiResponse, paged: bool):
    """The enterprise list in one format, at its own address (`/api/v1/enterprises.csv`)."""
    view = type(
        f"Enterprise{renderer.format.upper()}ViewSet",
        (EnterpriseViewSet,),
        {"renderer_classes": [renderer], "__doc__": EnterpriseViewSet.__doc__},
    )
    return extend_schema_view(
        list=extend_schema(
            operation_id=f"v1_enterprises_{renderer.format}",
            summary=summary,
            parameters=[OpenApiParameter("format", exclude=True), *([] if paged else _NOT_PAGED)],
            responses={
                (200, renderer.media_type): response,
                **{(code, "application/json"): r for code, r in ERROR_RESPONSES.items()},
            },
        )
    )(view)


EnterpriseCSVViewSet = _one_format(
    CSVRenderer,
    summary="Enterprises as CSV (every matching one, streamed)",
    response=_list_schema()[(200, "text/csv")],
    paged=False,
)
EnterpriseGeoJSONViewSet = _one_format(
    GeoJSONRenderer,
    summary="Enterprises as GeoJSON (every matching one, streamed)",
    response=_list_schema()[(200, "application/geo+json")],
    paged=False,
)
EnterpriseJSONLDViewSet = _one_format(
    JSONLDRenderer,
    summary="Enterprises as JSON-LD (a page at a time)",
    response=_list_schema()[(200, "application/ld+json")],
    paged=True,
)
