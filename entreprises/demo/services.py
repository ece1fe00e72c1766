"""Create and remove the fictitious demo enterprises (flagged `is_demo`)."""

import random

from django.db import connection, transaction

from entreprises.demo.factory import DemoFactory, load_places
from entreprises.models import Enterprise, EnterpriseSector, Sector
from entreprises.services import delete_enterprises, refresh_search_vectors
from poles.models import Pole, Region


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
    return delete_enterprises(enterprises=Enterprise.objects.demo())


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
