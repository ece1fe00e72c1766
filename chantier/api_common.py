"""What every endpoint of the partner API shares: languages, formats, errors, paging.

The resources themselves live in each app's `api/` package and are routed by
`chantier/api.py`.
"""

import base64
import binascii
import csv
import io
import json
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import BasePagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

# ---------------------------------------------------------------- languages


LANGUAGE_MAP_SCHEMA = {
    "oneOf": [
        {
            "type": "object",
            "properties": {code: {"type": "string"} for code in LANGUAGE_CODES},
            "required": LANGUAGE_CODES,
            "description": "One text per language (the map form, without ?lang=).",
        },
        {"type": "string", "description": "The text in the language asked for with ?lang=."},
    ]
}


def requested_language(request) -> str | None:
    """The language of `?lang=`, or None for language maps; an unknown one is a 400."""
    lang = request.query_params.get("lang")
    if lang is None or lang == "":
        return None
    if lang not in LANGUAGE_CODES:
        raise exceptions.ValidationError(
            {
                "lang": [
                    _("Unknown language “%(lang)s”: use one of %(choices)s.")
                    % {"lang": lang[:20], "choices": ", ".join(LANGUAGE_CODES)}
                ]
            }
        )
    return lang


def translated(obj, field: str, lang: str | None):
    """A translated field as a language map, or as one string with the French fallback."""
    values = {code: getattr(obj, f"{field}_{code}") or "" for code in LANGUAGE_CODES}
    if lang is None:
        return values
    return values[lang] or values[settings.MODELTRANSLATION_DEFAULT_LANGUAGE]


@extend_schema_field(LANGUAGE_MAP_SCHEMA)
class TranslatedField(serializers.Field):
    """A modeltranslation field: `{"fr": ..., "en": ...}`, or one string with `?lang=`."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, value):
        return translated(value, self.field_name, self.context.get("lang"))


class Linked(serializers.Serializer):
    """A resource, or a related object's summary, with its `url` in the API."""

    url_name = ""
    lookup = "slug"

    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return absolute_url(
            self.context, self.url_name, getattr(obj, self.lookup), lookup=self.lookup
        )


class LinkedWithPage(Linked):
    """A resource with its `url` in the API and `web_url`, its page on the public site."""

    page_url_name = ""

    web_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, obj) -> str:
        return absolute_url(
            self.context, self.page_url_name, getattr(obj, self.lookup), lookup=self.lookup
        )


def absolute_url(context: dict, url_name: str, key, *, lookup: str = "slug") -> str:
    """The address of an object, built once per resource and request, then filled in.

    `lookup` names the URL's keyword (`slug`, or `code` for regions). Public pages
    (`url_name` outside the `api` namespace) are given in the language of
    `?lang=`, French otherwise.
    """
    cache = context.setdefault("_url_templates", {})
    if url_name not in cache:
        with translation.override(context.get("lang") or settings.LANGUAGE_CODE):
            path = reverse(url_name, kwargs={lookup: "KEY-PLACEHOLDER"})
        request = context.get("request")
        cache[url_name] = request.build_absolute_uri(path) if request else path
    return cache[url_name].replace("KEY-PLACEHOLDER", str(key))


