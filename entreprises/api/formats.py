"""Enterprises as CSV rows, GeoJSON features and JSON-LD nodes.

The whole directory is written record by record: rows are read from a
server-side cursor in chunks, and each chunk's sectors in one query, so memory
stays flat whatever the number of enterprises.
"""

from django.core.files.storage import default_storage
from django.db import connection, connections

from common.api.languages import LANGUAGE_CODES
from common.api.links import absolute_url
from common.tombstones import Tombstone
from entreprises import linked_data
from entreprises.columns import (
    API_CSV,
    API_JOINER,
    COLUMNS,
    GEOJSON_PROPERTIES,
    neutralised,
    select_list,
)

# The CSV's header: the API's selection of the enterprise's columns (entreprises/columns.py),
# then why a tombstone row left the directory (empty on the rows of records).
CSV_HEADER = [*API_CSV, "reason"]

# The joins every file PostgreSQL writes reads its columns from: e, p, r and s. The
# sectors are aggregated per enterprise written (LATERAL), not over every link of the
# directory and then joined: a pole's sector read 175,000 links for 2,000 rows. The
# enterprises are the queryset's own rows, which PostgreSQL reads once: found by id
# (`e.id IN (...)`), each was read again, and the plan went parallel (20 of 58 ms).
_FROM_SQL = """
FROM ({{enterprises}}) AS e
LEFT JOIN poles_pole AS p ON p.id = e.pole_id
LEFT JOIN poles_region AS r ON r.id = e.region_id
LEFT JOIN LATERAL (
  SELECT {sector_aggregates}
  FROM entreprises_enterprisesector AS link
  JOIN entreprises_sector AS sector ON sector.id = link.sector_id
  WHERE link.enterprise_id = e.id
) AS s ON true
ORDER BY e.updated_at, e.id
"""
_SECTOR_ORDER = "ORDER BY link.is_primary DESC, sector.position, sector.slug"


def _text_aggregate(expression: str) -> str:
    joiner = connection.ops.compose_sql("%s", [API_JOINER])
    return f"string_agg({expression}, {joiner} {_SECTOR_ORDER})"


# The CSV is written by PostgreSQL itself (COPY ... TO STDOUT): the rows, the joined
# sectors and the quoting never pass through Python objects, so the whole directory
# streams in seconds with flat memory. Text cells are neutralised against formulas.
def _csv_copy_sql(*, reason_column: bool) -> str:
    aggregates = [
        "max(sector.slug) FILTER (WHERE link.is_primary) AS primary_sector",
        _text_aggregate("sector.slug") + " AS slugs",
        *(
            _text_aggregate(f"coalesce(nullif(sector.name_{code}, ''), sector.name_fr)")
            + f" AS names_{code}"
            for code in LANGUAGE_CODES
        ),
    ]
    from_sql = _FROM_SQL.format(sector_aggregates=",\n    ".join(aggregates))
    select = select_list(API_CSV, neutralise=True) + (", NULL" if reason_column else "")
    return f"COPY (\nSELECT {select}{from_sql}) TO STDOUT WITH (FORMAT csv)"


COPY_BUFFER_BYTES = 64 * 1024


def csv_copy(queryset, context: dict, *, reason_column: bool = True):
    """The CSV rows of `queryset` (without the header), in blocks of about 64 kB; the last
    column, `reason`, empty (tombstones fill it), unless `reason_column` is False."""
    sql = _csv_copy_sql(reason_column=reason_column).format(**_query_parts(queryset, context))
    buffer = bytearray()
    with connections[queryset.db].cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for block in copy:
            buffer += block
            if len(buffer) >= COPY_BUFFER_BYTES:
                yield bytes(buffer)
                buffer.clear()
    if buffer:
        yield bytes(buffer)


def tombstone_csv_row(tombstone: Tombstone) -> list:
    row = dict.fromkeys(CSV_HEADER, "")
    row.update(
        id=tombstone.id,
        slug=tombstone.slug,
        status=tombstone.status,
        updated_at=tombstone.updated_at.isoformat(),
        reason=tombstone.reason,
    )
    # The same rule as the COPY's (a slug may start with "-").
    return [
        neutralised(str(value)) if name in COLUMNS and COLUMNS[name].text else value
        for name, value in row.items()
    ]


# Features are built by PostgreSQL (json_build_object) and read from a server-side
# cursor as text: Python only joins them, so memory stays flat and the work is light.
GEOJSON_SQL = """
SELECT json_build_object(
  'type', 'Feature',
  'id', e.id,
  'geometry', CASE WHEN e.latitude IS NULL THEN NULL ELSE json_build_object(
    'type', 'Point', 'coordinates', json_build_array(e.longitude::float8, e.latitude::float8)
  ) END,
  'properties', json_build_object(
    {properties}
  )
)::text"""


