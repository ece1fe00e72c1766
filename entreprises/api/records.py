"""The JSON list's enterprises, written as JSON texts by PostgreSQL in the page's one query.

DRF's serializer spends about 0.6 ms of Python per enterprise, and a record built from a
`.values()` row still 0.1 ms (a call per field, a dict per sector link): most of a cold page
of 100. The serializer stays the one declaration of a record: each of its fields, in its
order, becomes here an SQL expression writing that field's JSON as DRF and the renderer
write it (compact, same keys, numbers, dates and escapes); the sectors are aggregated per
record in the same query. A field of a kind this module cannot write stops the first list
at once, and tests/api/test_fast_records.py holds both outputs equal to the byte.
"""

import re
from functools import cache, lru_cache

import orjson
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from common.api.languages import LANGUAGE_CODES, TranslatedField
from common.api.links import Linked, LinkedWithPage, absolute_url
from entreprises.api.formats import media_prefix
from entreprises.api.serializers import EnterpriseSerializer
from entreprises.models import Enterprise, EnterpriseSector, Sector
from entreprises.selectors import SECTOR_LINK_ORDER

# Fields whose value is an object, a query or a method's: not a column of a row.
_NOT_FROM_A_ROW = (
    serializers.BaseSerializer,
    serializers.SerializerMethodField,
    serializers.RelatedField,
    serializers.ManyRelatedField,
    TranslatedField,  # a subclass of it, which may write something else
)
# A serializer method SQL can stand in for: (method name, the class that defines it).
_LINK_METHODS = {"url": ("get_url", Linked), "web_url": ("get_web_url", LinkedWithPage)}
_SECTOR_FIELDS = ["slug", "url", "name", "is_primary"]
# What DRF writes as str(value).
_TEXTS = frozenset(
    {serializers.CharField, serializers.SlugField, serializers.URLField, serializers.EmailField}
)
# What DRF writes as the value itself: a text, a choice, a whole number, a boolean.
_AS_IS = _TEXTS | frozenset(
    {
        serializers.ChoiceField,
        serializers.IntegerField,
        serializers.BooleanField,
    }
)
# What depends on the request (its host, ?lang=) is written into the SQL as a token, then
# replaced by its literal: the SQL itself is written once per language.
_TOKEN = re.compile("\x00([^\x00]*)\x00")
_MEDIA = "\x00media\x00"
_PAGE = "\x00page\x00"
_KEY = "KEY-PLACEHOLDER"


def enterprise_records(
    rows, context: dict, *, ordering: tuple[str, ...], serializer_class=EnterpriseSerializer
) -> list[dict]:
    """The page `rows` (a sliced queryset of enterprises, in `ordering`) as dicts of the
    ordering's values and `json`, each record's text as the serializer's data renders."""
    plan = _plan(serializer_class, context.get("lang"), ordering)
    rows = rows.values(*plan.columns)
    page_sql, params = rows.query.sql_with_params()
    database = connections[rows.db]  # the replica's, for an anonymous read (chantier.routers)
    sql = plan.sql(context).replace(_PAGE, database.ops.compose_sql(page_sql, params))
    with database.cursor() as cursor:
        cursor.execute(sql)
        return [dict(zip((*ordering, "json"), row, strict=True)) for row in cursor.fetchall()]


def json_array(records: list[dict]) -> str:
    return "[" + ",".join(record["json"] for record in records) + "]"


@cache
def _plan(serializer_class, lang: str | None, ordering: tuple[str, ...]) -> "RecordSQL":
    return RecordSQL(serializer_class(), lang=lang, ordering=ordering)


