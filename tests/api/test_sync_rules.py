"""Every way a record leaves what a partner syncs gives a tombstone with its reason, in
every format and on every resource; a detail that left answers 410; validators change
whenever the answer does."""

import csv
import io
import random
from datetime import datetime
from urllib.parse import quote

import pytest
from django.utils import timezone

from entreprises.models import Enterprise
from entreprises.services import delete_enterprises, set_sectors
from tests.factories import (
    EnterpriseFactory,
    EventFactory,
    OrganizationFactory,
    PoleFactory,
    SectorFactory,
)
from tests.helpers import body_of, get_json

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"


def since_before(_record=None) -> str:
    """A sync's `updated_since`: now, before the change the test makes."""
    return quote(timezone.now().isoformat())


def unpublish(enterprise):
    enterprise.status = "draft"
    enterprise.save()


def test_unpublished_enterprise_is_a_tombstone_in_the_sync(anonymous, directory):
    coop = directory["coop"]
    since = since_before(coop)
    unpublish(coop)
    data = get_json(anonymous, f"{LIST}?updated_since={since}")
    assert data["results"] == []
    assert data["tombstones"] == [
        {
            "id": coop.id,
            "slug": "envol",
            "reason": "unpublished",
            "status": "draft",
            "updated_at": data["tombstones"][0]["updated_at"],
        }
    ]


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("en", "This enterprise is no longer in the directory."),
        ("fr", "Cette entreprise ne figure plus dans le répertoire."),
    ],
)
def test_unpublished_enterprise_detail_is_a_410(anonymous, directory, language, detail):
    coop = directory["coop"]
    unpublish(coop)
    data = get_json(anonymous, f"{LIST}envol/", status=410, HTTP_ACCEPT_LANGUAGE=language)
    assert {key: data[key] for key in ("detail", "id", "reason", "status")} == {
        "detail": detail,
        "id": coop.id,
        "reason": "unpublished",
        "status": "draft",
    }


def test_a_draft_never_published_leaves_no_trace(anonymous, directory):
    draft = directory["draft"]
    since = since_before(draft)
    draft.name_fr = "Toujours un brouillon"
    draft.save()
    assert get_json(anonymous, f"{LIST}?updated_since={since}")["tombstones"] == []
    assert get_json(anonymous, f"{LIST}brouillon/", status=404, HTTP_ACCEPT_LANGUAGE="en") == {
        "detail": "No published enterprise has this slug."
    }


def test_enterprise_moved_out_of_the_filter_is_a_tombstone_of_that_sync(anonymous, directory):
    coop = directory["coop"]
    since = since_before(coop)
    coop.region = directory["capitale"]
    coop.save()
    filtered = get_json(anonymous, f"{LIST}?region=06&updated_since={since}")
    assert filtered["results"] == []
    assert [(t["slug"], t["reason"], t["status"]) for t in filtered["tombstones"]] == [
        ("envol", "out_of_filter", "published")
    ]
    # Without the filter it is simply a change.
    unfiltered = get_json(anonymous, f"{LIST}?updated_since={since}")
    assert [row["slug"] for row in unfiltered["results"]] == ["envol"]
    assert unfiltered["tombstones"] == []


def test_tombstones_in_csv_and_geojson_carry_their_reason(anonymous, directory):
    coop = directory["coop"]
    since = since_before(coop)
    unpublish(coop)
    rows = list(
        csv.DictReader(
            io.StringIO(body_of(anonymous.get(f"{LIST}?format=csv&updated_since={since}")).decode())
        )
    )
    assert [(r["slug"], r["status"], r["reason"]) for r in rows] == [
        ("envol", "draft", "unpublished")
    ]
    features = get_json(anonymous, f"{LIST}?format=geojson&updated_since={since}")["features"]
    assert features[0]["geometry"] is None
    assert features[0]["properties"] | {"updated_at": ""} == {
        "slug": "envol",
        "status": "draft",
        "reason": "unpublished",
        "updated_at": "",
    }