def _geojson_sql(*, name: str) -> str:
    # GeoJSON gives the name, the sectors, the hours and the customers as JSON (a map of
    # languages, a list of slugs, the hours as the JSON API gives them, a list of codes).
    as_json = {
        "name": name,
        "sectors": "coalesce(s.slugs, '[]'::json)",
        "opening_hours": "e.opening_hours",
        "sells_to": "to_json(e.sells_to)",
    }
    properties = ",\n    ".join(
        f"'{key}', {as_json.get(key) or COLUMNS[key].sql_value}" for key in GEOJSON_PROPERTIES
    )
    from_sql = _FROM_SQL.format(sector_aggregates=f"json_agg(sector.slug {_SECTOR_ORDER}) AS slugs")
    return GEOJSON_SQL.format(properties=properties) + from_sql


FETCH_SIZE = 2000


def geojson_features(queryset, context: dict):
    """The RFC 7946 Features of `queryset` as JSON texts, longitude first."""
    lang = context.get("lang")
    if lang:
        name = f"coalesce(nullif(e.name_{lang}, ''), e.name_fr)"
    else:
        name = "json_build_object({})".format(
            ", ".join(f"'{code}', coalesce(e.name_{code}, '')" for code in LANGUAGE_CODES)
        )
    sql = _geojson_sql(name=name).format(**_query_parts(queryset, context))
    # The queryset's database: the replica for an anonymous read (chantier.routers).
    with connections[queryset.db].chunked_cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(FETCH_SIZE):
            for (feature,) in rows:
                yield feature


def _query_parts(queryset, context: dict) -> dict:
    """The enterprises' rows (a subquery) and the address templates, as SQL literals."""
    rows_sql, params = queryset.order_by().select_related(None).query.sql_with_params()
    compose = connection.ops.compose_sql
    api = absolute_url(context, "api:enterprise-detail", "\x00").split("\x00")
    web = absolute_url(context, "entreprises:detail", "\x00").split("\x00")
    return {
        "media_prefix": compose("%s", [media_prefix(context)]),
        "enterprises": compose(rows_sql, params),
        "api_prefix": compose("%s", [api[0]]),
        "api_suffix": compose("%s", [api[1]]),
        "web_prefix": compose("%s", [web[0]]),
        "web_suffix": compose("%s", [web[1]]),
    }


def media_prefix(context: dict) -> str:
    """What comes before a stored file's name in its absolute address."""
    url = default_storage.url("x")[:-1]
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None and url.startswith("/") else url


def tombstone_feature(tombstone: Tombstone) -> dict:
    return {
        "type": "Feature",
        "id": tombstone.id,
        "geometry": None,
        "properties": {
            "slug": tombstone.slug,
            "status": tombstone.status,
            "reason": tombstone.reason,
            "updated_at": tombstone.updated_at.isoformat(),
        },
    }


# ---------------------------------------------------------------- JSON-LD


def organization_node(enterprise, context: dict) -> dict:
    """The page's schema.org node (entreprises.linked_data) of a record with its sectors."""
    return linked_data.organization_node(
        enterprise,
        sectors=[link.sector for link in getattr(enterprise, "api_sector_links", [])],
        lang=context.get("lang"),
        api_url=absolute_url(context, "api:enterprise-detail", enterprise.slug),
        page_url=absolute_url(context, "entreprises:detail", enterprise.slug),
    )


# ActivityStreams 2.0 (W3C) has the one standard term for "this resource is gone".
ACTIVITY_STREAMS = "https://www.w3.org/ns/activitystreams#"


def json_ld_context(lang: str | None) -> dict:
    """The pages' context, plus the ActivityStreams terms of tombstones."""
    return {
        **linked_data.json_ld_context(lang),
        "as": ACTIVITY_STREAMS,
        "as:formerType": {"@type": "@vocab"},
        "as:deleted": {"@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
    }


def tombstone_node(tombstone: Tombstone, context: dict) -> dict:
    """A tombstone of a sync as an `as:Tombstone` node with the record's `@id`.

    Its `identifier` is the slug, `as:summary` the reason (archived, deleted,
    unpublished, out_of_filter) and `as:deleted` when it left.
    """
    return {
        "@id": absolute_url(context, "api:enterprise-detail", tombstone.slug),
        "@type": "as:Tombstone",
        "as:formerType": "Organization",
        "identifier": tombstone.slug,
        "as:summary": tombstone.reason,
        "as:deleted": tombstone.updated_at.isoformat(),
    }
