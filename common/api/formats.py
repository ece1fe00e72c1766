"""The formats an endpoint offers (JSON, GeoJSON, JSON-LD, CSV) and streamed bodies."""

import csv
import io
import json

import orjson
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder


class RawJSON:
    """A JSON text already written (by PostgreSQL), put in the answer as it is."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


class _Encoder(JSONEncoder):
    """DRF's encoder, reading RawJSON back (for pretty printing)."""

    def default(self, obj):
        if isinstance(obj, RawJSON):
            return json.loads(obj.text)
        return super().default(obj)


_DRF_DEFAULT = JSONEncoder().default


def _orjson_default(obj):
    if isinstance(obj, RawJSON):
        return orjson.Fragment(obj.text)
    return _DRF_DEFAULT(obj)


class FastJSONRenderer(JSONRenderer):
    """JSONRenderer's very bytes, encoded by orjson (several times faster on long lists).

    Compact, UTF-8, U+2028 and U+2029 escaped as DRF writes them (RawJSON texts too).
    Dates, times and what orjson does not know go through DRF's encoder; pretty printing
    (`; indent=`) and data orjson refuses (keys that are not strings) through DRF's
    renderer itself.
    """

    encoder_class = _Encoder
    _options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
    _default = staticmethod(_orjson_default)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        exotic = self.ensure_ascii or not self.compact or not self.strict
        if data is None or exotic or self.get_indent(accepted_media_type, renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=self._default, option=self._options)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        if b"\xe2\x80" in body:
            body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return body


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
    """`?format=` first, else the `Accept` header with its `q` values (RFC 9110, 12.5.1).

    `?format=` with a name the endpoint does not offer is a 400 that lists the ones
    it does. In `Accept`, each format takes the `q` of the most specific range that
    names it (`text/csv` before `text/*` before `*/*`); `q=0` means "not this one".
    The highest `q` wins, ties going to the endpoint's order (JSON first); when
    every format has `q=0`, the answer is a 406.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        offered = [renderer.format for renderer in renderers]
        if wanted is not None:
            if wanted not in offered:
                raise exceptions.ValidationError(
                    {
                        "format": [
                            _("Unknown format “%(format)s”: this endpoint offers %(choices)s.")
                            % {"format": wanted[:20], "choices": ", ".join(offered)}
                        ]
                    }
                )
            renderer = renderers[offered.index(wanted)]
            return renderer, renderer.media_type
        ranges = accept_ranges(request.META.get("HTTP_ACCEPT", ""))
        if not ranges:
            return renderers[0], renderers[0].media_type
        best, best_q = None, 0.0
        for renderer in renderers:
            q = quality(renderer.media_type, ranges)
            if q > best_q:
                best, best_q = renderer, q
        if best is None:
            raise exceptions.NotAcceptable(available_renderers=renderers)
        return best, best.media_type


def accept_ranges(header: str) -> list[tuple[str, str, float]]:
    """The media ranges of an Accept header as (type, subtype, q); malformed ones left out."""
    ranges = []
    for part in header.split(",")[:50]:
        media, *params = (piece.strip() for piece in part.split(";"))
        kind, slash, subtype = media.lower().partition("/")
        if not slash or not kind or not subtype:
            continue
        q = 1.0
        for param in params:
            name, _equals, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = -1.0
        if 0.0 <= q <= 1.0:
            ranges.append((kind, subtype, q))
    return ranges


def quality(media_type: str, ranges) -> float:
    """The q the ranges give `media_type`: that of the most specific range matching it."""
    kind, _slash, subtype = media_type.lower().partition("/")
    found, specificity = 0.0, -1
    for range_kind, range_subtype, q in ranges:
        if (range_kind, range_subtype) == (kind, subtype):
            level = 2
        elif (range_kind, range_subtype) == (kind, "*"):
            level = 1
        elif (range_kind, range_subtype) == ("*", "*"):
            level = 0
        else:
            continue
        if level > specificity or (level == specificity and q > found):
            found, specificity = q, level
    return found


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv", "geojson", "jsonld"],
    description=(
        "Response format (the Accept header works too): json (default), csv, geojson "
        "(RFC 7946 FeatureCollection), jsonld (schema.org Organization, ESSGlobal terms)."
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
