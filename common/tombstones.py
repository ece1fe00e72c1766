"""Tombstones: what a partner's copy must remove, and why, in every resource's sync."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from django.db.models import Q
from django.utils import timezone

from common.models import DeletedRecord

# Why a record left the public set (the `reason` of a tombstone).
ARCHIVED = "archived"
DELETED = "deleted"
UNPUBLISHED = "unpublished"
OUT_OF_FILTER = "out_of_filter"
REASONS = (ARCHIVED, DELETED, UNPUBLISHED, OUT_OF_FILTER)


@dataclass(frozen=True)
class Tombstone:
    """A record a partner should remove from its copy."""

    id: int
    slug: str
    reason: str
    updated_at: datetime
    # What the record is now: draft, archived, published (out of the filter) or deleted.
    status: str = DELETED

    @property
    def position(self) -> tuple[datetime, int]:
        """Its place in a sync, among records ordered by (updated_at, id)."""
        return (self.updated_at, self.id)


def record_deletion(sender, instance, **kwargs) -> None:
    """Signal receiver (post_delete): a synced record was deleted, by any path."""
    if kwargs.get("raw"):
        return
    DeletedRecord.objects.update_or_create(
        kind=sender._meta.label_lower,
        record_id=instance.pk,
        defaults={"slug": getattr(instance, "slug", "") or "", "deleted_at": timezone.now()},
    )


def deleted_since(
    model, *, since: datetime, after: tuple[datetime, int] | None = None, limit: int | None = None
) -> Iterator[Tombstone]:
    """Records of `model` deleted after `since`, by (deleted_at, id), after `after`."""
    rows = DeletedRecord.objects.filter(kind=model._meta.label_lower, deleted_at__gt=since)
    if after is not None:
        moment, pk = after
        rows = rows.filter(Q(deleted_at__gt=moment) | Q(deleted_at=moment, record_id__gt=pk))
    rows = rows.order_by("deleted_at", "record_id").values_list("record_id", "slug", "deleted_at")
    rows = rows.iterator(chunk_size=2000) if limit is None else rows[:limit]
    tombstones = (Tombstone(pk, slug, DELETED, moment) for pk, slug, moment in rows)
    return tombstones if limit is None else islice(tombstones, limit)


def deleted_record(model, *, slug: str) -> Tombstone | None:
    """The tombstone of the record of `model` that had `slug`, if it was deleted."""
    row = (
        DeletedRecord.objects.filter(kind=model._meta.label_lower, slug=slug)
        .order_by("-deleted_at")
        .values_list("record_id", "slug", "deleted_at")
        .first()
    )
    return Tombstone(row[0], row[1], DELETED, row[2]) if row else None
