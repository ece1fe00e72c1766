"""Enterprises as CSV rows, GeoJSON features and JSON-LD nodes.

The whole directory is written record by record: rows are read from a
server-side cursor in chunks, and each chunk's sectors in one query, so memory
stays flat whatever the number of enterprises.
"""

from django.db import connection

from common.api.languages import LANGUAGE_CODES, translated
from common.api.links import absolute_url
from entreprises.api.serializers import ESSGLOBAL_ACTIVITIES

TRANSLATED = ("name", "description", "mission")
CSV_HEADER = [
    "id",
    "slug",
    *(f"{field}_{code}" for field in TRANSLATED for code in LANGUAGE_CODES),
    "legal_form",
    "cooperative_type",
    "neq",
    "primary_sector",
    "sectors",
    *(f"sectors_{code}" for code in LANGUAGE_CODES),
    "pole",
    "region",
    "street_address",
    "city",
    "postal_code",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "founded_year",
    "employees",
    "status",
    "created_at",
    "updated_at",
    "url",
    "web_url",
]

# Several values in one CSV cell (sectors) are separated by this.
JOINER = " | "


# The CSV is written by PostgreSQL itself (COPY ... TO STDOUT): the rows, the joined
# sectors and the quoting never pass through Python objects, so the whole directory
# streams in seconds with flat memory. Columns in the order of CSV_HEADER.
CSV_COPY_SQL = """
COPY (
SELECT e.id, e.slug,
  {texts},
  e.legal_form, e.cooperative_type, e.neq,
  s.primary_sector, s.slugs, {sector_names},
  p.slug, r.code,
  e.street_address, e.city, e.postal_code, e.latitude, e.longitude,
  e.phone, e.email, e.website, e.founded_year, e.employees, e.status,
  to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
  to_char(e.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
  {api_prefix} || e.slug || {api_suffix},
  {web_prefix} || e.slug || {web_suffix}
FROM entreprises_enterprise AS e
LEFT JOIN poles_pole AS p ON p.id = e.pole_id
LEFT JOIN poles_region AS r ON r.id = e.region_id
LEFT JOIN (
  SELECT link.enterprise_id,
    max(sector.slug) FILTER (WHERE link.is_primary) AS primary_sector,
    string_agg(sector.slug, ' | ' {order}) AS slugs,
    {sector_aggregates}
  FROM entreprises_enterprisesector AS link
  JOIN entreprises_sector AS sector ON sector.id = link.sector_id
  GROUP BY link.enterprise_id
) AS s ON s.enterprise_id = e.id
WHERE e.id IN ({ids})
ORDER BY e.updated_at, e.id
) TO STDOUT WITH (FORMAT csv)
"""
_SECTOR_ORDER = "ORDER BY link.is_primary DESC, sector.position, sector.slug"
COPY_BUFFER_BYTES = 64 * 1024


def csv_copy(queryset, context: dict):
    """The CSV rows of `queryset` (without the header), in blocks of about 64 kB."""
    sql = CSV_COPY_SQL.format(
        texts=", ".join(f"e.{f}_{code}" for f in TRANSLATED for code in LANGUAGE_CODES),
        sector_names=", ".join(f"s.names_{code}" for code in LANGUAGE_CODES),
        sector_aggregates=",\n    ".join(
            f"string_agg(coalesce(nullif(sector.name_{code}, ''), sector.name_fr), ' | ' "
            f"{_SECTOR_ORDER}) AS names_{code}"
            for code in LANGUAGE_CODES
        ),
        order=_SECTOR_ORDER,
        **_query_parts(queryset, context),
    )
    buffer = bytearray()
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for block in copy:
            buffer += block
            if len(buffer) >= COPY_BUFFER_BYTES:
                yield bytes(buffer)
                buffer.clear()
    if buffer:
        yield bytes(buffer)


