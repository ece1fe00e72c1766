"""Sync: `updated_since`, and pages that merge records with tombstones in one order.

Every resource with an `updated_at` is paged by (updated_at, id); with
`updated_since`, what left the public set since then comes as tombstones at
their place in that order, so a partner who follows `next` to the end and keeps
the latest `updated_at` it saw never misses a change.
"""

import datetime
from heapq import merge
from operator import itemgetter

import django_filters
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.response import Response

from common.api.paging import KeysetPagination
from common.tombstones import REASONS, Tombstone


class UtcIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 moment with its time zone, turned into UTC.

    Without a zone the moment is ambiguous (UTC? Montréal?): a 400, not a guess.
    ISO allows offsets PostgreSQL refuses (±16:00 on), hence the conversion.
    """

    default_error_messages = {
        "naive": _(
            "Give the time zone too, e.g. 2026-01-31T12:00:00Z or 2026-01-31T07:00:00-05:00."
        ),
    }

    def to_python(self, value):
        try:
            parsed = parse_datetime(value.strip()) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is None:
            raise ValidationError(self.error_messages["naive"], code="naive")
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:  # past year 9999 once in UTC
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


def updated_since_filter() -> UtcIsoDateTimeFilter:
    return UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gt",
        label=_(
            "Only records changed after this ISO 8601 date and time, with its time zone"
            " (give the latest updated_at of your copy)"
        ),
        error_messages={"invalid": _("Give an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z.")},
    )


class SyncFilter(django_filters.FilterSet):
    """The one filter of the reference resources: `updated_since`."""

    updated_since = updated_since_filter()


class TombstoneSerializer(serializers.Serializer):
    """A record a partner should remove from its copy, and why."""

    id = serializers.IntegerField()
    slug = serializers.CharField()
    reason = serializers.ChoiceField(
        choices=REASONS,
        help_text="archived, deleted, unpublished (back to draft), or out_of_filter (still"
        " public, but no longer matching the filters of this sync).",
    )
    status = serializers.ChoiceField(
        choices=["draft", "published", "archived", "deleted"],
        help_text="What the record is now.",
    )
    updated_at = serializers.DateTimeField(help_text="When it left.")


class SyncPagination(KeysetPagination):
    """Pages of a resource with `updated_since`: also what left it meanwhile."""

    def get_paginated_response_schema(self, schema):
        page = super().get_paginated_response_schema(schema)
        page["required"].append("tombstones")
        page["properties"]["tombstones"] = {
            "type": "array",
            "description": "With updated_since: the records to remove, in the page's order.",
            "items": {"$ref": "#/components/schemas/Tombstone"},
        }
        return page


def merged_page(*, request, paginator, records, tombstones=None):
    """One page of records and tombstones in (updated_at, id) order.

    `records(position, limit)` gives the rows after `position`; `tombstones`, the same
    for tombstones (None outside a sync). Returns the records, the tombstones and
    the next page's address (None on the last page).
    """
    size = paginator.page_size(request)
    position = paginator.position(request)
    entries = [(paginator.key_of(row), row) for row in records(position, size + 1)]
    if tombstones is not None:
        gone = ((t.position, t) for t in tombstones(position, size + 1))
        entries = list(merge(entries, gone, key=itemgetter(0)))
    page, more = entries[:size], len(entries) > size
    next_url = paginator.next_url(request, page[-1][0]) if more else None
    kept = [obj for _key, obj in page if not isinstance(obj, Tombstone)]
    gone = [obj for _key, obj in page if isinstance(obj, Tombstone)]
    return kept, gone, next_url


def gone(tombstone: Tombstone, detail: str) -> Response:
    """The 410 of a record that left: why, in the request's language, and its tombstone."""
    return Response(
        {"detail": detail, **TombstoneSerializer(tombstone).data}, status=status.HTTP_410_GONE
    )