# ---------------------------------------------------------------- errors


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer."""

    detail = serializers.CharField(help_text="What went wrong, in the request's language.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per parameter, what was wrong with its value.",
    )


ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="A parameter has a bad value."),
    401: OpenApiResponse(ErrorSerializer, description="The API key is unknown or revoked."),
    403: OpenApiResponse(ErrorSerializer, description="Not for this caller (drafts, archives)."),
    406: OpenApiResponse(ErrorSerializer, description="No format matches the Accept header."),
    429: OpenApiResponse(
        ErrorSerializer, description="Rate limit passed; the Retry-After header says when to retry."
    ),
}
NOT_FOUND_RESPONSE = {404: OpenApiResponse(ErrorSerializer, description="No such record.")}


class ApiSchema(AutoSchema):
    """Every operation documents `?lang=` and the errors it may answer."""

    def get_override_parameters(self):
        return [LANG_PARAMETER, *super().get_override_parameters()]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERROR_RESPONSES)
        if self.method == "GET" and not self._is_list_view():
            errors.update(NOT_FOUND_RESPONSE)
        for code, response in errors.items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    response, str(code), ["application/json"], direction
                )
        return responses


def api_exception_handler(exc, context):
    """Every error as `{"detail": "...", "errors": {...}}`, in JSON whatever the format."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(data, dict):
            errors = {key: _as_messages(value) for key, value in data.items()}
        else:
            errors = {"non_field_errors": _as_messages(data)}
        names = ", ".join(errors)
        response.data = {
            "detail": _("Invalid value for: %(names)s.") % {"names": names},
            "errors": errors,
        }
    elif isinstance(data, dict) and "detail" in data:
        response.data = {"detail": str(data["detail"])}
    else:
        response.data = {"detail": str(data)}
    return response


def _as_messages(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, dict):
        return [f"{key}: {', '.join(_as_messages(v))}" for key, v in value.items()]
    return [str(value)]


# ---------------------------------------------------------------- formats


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class CSVRenderer(JSONRenderer):
    """Selects CSV (`?format=csv`, `Accept: text/csv`); the views stream the CSV themselves."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


class FormatNegotiation(DefaultContentNegotiation):
    """`?format=` with a name the endpoint does not offer is a 400 that lists the ones it does."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        offered = [renderer.format for renderer in renderers]
        if wanted is not None and wanted not in offered:
            raise exceptions.ValidationError(
                {
                    "format": [
                        _("Unknown format “%(format)s”: this endpoint offers %(choices)s.")
                        % {"format": wanted[:20], "choices": ", ".join(offered)}
                    ]
                }
            )
        return super().select_renderer(request, renderers, format_suffix)


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv", "geojson", "jsonld"],
    description=(
        "Response format (the Accept header works too): json (default), csv, geojson "
        "(RFC 7946 FeatureCollection), jsonld (schema.org Organization, ESSGlobal terms)."
    ),
)
LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=LANGUAGE_CODES,
    description=(
        "Without it, translated fields are maps {fr, en}. With it, each is the string of "
        "that language (French when the English text is missing)."
    ),
)


