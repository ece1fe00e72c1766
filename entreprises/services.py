"""Writes to enterprises. Views, the admin, the API and commands call these."""

import random
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from chantier.public_cache import invalidate_public_cache
from entreprises.demo.factory import DemoFactory, load_places
from entreprises.models import Enterprise, EnterpriseSector, Sector
from entreprises.search import SEARCH_VECTOR_SQL
from poles.models import Pole, Region


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
    refresh_search_vectors(ids=[enterprise.pk])


def refresh_search_vectors(*, ids: Sequence[int] | None = None) -> None:
    """Rewrite the search vector of these enterprises (all when `ids` is None).

    Call it after any change to an enterprise's texts, sectors, pole or region,
    or to the name of a sector, pole or region (then for their enterprises).
    """
    if ids is not None and not ids:
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


class DemoDataError(Exception):
    """Demo enterprises cannot be made: the reference data is missing."""


def create_demo_enterprises(
    *, count: int, seed: int | None = None, batch_size: int = 2000, on_progress=None
) -> int:
    """Create `count` fictitious enterprises flagged `is_demo`, in bulk, all or nothing."""
    factory = _demo_factory(seed=seed)
    created = 0
    next_analyze = batch_size
    with transaction.atomic():
        while created < count:
            batch = [factory.build() for _ in range(min(batch_size, count - created))]
            enterprises = [enterprise for enterprise, _, _ in batch]
            taken = set(
                Enterprise.objects.filter(slug__in=[e.slug for e in enterprises]).values_list(
                    "slug", flat=True
                )
            )
            for enterprise in enterprises:
                while enterprise.slug in taken:
                    enterprise.slug = factory.new_slug(enterprise.name_fr)
            Enterprise.objects.bulk_create(enterprises)
            EnterpriseSector.objects.bulk_create(
                link
                for enterprise, primary, others in batch
                for link in [
                    EnterpriseSector(enterprise=enterprise, sector=primary, is_primary=True),
                    *(EnterpriseSector(enterprise=enterprise, sector=s) for s in others),
                ]
            )
            if created + len(batch) >= next_analyze:
                # The planner's statistics still describe the table before this load
                # (ANALYZE counts this transaction's rows): without it, refreshing the
                # search vectors scans whole tables once per enterprise.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE entreprises_enterprise, entreprises_enterprisesector")
                next_analyze *= 4
            refresh_search_vectors(ids=[enterprise.pk for enterprise in enterprises])
            created += len(batch)
            if on_progress:
                on_progress(len(batch))
    return created


def remove_demo_enterprises() -> int:
    """Delete every demo enterprise (and only those); real records are never touched."""
    demo = Enterprise.objects.demo()
    deleted = 0
    with transaction.atomic():
        EnterpriseSector.objects.filter(enterprise__in=demo).delete()
        Enterprise.visits.through.objects.filter(enterprise__in=demo).delete()
        # In batches: deleting sends a signal per record (the public cache listens),
        # so Django loads each record first; 100,000 at once would not fit in memory.
        ids = list(demo.values_list("id", flat=True))
        for start in range(0, len(ids), 2000):
            _, counts = Enterprise.objects.filter(id__in=ids[start : start + 2000]).delete()
            deleted += counts.get(Enterprise._meta.label, 0)
    return deleted


def _demo_factory(*, seed: int | None) -> DemoFactory:
    regions = {region.code: region for region in Region.objects.all()}
    sectors = list(Sector.objects.all())
    if not regions or not sectors:
        raise DemoDataError(
            "No regions or sectors in the database: run `python manage.py load_reference` first."
        )
    poles = list(Pole.objects.prefetch_related("regions"))
    poles_by_region: dict[str, list] = {}
    for pole in poles:
        for region in pole.regions.all():
            poles_by_region.setdefault(region.code, []).append(pole)
    return DemoFactory(
        rng=random.Random(seed),  # noqa: S311 (fictitious data, seeded for repeatability)
        places=load_places(),
        regions=regions,
        poles_by_slug={pole.slug: pole for pole in poles},
        poles_by_region=poles_by_region,
        sectors=sectors,
    )
