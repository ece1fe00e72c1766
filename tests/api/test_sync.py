"""A partner mirrors the directory, then fetches only what changed: edits, new
records, archivals and deletions; conditional GET spares unchanged downloads."""

from urllib.parse import quote

import pytest

from entreprises.models import Enterprise
from entreprises.services import delete_enterprises, refresh_search_vectors
from tests.factories import EnterpriseFactory
from tests.helpers import get_json

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"


def download(client, url):
    """Every page, following `next`, as a partner's script does."""
    results, tombstones, pages = [], [], 0
    while url:
        data = get_json(client, url)
        results += data["results"]
        tombstones += data["tombstones"]
        url = data["next"]
        pages += 1
    return results, tombstones, pages


@pytest.fixture
def twelve(directory):
    for n in range(10):
        EnterpriseFactory(slug=f"extra-{n}", pole=directory["pole_a"])
    refresh_search_vectors()
    return directory


def test_full_download_then_incremental_sync(partner, twelve):
    results, tombstones, pages = download(partner, f"{LIST}?page_size=5")
    assert pages == 3
    assert tombstones == []
    mirror = {item["id"]: item for item in results}
    assert len(mirror) == 12 == Enterprise.objects.published().count()
    last_seen = max(item["updated_at"] for item in results)

    # Changes on the portal: an edit, a new record, an archival, a deletion.
    edited = Enterprise.objects.get(slug="extra-3")
    edited.name_fr = "Nouveau nom"
    edited.save()
    EnterpriseFactory(slug="nouvelle")
    archived = Enterprise.objects.get(slug="extra-5")
    archived.status = "archived"
    archived.save()
    deleted = Enterprise.objects.get(slug="extra-7")
    delete_enterprises(enterprises=Enterprise.objects.filter(pk=deleted.pk))
    # Drafts never reach partners, changed or not.
    EnterpriseFactory(slug="nouveau-brouillon", status="draft")

    changes, gone, _pages = download(
        partner, f"{LIST}?page_size=2&updated_since={quote(last_seen)}"
    )
    assert [item["slug"] for item in changes] == ["extra-3", "nouvelle"]
    assert changes[0]["name"]["fr"] == "Nouveau nom"
    assert [(t["id"], t["slug"], t["status"]) for t in gone] == [
        (archived.id, "extra-5", "archived"),
        (deleted.id, "extra-7", "deleted"),
    ]
    assert set(gone[0]) == {"id", "slug", "status", "reason", "updated_at"}

    for item in changes:
        mirror[item["id"]] = item
    for tombstone in gone:
        mirror.pop(tombstone["id"])
    assert sorted(mirror) == sorted(Enterprise.objects.published().values_list("id", flat=True))

    # Nothing changed since: an empty feed.
    latest = max([i["updated_at"] for i in changes] + [t["updated_at"] for t in gone])
    assert download(partner, f"{LIST}?updated_since={quote(latest)}")[:2] == ([], [])


def test_paging_is_not_shifted_by_changes_between_pages(anonymous, twelve):
    first = get_json(anonymous, f"{LIST}?page_size=4")
    seen = [item["slug"] for item in first["results"]]
    # A record of the first page changes, one not yet seen is deleted.
    moved = Enterprise.objects.get(slug=seen[0])
    moved.city = "Laval"
    moved.save()
    delete_enterprises(enterprises=Enterprise.objects.filter(slug="extra-9"))
    rest, _gone, _pages = download(anonymous, first["next"])
    slugs = seen + [item["slug"] for item in rest]
    # Nothing skipped; the changed record comes again at the end, with its change.
    assert slugs[-1] == seen[0]
    assert rest[-1]["city"] == "Laval"
    assert sorted(set(slugs)) == sorted(
        Enterprise.objects.published().values_list("slug", flat=True)
    )


def test_deleted_enterprise_answers_410(anonymous, directory):
    coop = directory["coop"]
    delete_enterprises(enterprises=Enterprise.objects.filter(pk=coop.pk))
    data = get_json(anonymous, f"{LIST}envol/", status=410, HTTP_ACCEPT_LANGUAGE="fr")
    assert data["detail"] == "Cette entreprise ne figure plus dans le répertoire."
    assert (data["id"], data["slug"], data["status"]) == (coop.id, "envol", "deleted")


def test_delete_enterprises_leaves_tombstones_and_nothing_else(directory):
    from entreprises.models import EnterpriseSector, EnterpriseTombstone

    count = delete_enterprises(enterprises=Enterprise.objects.filter(slug__in=["envol", "marche"]))
    assert count == 2
    assert sorted(EnterpriseTombstone.objects.values_list("slug", flat=True)) == ["envol", "marche"]
    assert not EnterpriseSector.objects.filter(enterprise__slug__in=["envol", "marche"]).exists()
    assert delete_enterprises(enterprises=Enterprise.objects.none()) == 0


def test_conditional_get_answers_304_until_something_changes(anonymous, directory):
    first = anonymous.get(LIST)
    etag = first["ETag"]
    assert etag
    assert anonymous.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    detail = anonymous.get(f"{LIST}envol/")
    assert anonymous.get(f"{LIST}envol/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304

    coop = directory["coop"]
    coop.phone = "514-555-0199"
    coop.save()
    changed = anonymous.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert anonymous.get(f"{LIST}envol/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_conditional_get_on_streamed_formats(anonymous, directory, fmt):
    first = anonymous.get(f"{LIST}?format={fmt}")
    b"".join(first.streaming_content)
    etag = first["ETag"]
    assert etag.startswith('W/"')
    assert anonymous.get(f"{LIST}?format={fmt}", HTTP_IF_NONE_MATCH=etag).status_code == 304
    market = directory["market"]
    market.save()
    again = anonymous.get(f"{LIST}?format={fmt}", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    b"".join(again.streaming_content)
