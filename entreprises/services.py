"""Writes to enterprises. Views, the admin, the API and commands call these.

The spreadsheet import lives in imports.py, the demo data in demo/services.py."""

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from common.public_cache import invalidate_public_cache
from entreprises.enums import Status
from entreprises.models import Enterprise, EnterpriseSector, EnterpriseTombstone, Sector
from entreprises.search import SEARCH_VECTOR_SQL
from entreprises.selectors import enterprises_visible_to

# The slug of a name that has no letter or digit to make one from.
FALLBACK_SLUG = "entreprise"


def new_enterprise_slug(*, name: str) -> str:
    """A free slug made from the name: "cafe-du-quai", else "cafe-du-quai-2", "-3"..."""
    base = slugify(name)[:200] or FALLBACK_SLUG
    taken = set(
        Enterprise.objects.filter(
            Q(slug=base) | Q(slug__regex=rf"^{re.escape(base)}-[0-9]+$")
        ).values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def replace_image(*, enterprise: Enterprise, copies: dict[str, ContentFile] | None) -> None:
    """Stores the resized copies of a new logo or photo (entreprises/images.py) on the
    unsaved `enterprise`, or none to remove it; the files it replaces are deleted once
    the record is saved. The caller saves the record."""
    old = [image.name for image in (enterprise.image_small, enterprise.image_large) if image]
    if copies:
        enterprise.image_small.save(copies["small"].name, copies["small"], save=False)
        enterprise.image_large.save(copies["large"].name, copies["large"], save=False)
    else:
        enterprise.image_small = enterprise.image_large = ""
    transaction.on_commit(lambda: [default_storage.delete(name) for name in old])


def primary_and_others(
    *, sectors: Sequence[Sector], primaries: Sequence[Sector]
) -> tuple[Sector | None, list[Sector]]:
    """The primary sector among an enterprise's sectors, and the others: the one rule of the
    admin's form and of the import. A single sector is the primary one; several need
    exactly one marked primary. Raises ValidationError otherwise."""
    primaries = list(dict.fromkeys(primaries))
    if len(primaries) > 1:
        raise ValidationError(_("An enterprise has only one primary sector."), code="primaries")
    everyone = list(dict.fromkeys([*primaries, *sectors]))
    if not primaries and len(everyone) > 1:
        raise ValidationError(
            _("This enterprise has several sectors: say which one is the primary sector."),
            code="no_primary",
        )
    primary = everyone[0] if everyone else None
    return primary, everyone[1:]


@transaction.atomic
def set_sectors(
    *, enterprise: Enterprise, primary: Sector, secondary: Sequence[Sector] = ()
) -> None:
    """Give an enterprise exactly one primary sector and any number of others."""
    if primary in secondary:
        raise ValidationError(_("The primary sector is listed again among the other sectors."))
    EnterpriseSector.objects.filter(enterprise=enterprise).delete()
    EnterpriseSector.objects.bulk_create(
        [EnterpriseSector(enterprise=enterprise, sector=primary, is_primary=True)]
        + [
            EnterpriseSector(enterprise=enterprise, sector=sector)
            for sector in dict.fromkeys(secondary)
        ]
    )
    # The API shows the sectors: partners syncing on updated_at must see the change.
    enterprise.updated_at = timezone.now()
    Enterprise.objects.filter(pk=enterprise.pk).update(updated_at=enterprise.updated_at)
    refresh_search_vectors(ids=[enterprise.pk])


def touch_enterprises(*, ids: Sequence[int]) -> None:
    """Mark these enterprises changed now (what the API shows of them changed elsewhere)."""
    if ids:
        Enterprise.objects.filter(pk__in=list(ids)).update(updated_at=timezone.now())


def record_sectors_in_history(*, enterprise: Enterprise) -> None:
    """Keep the enterprise's sector lines as they are now in its latest version: the admin
    writes them after the enterprise itself, whose version then held the old ones."""
    version = enterprise.history.order_by("-history_date", "-history_id").first()
    if version is None:
        return
    lines = _sector_lines_model()
    lines.objects.filter(history=version).delete()
    lines.objects.bulk_create(
        lines(
            id=link.pk,
            history=version,
            enterprise=enterprise,
            sector_id=link.sector_id,
            is_primary=link.is_primary,
        )
        for link in EnterpriseSector.objects.filter(enterprise=enterprise)
    )


@transaction.atomic
def restore_sectors(*, enterprise: Enterprise, version_id: int) -> bool:
    """Give the enterprise the sectors of one of its versions; False when that version
    kept none (versions older than the sectors' history)."""
    kept = list(
        _sector_lines_model().objects.filter(history_id=version_id).select_related("sector")
    )
    if not kept:
        return False
    primary = next((line.sector for line in kept if line.is_primary), kept[0].sector)
    set_sectors(
        enterprise=enterprise,
        primary=primary,
        secondary=[line.sector for line in kept if line.sector != primary],
    )
    record_sectors_in_history(enterprise=enterprise)
    return True


def _sector_lines_model():
    return Enterprise.history.model.__dict__["sectors"].model


# Ids noted by refresh_search_vectors() inside one_search_refresh(); ALL for every row.
ALL = "all"
_pending: ContextVar[set | str | None] = ContextVar("search_refresh_pending", default=None)


def refresh_search_vectors(*, ids: Sequence[int] | None = None) -> None:
    """Rewrite the search vector of these enterprises (all when `ids` is None).

    Call it after any change to an enterprise's texts, sectors, pole or region;
    renaming a sector, pole or region calls it for their enterprises (signals.py).
    Inside `one_search_refresh()` it only notes the ids.
    """
    if ids is not None and not ids:
        return
    pending = _pending.get()
    if pending is not None:
        if pending != ALL:
            _pending.set(ALL if ids is None else pending | set(ids))
        return
    sql, params = SEARCH_VECTOR_SQL.format(where=""), []
    if ids is not None:
        # The ids on both sides of the join: the planner then reads the updated rows
        # by primary key even when its statistics predate a bulk insert (with stale
        # statistics it scanned the whole table once per enterprise of the batch).
        sql = SEARCH_VECTOR_SQL.format(where="WHERE e2.id = ANY(%s)") + " AND e.id = ANY(%s)"
        params = [list(ids), list(ids)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    # Raw SQL sends no signal: search results and facet counts may have changed.
    invalidate_public_cache()


@contextmanager
def one_search_refresh() -> Iterator[None]:
    """Rewrite the search index once, at the end, for every refresh asked inside.

    A write that touches an enterprise in several steps (the admin's form, then its
    sector lines; a reference load of sectors, then enterprises) asks for a refresh
    at each step: inside this block they add up to one statement.
    """
    if _pending.get() is not None:
        yield
        return
    token = _pending.set(set())
    try:
        yield
        pending = _pending.get()
    finally:
        _pending.reset(token)
    if pending == ALL:
        refresh_search_vectors()
    elif pending:
        refresh_search_vectors(ids=sorted(pending))


@transaction.atomic
def delete_enterprises(*, enterprises: QuerySet[Enterprise]) -> int:
    """Delete these enterprises for good, leaving a tombstone for each.

    The tombstones let partners who mirror the API remove them too (deleting is
    otherwise archiving: see the admin). Returns how many were deleted.
    """
    doomed = list(enterprises.order_by().values_list("id", "slug"))
    if not doomed:
        return 0
    ids = [pk for pk, _slug in doomed]
    EnterpriseTombstone.objects.bulk_create(
        [EnterpriseTombstone(enterprise_id=pk, slug=slug) for pk, slug in doomed],
        update_conflicts=True,
        unique_fields=["enterprise_id"],
        update_fields=["slug", "deleted_at"],
    )
    EnterpriseSector.objects.filter(enterprise_id__in=ids).delete()
    Enterprise.visits.through.objects.filter(enterprise_id__in=ids).delete()
    # In batches: deleting sends a signal per record (the public cache and the history
    # listen), so Django loads each record first; 100,000 at once would not fit in memory.
    deleted = 0
    for start in range(0, len(ids), 2000):
        _, counts = Enterprise.objects.filter(id__in=ids[start : start + 2000]).delete()
        deleted += counts.get(Enterprise._meta.label, 0)
    return deleted


# --- The admin's publishing workflow -------------------------------------------------


def set_status(*, user, ids: Sequence[int], status: str) -> int:
    """Publish, archive or return to draft the enterprises `user` may change; the history
    keeps who did it. Returns how many changed."""
    enterprises = list(
        enterprises_visible_to(user=user).filter(pk__in=list(ids)).exclude(status=status)
    )
    now = timezone.now()
    for enterprise in enterprises:
        enterprise.status = status
        enterprise.updated_at = now
    bulk_update_with_history(
        enterprises, Enterprise, ["status", "updated_at"], default_user=user, batch_size=1000
    )
    return len(enterprises)


def archive_enterprises(*, user, ids: Sequence[int]) -> int:
    """What deleting an enterprise does: archive it, so that nothing is lost."""
    return set_status(user=user, ids=ids, status=Status.ARCHIVED)


def confirm_verified(*, user, ids: Sequence[int]) -> int:
    """Someone confirmed these records with the enterprises today."""
    enterprises = list(enterprises_visible_to(user=user).filter(pk__in=list(ids)))
    today, now = timezone.localdate(), timezone.now()
    for enterprise in enterprises:
        enterprise.last_verified_at = today
        enterprise.updated_at = now
    bulk_update_with_history(
        enterprises,
        Enterprise,
        ["last_verified_at", "updated_at"],
        default_user=user,
        batch_size=1000,
    )
    return len(enterprises)


# One row per key in place of the changes piled up. Rows added meanwhile by writers not
# yet committed are not seen, so not deleted: they are summed at the next read.
FOLD_PUBLISHED_TALLY_SQL = """
WITH gone AS (
  DELETE FROM entreprises_publishedtally
  RETURNING region_id, is_demo, preview_column, preview_row, change
)
INSERT INTO entreprises_publishedtally (region_id, is_demo, preview_column, preview_row, change)
SELECT region_id, is_demo, preview_column, preview_row, sum(change) FROM gone
GROUP BY region_id, is_demo, preview_column, preview_row
HAVING sum(change) <> 0
"""


def fold_published_tally() -> None:
    """Folds the changes of the published tally (models.PublishedTally) into one row per
    key, the same sums in fewer rows; in one statement, so nothing is counted twice."""
    with connection.cursor() as cursor:
        cursor.execute(FOLD_PUBLISHED_TALLY_SQL)