def test_json_ld_sync_gives_tombstones_as_activity_streams_nodes(anonymous, directory):
    coop, market = directory["coop"], directory["market"]
    since = since_before(coop)
    unpublish(coop)
    market.save()
    data = get_json(anonymous, f"{LIST}?format=jsonld&updated_since={since}")
    assert data["@context"]["as"] == "https://www.w3.org/ns/activitystreams#"
    graph = data["@graph"]
    assert [node["@type"] for node in graph] == ["Organization", "as:Tombstone"]
    tombstone = graph[1]
    assert tombstone == {
        "@id": "http://testserver/api/v1/enterprises/envol/",
        "@type": "as:Tombstone",
        "as:formerType": "Organization",
        "identifier": "envol",
        "as:summary": "unpublished",
        "as:deleted": tombstone["as:deleted"],
    }


def test_json_ld_tombstones_read_as_rdf(anonymous, directory):
    rdflib = pytest.importorskip("rdflib")
    coop = directory["coop"]
    since = since_before(coop)
    unpublish(coop)
    data = get_json(anonymous, f"{LIST}?format=jsonld&updated_since={since}")
    graph = rdflib.Graph().parse(data=data, format="json-ld")
    subject = rdflib.URIRef("http://testserver/api/v1/enterprises/envol/")
    kinds = set(graph.objects(subject, rdflib.RDF.type))
    activity = rdflib.Namespace("https://www.w3.org/ns/activitystreams#")
    assert kinds == {activity.Tombstone}
    assert set(graph.objects(subject, activity.formerType)) == {
        rdflib.URIRef("http://schema.org/Organization")
    }


@pytest.mark.parametrize("related", ["pole_a", "montreal", "housing"])
def test_renaming_what_an_enterprise_shows_brings_it_into_the_sync(anonymous, directory, related):
    since = since_before()
    record = directory[related]
    record.name_en = "Renamed"
    record.save()
    changes = get_json(anonymous, f"{LIST}?updated_since={since}&lang=en")["results"]
    assert [row["slug"] for row in changes] == ["envol"]
    shown = {
        "pole_a": changes[0]["pole"]["name"],
        "montreal": changes[0]["region"]["name"],
        "housing": changes[0]["sectors"][0]["name"],
    }
    assert shown[related] == "Renamed"


# --- The other resources ------------------------------------------------------

RESOURCES = {
    "poles": lambda: PoleFactory(slug="gone"),
    "sectors": lambda: SectorFactory(slug="gone"),
    "events": lambda: EventFactory(slug="gone"),
    "organizations": lambda: OrganizationFactory(slug="gone"),
}


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_reference_resources_sync_changes_and_deletions(anonymous, directory, resource):
    make = RESOURCES[resource]
    since = since_before()
    record = make()
    full = get_json(anonymous, f"/api/v1/{resource}/")
    assert "gone" in [row["slug"] for row in full["results"]]
    assert full["tombstones"] == []
    changes = get_json(anonymous, f"/api/v1/{resource}/?updated_since={since}")
    assert [row["slug"] for row in changes["results"]] == ["gone"]
    record_id = record.id
    record.delete()
    after = get_json(anonymous, f"/api/v1/{resource}/?updated_since={since}")
    assert after["results"] == []
    assert [(t["id"], t["slug"], t["reason"], t["status"]) for t in after["tombstones"]] == [
        (record_id, "gone", "deleted", "deleted")
    ]


@pytest.mark.parametrize(
    ("language", "detail"),
    [("en", "This record was deleted."), ("fr", "Cet enregistrement a été supprimé.")],
)
@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_deleted_reference_record_detail_is_a_410(anonymous, directory, resource, language, detail):
    make = RESOURCES[resource]
    record = make()
    record_id = record.id
    record.delete()
    data = get_json(
        anonymous, f"/api/v1/{resource}/gone/", status=410, HTTP_ACCEPT_LANGUAGE=language
    )
    assert data == {
        "detail": detail,
        "id": record_id,
        "slug": "gone",
        "reason": "deleted",
        "status": "deleted",
        "updated_at": data["updated_at"],
    }


def test_reference_lists_are_paged_by_change_then_id(anonymous, directory):
    first = PoleFactory(slug="premier")
    PoleFactory(slug="second")
    first.save()
    slugs = [row["slug"] for row in get_json(anonymous, "/api/v1/poles/")["results"]]
    assert slugs[-2:] == ["second", "premier"]


# --- Validators ---------------------------------------------------------------


