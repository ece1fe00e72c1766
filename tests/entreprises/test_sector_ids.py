"""An enterprise's `sector_ids` (what the facets and the sector filter read) always equals
its sector links, whoever writes them: the service, a bulk write, raw SQL, a save."""

import pytest
from django.db import connection

from entreprises.models import Enterprise, EnterpriseSector
from entreprises.selectors import DirectoryFilters, facet_counts, search_enterprises
from entreprises.services import delete_enterprises, set_sectors
from tests.factories import EnterpriseFactory, SectorFactory

pytestmark = pytest.mark.django_db


def sector_ids_of(enterprise) -> list[int]:
    return Enterprise.objects.values_list("sector_ids", flat=True).get(pk=enterprise.pk)


@pytest.fixture
def sectors():
    return [SectorFactory() for _ in range(3)]


def test_sector_ids_new_enterprise_is_empty():
    assert sector_ids_of(EnterpriseFactory()) == []


def test_sector_ids_follow_set_sectors(sectors):
    food, housing, culture = sectors
    enterprise = EnterpriseFactory()
    set_sectors(enterprise=enterprise, primary=culture, secondary=[food])
    assert sector_ids_of(enterprise) == sorted([food.pk, culture.pk])
    set_sectors(enterprise=enterprise, primary=housing)
    assert sector_ids_of(enterprise) == [housing.pk]


def test_sector_ids_follow_bulk_and_raw_writes(sectors):
    food, housing, culture = sectors
    first, second = EnterpriseFactory(), EnterpriseFactory()
    EnterpriseSector.objects.bulk_create(
        [
            EnterpriseSector(enterprise=first, sector=food, is_primary=True),
            EnterpriseSector(enterprise=first, sector=housing),
            EnterpriseSector(enterprise=second, sector=housing, is_primary=True),
        ]
    )
    assert (sector_ids_of(first), sector_ids_of(second)) == (
        sorted([food.pk, housing.pk]),
        [housing.pk],
    )
    # A link moved from one enterprise to another rewrites both.
    EnterpriseSector.objects.filter(enterprise=first, sector=housing).update(
        enterprise=second, sector=culture
    )
    assert (sector_ids_of(first), sector_ids_of(second)) == (
        [food.pk],
        sorted([housing.pk, culture.pk]),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM entreprises_enterprisesector WHERE sector_id = %s", [housing.pk]
        )
    assert (sector_ids_of(first), sector_ids_of(second)) == ([food.pk], [culture.pk])


def test_sector_ids_not_overwritten_by_a_stale_instance(sectors):
    food, housing, _ = sectors
    enterprise = EnterpriseFactory()
    stale = Enterprise.objects.get(pk=enterprise.pk)
    set_sectors(enterprise=enterprise, primary=food, secondary=[housing])
    stale.name_fr = "Nouveau nom"
    stale.save()
    assert sector_ids_of(enterprise) == sorted([food.pk, housing.pk])


def test_sector_ids_enterprise_deleted_with_its_links(sectors):
    enterprise = EnterpriseFactory()
    set_sectors(enterprise=enterprise, primary=sectors[0])
    delete_enterprises(enterprises=Enterprise.objects.filter(pk=enterprise.pk))
    assert not Enterprise.objects.filter(pk=enterprise.pk).exists()
    assert not EnterpriseSector.objects.filter(enterprise_id=enterprise.pk).exists()


def test_sector_filter_and_counts_read_sector_ids(sectors):
    food, housing, culture = sectors
    both, food_only = EnterpriseFactory(), EnterpriseFactory()
    EnterpriseFactory()  # without a sector
    set_sectors(enterprise=both, primary=food, secondary=[housing])
    set_sectors(enterprise=food_only, primary=food)
    found = search_enterprises(filters=DirectoryFilters(sector=(housing, culture)))
    assert [e.pk for e in found] == [both.pk]
    facets = facet_counts(filters=DirectoryFilters(sector=(housing,)))
    counts = {option.value: option.count for option in facets.sector}
    assert (facets.total, counts[food.slug], counts[housing.slug], counts[culture.slug]) == (
        1,
        2,
        1,
        0,
    )
