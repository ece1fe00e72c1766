"""The formats an endpoint offers (JSON, GeoJSON, JSON-LD, CSV) and streamed bodies."""

import csv
import io

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer


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