class RecordSQL:
    """The query writing `serializer`'s records of a page of its model's rows (aliased e)."""

    def __init__(self, serializer, *, lang: str | None, ordering: tuple[str, ...]):
        self.lang = lang
        self.model = serializer.Meta.model
        self.columns = []
        self.joins = []
        record = self.object_sql(serializer, "e", self.model, top=True)
        order = ", ".join(f"e.{self._column(self.model, name)}" for name in ordering)
        self.template = (
            f"SELECT {order}, {record}\nFROM ({_PAGE}) AS e\n"
            + "".join(f"{join}\n" for join in self.joins)
            + f"ORDER BY {order}"
        )

    def sql(self, context: dict) -> str:
        """The query, the request's addresses written in."""

        def literal(match):
            name = match[1]
            if name == "page":
                return _PAGE
            if name == "media":
                return _quoted(media_prefix(context))
            url_name, lookup = name.split(" ")
            return _quoted(absolute_url(context, url_name, _KEY, lookup=lookup))

        return _TOKEN.sub(literal, self.template)

    # ------------------------------------------------------------ fields

    def object_sql(self, serializer, alias: str, model, *, top: bool = False) -> str:
        if type(serializer).to_representation is not serializers.Serializer.to_representation:
            raise ImproperlyConfigured(
                f"{type(serializer).__name__} writes its own representation."
            )
        pairs = []
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            if top and name in SPECIALS:
                value = SPECIALS[name](self, field)
            else:
                value = self.field_sql(serializer, name, field, alias, model)
            pairs.append((name, value))
        return _object(pairs)

    def field_sql(self, serializer, name: str, field, alias: str, model) -> str:
        if type(field) is TranslatedField:
            return self.translated(alias, model, name)
        if _is_link(serializer, name, field):
            url_name = getattr(serializer, "url_name" if name == "url" else "page_url_name")
            column = f"{alias}.{self._column(model, serializer.lookup)}"
            return _json(self.link(url_name, column, serializer.lookup))
        if isinstance(field, Linked):
            return self.nested(field, model)
        if isinstance(field, _NOT_FROM_A_ROW):
            raise ImproperlyConfigured(
                f"{type(serializer).__name__}.{name} cannot be read from a row: "
                "teach entreprises/api/records.py how, or leave the list to the serializer."
            )
        model_field = model._meta.get_field(field.source)
        column = f"{alias}.{self._column(model, field.source)}"
        kind = type(field)
        if kind is serializers.BigIntegerField and not getattr(
            field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING
        ):
            return _json(column)
        if kind in _TEXTS:
            return _json(f"{column}::text")
        if kind in _AS_IS or (kind is serializers.ListField and type(field.child) in _AS_IS):
            return _json(column)
        if kind is serializers.FloatField and model_field.get_internal_type() == "DecimalField":
            return _float(column, model_field)
        if kind is serializers.DateField and _iso(field, api_settings.DATE_FORMAT):
            return _json(column)  # PostgreSQL writes a date in JSON as YYYY-MM-DD
        if (
            kind is serializers.DateTimeField
            and _iso(field, api_settings.DATETIME_FORMAT)
            and getattr(field, "timezone", None) is None  # the API's: UTC (ApiViewMixin)
        ):
            return _utc_datetime(column)
        if kind is serializers.JSONField and not field.binary:
            # Compact: json_strip_nulls writes without spaces, and the opening hours, the
            # one JSON column shown, hold no null (entreprises.opening_hours.validate).
            return f"coalesce(json_strip_nulls({column}::json)::text, 'null')"
        raise ImproperlyConfigured(
            f"{type(serializer).__name__}.{name} ({kind.__name__}) is not written by "
            "entreprises/api/records.py: teach it how, or leave the list to the serializer."
        )

    def translated(self, alias: str, model, name: str) -> str:
        """As common.api.languages.language_map_or_text writes it."""
        columns = {
            code: f"{alias}.{self._column(model, f'{name}_{code}')}" for code in LANGUAGE_CODES
        }
        if self.lang is None:
            return _object([(code, _json(f"coalesce({c}, '')")) for code, c in columns.items()])
        default = columns[settings.MODELTRANSLATION_DEFAULT_LANGUAGE]
        return _json(f"coalesce(nullif({columns[self.lang]}, ''), {default}, '')")

    def link(self, url_name: str, key: str, lookup: str = "slug") -> str:
        """As common.api.links.absolute_url writes it: its template, the key put in."""
        return f"replace(\x00{url_name} {lookup}\x00, '{_KEY}', {key}::text)"

    def nested(self, field, model) -> str:
        """A summary of a related object (the pole, the region), or null."""
        relation = model._meta.get_field(field.source)
        related = relation.related_model
        alias = f"j_{relation.name}"
        key = self._column(model, relation.name)
        self.joins.append(
            f"LEFT JOIN {related._meta.db_table} AS {alias} "
            f"ON {alias}.{related._meta.pk.column} = e.{key}"
        )
        inner = self.object_sql(field, alias, related)
        return f"CASE WHEN e.{key} IS NULL THEN 'null' ELSE {inner} END"

    def _column(self, model, name: str) -> str:
        """`name`'s column; the enterprise's are read by the page's query, named as there."""
        field = model._meta.get_field(name)
        if model is not self.model:
            return field.column
        if field.attname not in self.columns:
            self.columns.append(field.attname)
        return field.attname


def _is_link(serializer, name: str, field) -> bool:
    """`url` or `web_url` as Linked writes them (not overridden by the serializer)."""
    if name not in _LINK_METHODS or not isinstance(field, serializers.SerializerMethodField):
        return False
    method, owner = _LINK_METHODS[name]
    return isinstance(serializer, owner) and getattr(type(serializer), method) is getattr(
        owner, method
    )


def _iso(field, default: str | None) -> bool:
    return getattr(field, "format", default) == ISO_8601


# ------------------------------------------------------------ JSON in SQL


