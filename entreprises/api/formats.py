"""Enterprises as CSV rows, GeoJSON features and JSON-LD nodes.

The whole directory is written record by record: rows are read from a
server-side cursor in chunks, and each chunk's sectors in one query, so memory
stays flat whatever the number of enterprises.
"""

from collections import defaultdict
from itertools import islice
from operator import itemgetter

from django.db import connection

from chantier.api_common import LANGUAGE_CODES, absolute_url, translated
from entreprises.api.serializers import ESSGLOBAL_ACTIVITIES

CHUNK_SIZE = 2000

TRANSLATED = ("name", "description", "mission")
COLUMNS = (
    "id",
    "slug",
    *(f"{field}_{code}" for field in TRANSLATED for code in LANGUAGE_CODES),
    "legal_form",
    "cooperative_type",
    "neq",
    "pole__slug",
    "region__code",
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
)

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


class Record(dict):
    """One enterprise as read by `records()`: its columns and its sectors."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def records(queryset, *, chunk_size: int = CHUNK_SIZE):
    """Every enterprise of `queryset` as a Record, in its order, chunk by chunk."""
    rows = queryset.values(*COLUMNS).iterator(chunk_size=chunk_size)
    while chunk := list(islice(rows, chunk_size)):
        sectors = sectors_of([row["id"] for row in chunk])
        for row in chunk:
            yield Record(row, sectors=sectors.get(row["id"], []))


SECTORS_SQL = """
SELECT link.enterprise_id, link.is_primary, sector.slug, sector.essglobal_code, {names}
FROM entreprises_enterprisesector AS link
JOIN entreprises_sector AS sector ON sector.id = link.sector_id
WHERE link.enterprise_id = ANY(%s)
ORDER BY link.enterprise_id, link.is_primary DESC, sector.position, sector.slug
"""


def sectors_of(ids: list[int]) -> dict[int, list[dict]]:
    """The sectors of these enterprises, primary first, in one query (one array parameter)."""
    names = ", ".join(f"sector.name_{code}" for code in LANGUAGE_CODES)
    found = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(SECTORS_SQL.format(names=names), [ids])
        for enterprise_id, is_primary, slug, essglobal_code, *names in cursor.fetchall():
            found[enterprise_id].append(
                {
                    "slug": slug,
                    "is_primary": is_primary,
                    "essglobal_code": essglobal_code,
                    **{
                        f"name_{code}": name
                        for code, name in zip(LANGUAGE_CODES, names, strict=True)
                    },
                }
            )
    return found


_TEXTS = itemgetter(*(f"{field}_{code}" for field in TRANSLATED for code in LANGUAGE_CODES))
_ADDRESS = itemgetter("street_address", "city", "postal_code")
_CONTACT = itemgetter("phone", "email", "website")


def csv_row(record: Record, context: dict) -> list:
    sectors = record["sectors"]
    primary = next((s["slug"] for s in sectors if s["is_primary"]), "")
    slug = record["slug"]
    return [
        record["id"],
        slug,
        *(text or "" for text in _TEXTS(record)),
        record["legal_form"],
        record["cooperative_type"],
        record["neq"],
        primary,
        JOINER.join(s["slug"] for s in sectors),
        *(
            JOINER.join(s[f"name_{code}"] or s["name_fr"] for s in sectors)
            for code in LANGUAGE_CODES
        ),
        record["pole__slug"] or "",
        record["region__code"] or "",
        *_ADDRESS(record),
        _blank_if_none(record["latitude"]),
        _blank_if_none(record["longitude"]),
        *_CONTACT(record),
        _blank_if_none(record["founded_year"]),
        _blank_if_none(record["employees"]),
        record["status"],
        record["created_at"].isoformat(),
        record["updated_at"].isoformat(),
        absolute_url(context, "api:enterprise-detail", slug),
        absolute_url(context, "entreprises:detail", slug),
    ]


def _blank_if_none(value):
    return "" if value is None else value


def tombstone_csv_row(tombstone: dict) -> list:
    row = dict.fromkeys(CSV_HEADER, "")
    row.update(
        id=tombstone["id"],
        slug=tombstone["slug"],
        status=tombstone["status"],
        updated_at=tombstone["updated_at"].isoformat(),
    )
    return list(row.values())


def geojson_feature(record: Record, context: dict) -> dict:
    """An RFC 7946 Feature: longitude first; no geometry when the place is unknown."""
    lang = context.get("lang")
    geometry = None
    if record.latitude is not None:
        geometry = {
            "type": "Point",
            "coordinates": [float(record.longitude), float(record.latitude)],
        }
    return {
        "type": "Feature",
        "id": record.id,
        "geometry": geometry,
        "properties": {
            "slug": record.slug,
            "name": _text(record, "name", lang),
            "legal_form": record.legal_form,
            "cooperative_type": record.cooperative_type,
            "sectors": [s["slug"] for s in record.sectors],
            "pole": record.pole__slug,
            "region": record.region__code,
            "street_address": record.street_address,
            "city": record.city,
            "postal_code": record.postal_code,
            "website": record.website,
            "status": record.status,
            "updated_at": record.updated_at.isoformat(),
            "url": absolute_url(context, "api:enterprise-detail", record.slug),
            "web_url": absolute_url(context, "entreprises:detail", record.slug),
        },
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


def _text(record, field, lang):
    values = {code: record[f"{field}_{code}"] or "" for code in LANGUAGE_CODES}
    if lang is None:
        return values
    return values[lang] or values["fr"]


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
