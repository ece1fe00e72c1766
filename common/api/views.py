"""The base of every endpoint: language, error format, conditional GET, paging."""

import hashlib
from datetime import UTC

from django.conf import settings
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.translation import gettext as _
from django_filters import utils as filter_utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, status, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from common.api.formats import FormatNegotiation
from common.api.languages import requested_language
from common.api.paging import KeysetPagination
from common.api.parameters import check_parameters
from common.api.sync import SyncFilter, SyncPagination, TombstoneSerializer, gone, merged_page
from common.public_cache import data_version
from common.tombstones import deleted_record, deleted_since


class JsonErrorsMixin:
    """Errors in JSON whatever the view writes when all goes well (CSV, YAML, HTML)."""

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


class ApiViewMixin(JsonErrorsMixin):
    """Language, error format, and conditional GET for every endpoint."""

    content_negotiation_class = FormatNegotiation
    # Identifiers are slugs or codes: any other character (a space, a NUL byte) is refused
    # by the route itself, before a query is made, as the 404 of an unknown address.
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    # Parameters whose value has a type or a closed list: given empty, they are an error.
    typed_parameters = ("lang", "format", "page_size", "updated_since", "legal_form", "status")

    def initial(self, request, *args, **kwargs):
        # Dates in UTC ("Z"): one form for every partner, comparable across DST changes.
        timezone.activate(UTC)
        check_parameters(request, self)
        empty = [name for name in self.typed_parameters if request.query_params.get(name) == ""]
        if empty:
            raise exceptions.ValidationError(
                {name: [_("Give a value, or leave the parameter out.")] for name in empty}
            )
        super().initial(request, *args, **kwargs)
        self.lang = requested_language(request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["lang"] = getattr(self, "lang", None)
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        timezone.deactivate()
        response = super().finalize_response(request, response, *args, **kwargs)
        # Cookie: a signed-in member of staff may see drafts the public copy must not hold.
        patch_vary_headers(response, ["Accept", "Accept-Language", "Cookie"])
        rate_limit = getattr(request, "rate_limit", None)
        if rate_limit is not None:
            for name, value in rate_limit.headers().items():
                response[name] = value
        if request.method in ("GET", "HEAD") and response.status_code == status.HTTP_200_OK:
            response = self.conditional(request, response)
        set_cache_control(request, response)
        return response

    def conditional(self, request, response):
        """ETag, and 304 when the partner's copy is current.

        No Last-Modified: an answer also changes when a related record does (a pole's
        name in an enterprise) or when a record leaves a list, which no `updated_at`
        of the rows served tells; the ETag is made from the answer itself.
        """
        if response.streaming:
            etag = getattr(response, "version_etag", None)
            if etag:
                response["ETag"] = etag
        else:
            response.render()
            set_response_etag(response)
        return get_conditional_response(
            request._request if hasattr(request, "_request") else request,
            etag=response.get("ETag"),
            response=response,
        )


# Answers a shared cache may keep: the same for every caller who asks the same address.
PUBLIC_STATUSES = frozenset({200, 301, 304, 404, 410})


def set_cache_control(request, response) -> None:
    """Public answers may be kept by a CDN or proxy; personal and passing ones may not."""
    if signed_in(request):
        patch_cache_control(response, private=True, no_cache=True)
    elif response.status_code in PUBLIC_STATUSES:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.API_CACHE_MAX_AGE,
            stale_while_revalidate=settings.API_STALE_WHILE_REVALIDATE,
        )
    else:  # 400s are cheap to redo, 429s and 5xx pass
        patch_cache_control(response, no_store=True)


def signed_in(request) -> bool:
    try:
        return request.user.is_authenticated
    except exceptions.APIException:  # a refused key, when the error came first
        return False


def version_etag(request, *parts) -> str:
    """A weak ETag for a streamed answer: its address, format, and the data's version."""
    fingerprint = "|".join(
        str(part)
        for part in (
            request.get_full_path(),
            request.accepted_media_type,
            data_version(),
            *parts,
        )
    )
    return f'W/"{hashlib.sha256(fingerprint.encode()).hexdigest()[:32]}"'


class ReadOnlyResource(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """A small reference list (poles, regions, sectors, events, organizations), paged by id."""

    pagination_class = KeysetPagination
    keyset_ordering = ("id",)
    lookup_field = "slug"

    def get_object(self):
        key = self.kwargs[self.lookup_field]
        found = self.get_queryset().filter(**{self.lookup_field: key}).first()
        if found is None:
            raise exceptions.NotFound(
                _("Not found: no %(kind)s has the identifier “%(key)s”.")
                % {"kind": self.get_queryset().model._meta.verbose_name, "key": key[:50]}
            )
        return found


class SyncedResource(ReadOnlyResource):
    """A reference resource with `updated_at`: paged by (updated_at, id), with sync.

    `updated_since` gives what changed, and as tombstones what was deleted; the
    detail of a deleted record answers 410 with its tombstone.
    """

    pagination_class = SyncPagination
    keyset_ordering = ("updated_at", "id")
    filterset_class = SyncFilter
    filter_backends = [DjangoFilterBackend]  # documents updated_since in the schema
    gone_on_detail = True

    def list(self, request, *args, **kwargs):
        filterset = self.filterset_class(
            request.query_params, queryset=self.get_queryset(), request=request
        )
        if not filterset.is_valid():
            raise filter_utils.translate_validation(filterset.errors)
        since = filterset.form.cleaned_data.get("updated_since")
        queryset = filterset.qs
        paginator = self.paginator
        paginator.ordering = self.keyset_ordering
        records, tombstones, next_url = merged_page(
            request=request,
            paginator=paginator,
            records=lambda after, limit: list(paginator.after(queryset, after)[:limit]),
            tombstones=(
                (
                    lambda after, limit: deleted_since(
                        queryset.model, since=since, after=after, limit=limit
                    )
                )
                if since
                else None
            ),
        )
        return Response(
            {
                "next": next_url,
                "results": self.get_serializer(records, many=True).data,
                "tombstones": TombstoneSerializer(tombstones, many=True).data,
            }
        )

    def retrieve(self, request, *args, **kwargs):
        key = kwargs[self.lookup_field]
        queryset = self.get_queryset()
        if not queryset.filter(**{self.lookup_field: key}).exists():
            tombstone = deleted_record(queryset.model, slug=key)
            if tombstone is not None:
                return gone(tombstone, _("This record was deleted."))
        return super().retrieve(request, *args, **kwargs)