def tombstone_csv_row(tombstone: dict) -> list:
    row = dict.fromkeys(CSV_HEADER, "")
    row.update(
        id=tombstone["id"],
        slug=tombstone["slug"],
        status=tombstone["status"],
        updated_at=tombstone["updated_at"].isoformat(),
    )
    return list(row.values())


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
    'slug', e.slug,
    'name', {name},
    'legal_form', e.legal_form,
    'cooperative_type', e.cooperative_type,
    'sectors', coalesce(s.slugs, '[]'::json),
    'pole', p.slug,
    'region', r.code,
    'street_address', e.street_address,
    'city', e.city,
    'postal_code', e.postal_code,
    'website', e.website,
    'status', e.status,
    'updated_at', to_char(e.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
    'url', {api_prefix} || e.slug || {api_suffix},
    'web_url', {web_prefix} || e.slug || {web_suffix}
  )
)::text
FROM entreprises_enterprise AS e
LEFT JOIN poles_pole AS p ON p.id = e.pole_id
LEFT JOIN poles_region AS r ON r.id = e.region_id
LEFT JOIN (
  SELECT link.enterprise_id, json_agg(sector.slug {order}) AS slugs
  FROM entreprises_enterprisesector AS link
  JOIN entreprises_sector AS sector ON sector.id = link.sector_id
  GROUP BY link.enterprise_id
) AS s ON s.enterprise_id = e.id
WHERE e.id IN ({ids})
ORDER BY e.updated_at, e.id
"""
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
    sql = GEOJSON_SQL.format(name=name, order=_SECTOR_ORDER, **_query_parts(queryset, context))
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(FETCH_SIZE):
            for (feature,) in rows:
                yield feature


def _query_parts(queryset, context: dict) -> dict:
    """The enterprises' ids (as a subquery) and the address templates, as SQL literals."""
    ids_sql, params = queryset.order_by().values("id").query.sql_with_params()
    compose = connection.ops.compose_sql
    api = absolute_url(context, "api:enterprise-detail", "\x00").split("\x00")
    web = absolute_url(context, "entreprises:detail", "\x00").split("\x00")
    return {
        "ids": compose(ids_sql, params),
        "api_prefix": compose("%s", [api[0]]),
        "api_suffix": compose("%s", [api[1]]),
        "web_prefix": compose("%s", [web[0]]),
        "web_suffix": compose("%s", [web[1]]),
    }


def tombstone_feature(tombstone: dict) -> dict:
    return {
        "type": "Feature",
        "id": tombstone["id"],
        "geometry": None,
        "properties": {
            "slug": tombstone["slug"],
            "status": tombstone["status"],
            "updated_at": tombstone["updated_at"].isoformat(),
        },
    }


# ---------------------------------------------------------------- JSON-LD


def json_ld_context(lang: str | None) -> dict:
    """An inline context: schema.org terms, plus ESSGlobal's where it has one."""
    context = {
        "@vocab": "http://schema.org/",
        "essglobal": "http://purl.org/essglobal/vocab/",
        "essglobal:economicSector": {"@type": "@id"},
        "url": {"@type": "@id"},
        "sameAs": {"@type": "@id"},
    }
    if lang:
        context["@language"] = lang
    return context


def organization_node(enterprise, context: dict) -> dict:
    """A schema.org Organization for one enterprise (a model instance with its sectors)."""
    lang = context.get("lang")
    links = getattr(enterprise, "api_sector_links", [])
    url = absolute_url(context, "api:enterprise-detail", enterprise.slug)
    node = {
        "@id": url,
        "@type": "Organization",
        "identifier": enterprise.slug,
        "name": _ld_text(enterprise, "name", lang),
        "description": _ld_text(enterprise, "description", lang),
        "url": absolute_url(context, "entreprises:detail", enterprise.slug),
        "sameAs": enterprise.website or None,
        "taxID": enterprise.neq or None,
        "telephone": enterprise.phone or None,
        "email": enterprise.email or None,
        "foundingDate": str(enterprise.founded_year) if enterprise.founded_year else None,
        "numberOfEmployees": (
            {"@type": "QuantitativeValue", "value": enterprise.employees}
            if enterprise.employees is not None
            else None
        ),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": enterprise.street_address or None,
            "addressLocality": enterprise.city or None,
            "postalCode": enterprise.postal_code or None,
            "addressRegion": "QC",
            "addressCountry": "CA",
        },
        "dateModified": enterprise.updated_at.isoformat(),
        "knowsAbout": [_ld_text(link.sector, "name", lang) for link in links] or None,
        "essglobal:legalForm": enterprise.legal_form,
        "essglobal:economicSector": [
            ESSGLOBAL_ACTIVITIES + link.sector.essglobal_code
            for link in links
            if link.sector.essglobal_code
        ]
        or None,
        "essglobal:mission": _ld_text(enterprise, "mission", lang),
    }
    if enterprise.latitude is not None:
        node["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(enterprise.latitude),
            "longitude": float(enterprise.longitude),
        }
    return _without_empty(node)


def _ld_text(obj, field: str, lang: str | None):
    if lang:
        return translated(obj, field, lang) or None
    return [
        {"@value": value, "@language": code}
        for code in LANGUAGE_CODES
        if (value := getattr(obj, f"{field}_{code}"))
    ] or None


def _without_empty(value):
    if isinstance(value, dict):
        cleaned = {k: _without_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    return value