def csv_stream(header: list[str], blocks, rows=()):
    """A UTF-8 CSV document: the header, blocks of CSV already written, then more rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    yield buffer.getvalue().encode()
    yield from blocks
    buffer.seek(0)
    buffer.truncate(0)
    for row in rows:
        writer.writerow(row)
    yield buffer.getvalue().encode()


def json_stream(head: str, items, tail: str):
    """A JSON document whose array is written item by item (items are JSON texts)."""
    yield head
    separator = ""
    batch = []
    for item in items:
        batch.append(separator + item)
        separator = ","
        if len(batch) >= 500:
            yield "".join(batch)
            batch = []
    yield "".join(batch) + tail


def streaming_response(chunks, *, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# ---------------------------------------------------------------- paging


class KeysetPagination(BasePagination):
    """Cursor paging on a unique, explicit order (the view's `keyset_ordering`).

    A cursor is the position of the last record a page held; the next page
    starts just after it, so records inserted, changed or removed meanwhile
    never shift a page (a changed record moves to the end, where it is seen
    again). Cursors are opaque to partners; a forged one is a 400.
    """

    page_size_query_param = "page_size"
    cursor_query_param = "cursor"

    def __init__(self, *, ordering: tuple[str, ...] = ("id",)):
        self.ordering = ordering
        self.next_link = None

    def paginate_queryset(self, queryset, request, view=None):
        if view is not None:
            self.ordering = getattr(view, "keyset_ordering", self.ordering)
        size = self.page_size(request)
        rows = list(self.after(queryset, self.position(request))[: size + 1])
        self.next_link = None
        if len(rows) > size:
            rows = rows[:size]
            self.next_link = self.next_url(request, self.key_of(rows[-1]))
        return rows

    def key_of(self, obj) -> tuple:
        return tuple(getattr(obj, field) for field in self.ordering)

    def get_paginated_response(self, data):
        return Response({"next": self.next_link, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last one.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Where the page starts (from the previous page's next link).",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Records per page, 1 to {MAX_PAGE_SIZE} "
                f"(default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]

    def page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return DEFAULT_PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise exceptions.ValidationError(
                {
                    "page_size": [
                        _("The page size is a whole number from 1 to %(max)s.")
                        % {"max": MAX_PAGE_SIZE}
                    ]
                }
            )
        return size

    def position(self, request):
        """The (key, ...) position after which the page starts, or None for the first page."""
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None or raw == "":
            return None
        try:
            values = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"==="))
            if not isinstance(values, list) or len(values) != len(self.ordering):
                raise ValueError
            return tuple(
                self._decode(field, value)
                for field, value in zip(self.ordering, values, strict=True)
            )
        except (ValueError, TypeError, binascii.Error, UnicodeError):
            raise exceptions.ValidationError(
                {
                    "cursor": [
                        _(
                            "This cursor was not given out by this API; start again without it"
                            " or use the “next” address of the previous page."
                        )
                    ]
                }
            ) from None

    def _decode(self, field, value):
        if field.endswith("_at"):
            if not isinstance(value, str):
                raise ValueError
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                raise ValueError
            return parsed
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError
        return value

    def cursor_for(self, key: tuple) -> str:
        values = [v.isoformat() if isinstance(v, datetime) else v for v in key]
        return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")

    def after(self, queryset: QuerySet, position, fields: tuple[str, ...] | None = None):
        """The rows of `queryset` strictly after `position`, in order."""
        fields = fields or self.ordering
        queryset = queryset.order_by(*fields)
        if position is None:
            return queryset
        condition = Q()
        for index, field in enumerate(fields):
            step = Q(**{f"{field}__gt": position[index]})
            for previous, value in zip(fields[:index], position[:index], strict=True):
                step &= Q(**{previous: value})
            condition |= step
        return queryset.filter(condition)

    def next_url(self, request, key) -> str:
        url = request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.cursor_for(key))


# ---------------------------------------------------------------- views


class ApiViewMixin:
    """Language, error format, and conditional GET for every endpoint."""

    content_negotiation_class = FormatNegotiation

    # Parameters whose value has a type or a closed list: given empty, they are an error.
    typed_parameters = ("lang", "format", "page_size", "updated_since", "legal_form", "status")

    def initial(self, request, *args, **kwargs):
        # Dates in UTC ("Z"): one form for every partner, comparable across DST changes.
        timezone.activate(UTC)
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
        if isinstance(response, Response) and response.status_code >= 400:
            # Errors are JSON whatever format was asked for.
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        response = super().finalize_response(request, response, *args, **kwargs)
        vary = ["Accept", "Accept-Language"]
        response["Vary"] = ", ".join(vary)
        if request.method in ("GET", "HEAD") and response.status_code == status.HTTP_200_OK:
            return self.conditional(request, response)
        return response

    def conditional(self, request, response):
        """ETag and Last-Modified, and 304 when the partner's copy is current."""
        last_modified = getattr(response, "last_modified_at", None)
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        if response.streaming:
            etag = getattr(response, "version_etag", None)
            if etag:
                response["ETag"] = etag
        else:
            response.render()
            set_response_etag(response)
        etag = response.get("ETag")
        conditional = get_conditional_response(
            request._request if hasattr(request, "_request") else request,
            etag=etag,
            # HTTP dates have whole seconds.
            last_modified=int(last_modified.timestamp()) if last_modified else None,
            response=response,
        )
        return conditional