@lru_cache(maxsize=256)
def _quoted(text: str) -> str:
    """An address as an SQL literal (a few per host and language)."""
    return connection.ops.compose_sql("%s", [text])


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _json(expression: str) -> str:
    """A value's JSON text: PostgreSQL escapes strings as Python's json does (\\u00XX in
    lower case); U+2028 and U+2029 are escaped by the renderer, for the whole body."""
    return f"coalesce(to_json({expression})::text, 'null')"


def _object(pairs: list[tuple[str, str]]) -> str:
    """A JSON object of (key, SQL of the value's JSON text) pairs, in their order."""
    if not pairs:
        return _literal("{}")
    pieces, separator = [], "{"
    for key, value in pairs:
        pieces += [_literal(separator + orjson.dumps(key).decode() + ":"), value]
        separator = ","
    pieces.append(_literal("}"))
    return _concat(pieces)


# A function takes at most 100 arguments in PostgreSQL.
_MOST_ARGUMENTS = 100


def _concat(pieces: list[str]) -> str:
    """The pieces (none NULL) joined: concat() copies each once, where `||` copied the
    growing text at every piece (a quarter of the page's time in PostgreSQL)."""
    while len(pieces) > _MOST_ARGUMENTS:
        pieces = [
            _concat(pieces[start : start + _MOST_ARGUMENTS])
            for start in range(0, len(pieces), _MOST_ARGUMENTS)
        ]
    return "concat(" + ", ".join(pieces) + ")"


def _float(column: str, model_field) -> str:
    """A decimal as float() then the renderer write it: its digits without trailing zeros,
    `.0` when whole. Exact for up to 15 digits, and without exponent (which Python writes
    below 1e-4) for the coordinates, kept inside Québec by a constraint."""
    if model_field.max_digits > 15:
        raise ImproperlyConfigured(f"{model_field} has too many digits to be written as a float.")
    trimmed = f"trim_scale({column})"
    whole = f"CASE WHEN scale({trimmed}) = 0 THEN '.0' ELSE '' END"
    return f"coalesce({trimmed}::text || {whole}, 'null')"


def _utc_datetime(column: str) -> str:
    """As DRF writes a moment in UTC: ISO 8601, microseconds when not zero, then Z."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"""CASE WHEN {column} IS NULL THEN 'null' ELSE """
        f"""'"' || to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS') """
        f"""|| CASE WHEN to_char({utc}, 'US') = '000000' THEN '' ELSE to_char({utc}, '.US') END """
        f"""|| 'Z"' END"""
    )


# ------------------------------------------------------------ the enterprise's own


def _sectors(plan: RecordSQL, field) -> str:
    """The sector links, aggregated per record (LATERAL) in the links' order."""
    child = field.child
    if list(child.fields) != _SECTOR_FIELDS:
        raise ImproperlyConfigured(
            f"{type(child).__name__} has changed: entreprises/api/records.py writes "
            f"{_SECTOR_FIELDS}."
        )
    link = _object(
        [
            ("slug", _json("sector.slug")),
            ("url", _json(plan.link(child.url_name, "sector.slug"))),
            ("name", plan.translated("sector", Sector, "name")),
            ("is_primary", _json("link.is_primary")),
        ]
    )
    order = ", ".join(_link_order(name) for name in SECTOR_LINK_ORDER)
    plan.joins.append(
        f"""LEFT JOIN LATERAL (
  SELECT string_agg({link}, ',' ORDER BY {order}) AS json
  FROM {EnterpriseSector._meta.db_table} AS link
  JOIN {Sector._meta.db_table} AS sector ON sector.id = link.sector_id
  WHERE link.enterprise_id = e.id
) AS sectors ON true"""  # noqa: S608 (names of our models; no input)
    )
    return "'[' || coalesce(sectors.json, '') || ']'"


def _link_order(name: str) -> str:
    """An ordering of EnterpriseSector's (`-is_primary`, `sector__slug`) in the SQL's aliases."""
    column = name.removeprefix("-")
    column = f"sector.{column[8:]}" if column.startswith("sector__") else f"link.{column}"
    return column + (" DESC" if name.startswith("-") else "")


def _image(plan: RecordSQL, field) -> str:
    """entreprises.linked_data.image_urls: the stored names after the media address (names
    entreprises/images.py writes from slugs, which need no escaping in an address)."""
    small, large = (
        f"e.{plan._column(Enterprise, name)}" for name in ("image_small", "image_large")
    )
    urls = _object(
        [("small", _json(f"{_MEDIA} || {small}")), ("large", _json(f"{_MEDIA} || {large}"))]
    )
    return f"CASE WHEN coalesce({large}, '') = '' THEN 'null' ELSE {urls} END"


# The enterprise's fields no serializer field says how to read: its sector links and its
# image's two files.
SPECIALS = {"sectors": _sectors, "image": _image}