def test_no_last_modified_and_if_modified_since_is_not_honoured(anonymous, directory):
    """A record leaving a list changes no updated_at of the rows served: only the ETag tells."""
    for url in (LIST, f"{LIST}envol/", f"{LIST}?format=csv", "/api/v1/poles/"):
        response = anonymous.get(url)
        body_of(response)
        assert "Last-Modified" not in response, url
        again = anonymous.get(url, HTTP_IF_MODIFIED_SINCE="Fri, 01 Jan 2100 00:00:00 GMT")
        assert again.status_code == 200, url


def test_etag_changes_when_a_record_leaves_the_list(anonymous, directory):
    first = anonymous.get(LIST)
    unpublish(directory["market"])
    again = anonymous.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert [row["slug"] for row in get_json(anonymous, LIST)["results"]] == ["envol"]


# --- The randomized sync --------------------------------------------------------


def download(client, url):
    """Every page, following `next`: the records and the tombstones."""
    results, tombstones = [], []
    while url:
        data = get_json(client, url)
        results += data["results"]
        tombstones += data["tombstones"]
        url = data["next"]
    return results, tombstones


class Partner:
    """A partner's copy of one list, kept by the sync of docs/api.md."""

    def __init__(self, client, query=""):
        self.client, self.query, self.copy, self.last = client, query, {}, None

    def url(self, extra=""):
        return f"{LIST}?page_size=3{self.query}{extra}"

    def full_download(self):
        results, _tombstones = download(self.client, self.url())
        return {row["id"]: row for row in results}

    def sync(self):
        since = f"&updated_since={quote(self.last)}" if self.last else ""
        results, tombstones = download(self.client, self.url(since))
        for row in results:
            self.copy[row["id"]] = row
        for tombstone in tombstones:
            self.copy.pop(tombstone["id"], None)
        moments = [item["updated_at"] for item in results + tombstones]
        if self.last:
            moments.append(self.last)
        if moments:
            self.last = max(moments, key=datetime.fromisoformat)


def random_change(rng, directory, counter):
    enterprises = list(Enterprise.objects.order_by("id"))
    action = rng.choice(
        ["create", "edit", "unpublish", "archive", "delete", "republish", "move", "resector"]
        + ["rename_pole"]
    )
    if action == "rename_pole":
        # Shown in each enterprise of the pole: their copies must follow.
        pole = rng.choice([directory["pole_a"], directory["pole_b"]])
        pole.name_fr = f"Pôle {rng.random()}"
        pole.save()
        return
    if action == "create" or not enterprises:
        counter[0] += 1
        enterprise = EnterpriseFactory(
            slug=f"aleatoire-{counter[0]}",
            pole=rng.choice([directory["pole_a"], directory["pole_b"]]),
            region=rng.choice([directory["montreal"], directory["capitale"]]),
            status=rng.choice(["published", "published", "draft"]),
        )
        set_sectors(
            enterprise=enterprise, primary=rng.choice([directory["housing"], directory["food"]])
        )
        return
    enterprise = rng.choice(enterprises)
    if action == "edit":
        enterprise.name_fr = f"Nom {rng.random()}"
    elif action == "unpublish":
        enterprise.status = "draft"
    elif action == "archive":
        enterprise.status = "archived"
    elif action == "republish":
        enterprise.status = "published"
    elif action == "move":
        enterprise.region = rng.choice([directory["montreal"], directory["capitale"]])
    elif action == "resector":
        # No save: the sectors' own change must reach the partner.
        set_sectors(
            enterprise=enterprise, primary=rng.choice([directory["housing"], directory["food"]])
        )
        return
    elif action == "delete":
        delete_enterprises(enterprises=Enterprise.objects.filter(pk=enterprise.pk))
        return
    enterprise.save()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_randomized_changes_never_make_a_partner_copy_drift(anonymous, directory, seed):
    """Between syncs, records are created, edited, unpublished, archived, deleted,
    republished and moved between regions and sectors; after each sync the copy of
    every partner (the whole directory, one region, one sector) equals a fresh full
    download."""
    rng = random.Random(seed)
    partners = [
        Partner(anonymous),
        Partner(anonymous, "&region=06"),
        Partner(anonymous, "&sector=habitation"),
    ]
    counter = [0]
    for partner in partners:
        partner.sync()
    for _round in range(12):
        for _change in range(rng.randint(1, 4)):
            random_change(rng, directory, counter)
        for partner in partners:
            partner.sync()
            assert partner.copy == partner.full_download(), (seed, _round, partner.query)
