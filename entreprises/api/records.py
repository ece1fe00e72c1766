"""The JSON list's enterprises, built from `.values()` rows rather than by the serializer.

DRF's serializer spends about 0.6 ms of Python per enterprise (a field object, a source
lookup and a call per value, nested serializers for the pole, the region and each
sector): most of a cold page of 100. The serializer stays the one declaration of a
record: its fields, in their order, are read here once and each becomes a small
function of a row; a field of a kind this module cannot read from a row stops the
first list at once, and tests/api/test_fast_records.py holds both outputs equal.
"""

from collections.abc import Callable
from functools import cache
from types import SimpleNamespace

from django.core.exceptions import ImproperlyConfigured
from django.db.models.fields.files import FieldFile
from rest_framework import serializers

from common.api.languages import LANGUAGE_CODES, TranslatedField, language_map_or_text
from common.api.links import Linked, LinkedWithPage, absolute_url
from entreprises.api.serializers import EnterpriseSerializer
from entreprises.linked_data import image_urls
from entreprises.models import Enterprise, EnterpriseSector
from entreprises.selectors import SECTOR_LINK_ORDER

# The fields whose representation of what the database gives is that value itself (a
# str for texts and choices, an int, a bool): no call per value.
_AS_READ = frozenset(
    {
        serializers.CharField,
        serializers.SlugField,
        serializers.URLField,
        serializers.EmailField,
        serializers.ChoiceField,
        serializers.IntegerField,
        serializers.BooleanField,
    }
)
# Fields whose value is an object, a query or a method's: not a column of a row.
_NOT_FROM_A_ROW = (
    serializers.BaseSerializer,
    serializers.SerializerMethodField,
    serializers.RelatedField,
    serializers.ManyRelatedField,
    TranslatedField,  # a subclass of it, which may write something else
)
# A serializer method a row can stand in for: (method name, the class that defines it).
_LINK_METHODS = {"url": ("get_url", Linked), "web_url": ("get_web_url", LinkedWithPage)}
_SECTOR_FIELDS = ["slug", "url", "name", "is_primary"]
_SECTOR_NAMES = [f"sector__name_{code}" for code in LANGUAGE_CODES]

Step = Callable[[dict, dict], object]


def row_columns(*extra: str) -> list[str]:
    """The `.values()` names a record is built from, then `extra` (the paging's keys)."""
    return list(dict.fromkeys([*_plan()[0], *extra]))


def enterprise_records(rows: list[dict], context: dict) -> list[dict]:
    """What `EnterpriseSerializer(..., many=True).data` gives for these rows, in their order;
    their sectors read in one query."""
    _columns, steps, sectors_key = _plan()
    links = _sector_links([row["id"] for row in rows]) if rows else {}
    records = []
    for row in rows:
        row[sectors_key] = links.get(row["id"], ())
        records.append({name: step(row, context) for name, step in steps})
    return records


def _sector_links(ids: list[int]) -> dict[int, list[dict]]:
    links = {}
    rows = (
        EnterpriseSector.objects.filter(enterprise_id__in=ids)
        .order_by(*SECTOR_LINK_ORDER)
        .values("enterprise_id", "is_primary", "sector__slug", *_SECTOR_NAMES)
    )
    for link in rows:
        links.setdefault(link["enterprise_id"], []).append(link)
    return links


@cache
def _plan() -> tuple[list[str], list[tuple[str, Step]], str]:
    serializer = EnterpriseSerializer()
    columns, steps = row_plan(serializer, specials=SPECIALS)
    return columns, steps, serializer.fields["sectors"].source


def row_plan(serializer, *, prefix: str = "", specials=None) -> tuple[list[str], list]:
    """The columns and (key, step) pairs of a serializer's readable fields, in its order;
    `specials` maps a field's name to how it is read (see SPECIALS)."""
    if type(serializer).to_representation is not serializers.Serializer.to_representation:
        raise ImproperlyConfigured(f"{type(serializer).__name__} writes its own representation.")
    columns, steps = [], []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        if specials and name in specials:
            needs, step = specials[name](field)
        elif type(field) is TranslatedField:
            needs = [f"{prefix}{name}_{code}" for code in LANGUAGE_CODES]
            step = _translated(needs)
        elif _is_link(serializer, name, field):
            url_name = getattr(serializer, "url_name" if name == "url" else "page_url_name")
            needs = [prefix + serializer.lookup]
            step = _link(url_name, needs[0], serializer.lookup)
        elif isinstance(field, Linked):
            key = prefix + field.source.replace(".", "__")
            inner_columns, inner_steps = row_plan(field, prefix=key + "__")
            needs, step = [key, *inner_columns], _nested(key, inner_steps)
        elif isinstance(field, _NOT_FROM_A_ROW):
            raise ImproperlyConfigured(
                f"{type(serializer).__name__}.{name} cannot be read from a row: "
                "teach entreprises/api/records.py how, or leave the list to the serializer."
            )
        else:
            needs = [prefix + field.source.replace(".", "__")]
            step = _as_read(needs[0]) if type(field) in _AS_READ else _represented(needs[0], field)
        columns += needs
        steps.append((name, step))
    return columns, steps


def _is_link(serializer, name: str, field) -> bool:
    """`url` or `web_url` as Linked writes them (not overridden by the serializer)."""
    if name not in _LINK_METHODS or not isinstance(field, serializers.SerializerMethodField):
        return False
    method, owner = _LINK_METHODS[name]
    return isinstance(serializer, owner) and getattr(type(serializer), method) is getattr(
        owner, method
    )


def _as_read(column: str) -> Step:
    return lambda row, context: row[column]


def _represented(column: str, field) -> Step:
    represent = field.to_representation

    def step(row, context):
        value = row[column]
        return None if value is None else represent(value)

    return step


def _translated(columns: list[str]) -> Step:
    return lambda row, context: language_map_or_text([row[c] for c in columns], context["lang"])


def _link(url_name: str, column: str, lookup: str) -> Step:
    return lambda row, context: absolute_url(context, url_name, row[column], lookup=lookup)


def _nested(key: str, steps: list) -> Step:
    def step(row, context):
        if row[key] is None:
            return None
        return {name: inner(row, context) for name, inner in steps}

    return step


def _sectors_step(field) -> tuple[list[str], Step]:
    """The sector links, read by `enterprise_records` into the row under the field's source."""
    child = field.child
    if list(child.fields) != _SECTOR_FIELDS:
        raise ImproperlyConfigured(
            f"{type(child).__name__} has changed: entreprises/api/records.py writes "
            f"{_SECTOR_FIELDS}."
        )

    def step(row, context):
        lang = context["lang"]
        return [
            {
                "slug": link["sector__slug"],
                "url": absolute_url(context, child.url_name, link["sector__slug"]),
                "name": language_map_or_text([link[name] for name in _SECTOR_NAMES], lang),
                "is_primary": link["is_primary"],
            }
            for link in row[field.source]
        ]

    return [], step


def _image_step(field) -> tuple[list[str], Step]:
    """The serializer's `get_image` (linked_data.image_urls), given the files a row names."""
    files = {name: Enterprise._meta.get_field(name) for name in ("image_small", "image_large")}

    def step(row, context):
        stored = SimpleNamespace(
            **{name: FieldFile(None, model_field, row[name]) for name, model_field in files.items()}
        )
        return image_urls(stored, request=context.get("request"))

    return list(files), step


# The enterprise's fields no serializer field says how to read: its sector links (read by
# `enterprise_records` in one query for the page) and its image's two files.
SPECIALS = {"sectors": _sectors_step, "image": _image_step}
