"""The home page's figures (published enterprises in all, by region, demonstration ones,
the map preview's cells) summed from the tally the database keeps on every write of an
enterprise, by any path: always what a recount of the enterprises gives."""

import math
from collections import Counter
from decimal import Decimal

import pytest

from chantier import selectors
from chantier.selectors import _published_figures
from entreprises.models import (
    PREVIEW_CELL,
    PREVIEW_EAST,
    PREVIEW_NORTH,
    PREVIEW_SOUTH,
    PREVIEW_WEST,
    Enterprise,
    PublishedTally,
)
from entreprises.services import delete_enterprises, fold_published_tally
from tests.factories import EnterpriseFactory, RegionFactory

pytestmark = pytest.mark.django_db


def recount() -> tuple:
    """The figures counted again from every published enterprise, as the scan did."""
    published = list(Enterprise.objects.filter(status="published"))
    cells = Counter()
    for e in published:
        if e.latitude is None:
            continue
        inside = PREVIEW_WEST <= e.longitude <= PREVIEW_EAST and (
            PREVIEW_SOUTH <= e.latitude <= PREVIEW_NORTH
        )
        if inside:
            cell = Decimal(PREVIEW_CELL)
            cells[
                (float(math.floor(e.longitude / cell)), float(math.floor(e.latitude / cell)))
            ] += 1
    return (
        len(published),
        sum(e.is_demo for e in published),
        dict(Counter(e.region_id for e in published)),
        sorted((column, row, n) for (column, row), n in cells.items()),
    )


def figures() -> tuple:
    made = _published_figures()
    counts = made.counts
    return (counts.enterprises, counts.demo_enterprises, made.by_region, made.preview_cells)


def test_every_kind_of_write_keeps_the_figures_those_of_a_recount():
    laurentides, estrie = RegionFactory(code="15"), RegionFactory(code="05")
    montreal = EnterpriseFactory.create_batch(3, region=laurentides)
    assert figures() == recount() == (3, 0, {laurentides.pk: 3}, [(-295.0, 182.0, 3)])

    draft = EnterpriseFactory(status="draft", region=estrie)
    draft.status = "published"  # published
    draft.save()
    montreal[0].region = estrie  # moved to another region
    montreal[0].save()
    montreal[1].latitude, montreal[1].longitude = Decimal("53.100000"), Decimal("-57.100000")
    montreal[1].save()  # off the preview: north of it, in a cell of its northern edge
    montreal[2].latitude = montreal[2].longitude = None  # no longer located
    montreal[2].save()
    EnterpriseFactory(status="archived", is_demo=True)  # never counted
    Enterprise.objects.bulk_create(
        [Enterprise(name_fr=f"Démo {n}", slug=f"demo-{n}", legal_form="nonprofit",
                    is_demo=True, status="published", region=estrie,
                    latitude=Decimal("53.000000"), longitude=Decimal("-57.100000"))
         for n in range(4)]
    )  # fmt: skip
    Enterprise.objects.filter(slug="demo-0").update(status="archived")  # unpublished in bulk
    Enterprise.objects.filter(slug="demo-1").update(is_demo=False)
    delete_enterprises(enterprises=Enterprise.objects.filter(slug="demo-2"))
    EnterpriseFactory(region=laurentides).delete()
    draft.name_fr = "Renommée"  # nothing counted changes: nothing written
    rows = PublishedTally.objects.count()
    draft.save()
    assert PublishedTally.objects.count() == rows

    assert figures() == recount()
    assert figures() == (
        6,
        1,
        {estrie.pk: 4, laurentides.pk: 2},
        [(-295.0, 182.0, 2), (-229.0, 212.0, 2)],
    )


def test_folding_keeps_the_sums_in_one_row_per_key():
    region = RegionFactory(code="15")
    enterprises = EnterpriseFactory.create_batch(4, region=region)
    for enterprise in enterprises[:2]:
        enterprise.status = "draft"
        enterprise.save()
    before = figures()
    assert PublishedTally.objects.count() == 6  # four added, two taken away
    fold_published_tally()
    assert list(PublishedTally.objects.values_list("change", flat=True)) == [2]
    assert figures() == before == recount()


def test_reading_folds_the_rows_when_they_have_piled_up(monkeypatch):
    EnterpriseFactory.create_batch(3)
    monkeypatch.setattr(selectors, "TALLY_ROWS_KEPT", 3)
    assert PublishedTally.objects.count() == 3
    assert figures()[0] == 3  # three rows: kept
    assert PublishedTally.objects.count() == 3
    EnterpriseFactory()
    assert figures()[0] == 4  # four rows: folded after reading them
    assert list(PublishedTally.objects.values_list("change", flat=True)) == [4]


def test_rows_are_folded_even_when_nothing_is_published(monkeypatch):
    monkeypatch.setattr(selectors, "TALLY_ROWS_KEPT", 3)
    enterprise = EnterpriseFactory()
    for status in ("draft", "published", "draft"):
        enterprise.status = status
        enterprise.save()
    assert PublishedTally.objects.count() == 4  # +1 -1 +1 -1: nothing published
    assert figures()[0] == 0
    # Folded: the sums are nought, so no row is left to pile up.
    assert PublishedTally.objects.count() == 0
    assert figures()[0] == 0
