"""Dated open-data releases: a Data Package that frictionless validates, checksums that hold,
files that are never rewritten, and a clear error when the storage cannot be written."""

import csv
import hashlib
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from chantier.models import OpenDataRelease
from entreprises.enums import Status
from tests.factories import (
    EnterpriseFactory,
    EnterpriseSectorFactory,
    EventFactory,
    OrganizationFactory,
    SectorFactory,
)
from tests.helpers import html_of, json_of, query_count

DAY = date(2026, 12, 1)
FILES = [
    "regions.csv",
    "poles.csv",
    "sectors.csv",
    "enterprises.csv",
    "organizations.csv",
    "events.csv",
    "enterprises.geojson",
    "datapackage.json",
]


@pytest.fixture
def media(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path / "media", SITE_URL="https://portail.example"):
        yield tmp_path / "media"


@pytest.fixture
def directory(personas):
    parent = SectorFactory(slug="alimentation", name_fr="Alimentation", name_en="Food")
    child = SectorFactory(slug="epiceries", name_fr="Épiceries", parent=parent)
    envol = EnterpriseFactory(
        slug="envol",
        name_fr="=Coopérative L’Envol",
        pole=personas.pole_a,
        region=personas.pole_a.regions.get(),
        latitude="45.5",
        longitude="-73.6",
        founded_year=1987,
    )
    EnterpriseSectorFactory(enterprise=envol, sector=child)
    EnterpriseFactory(slug="brouillon", status=Status.DRAFT, pole=personas.pole_b)
    organizer = OrganizationFactory(slug="ripess")
    event = EventFactory(slug="gsef-2026")
    event.organizers.add(organizer)
    event.enterprises_visited.add(envol)
    return envol


def release_folder(media) -> Path:
    return media / "open-data" / DAY.isoformat()


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_release_is_a_valid_data_package(media, directory):
    out = io.StringIO()
    call_command("publish_open_data", date=DAY, stdout=out)
    assert f"Release {DAY.isoformat()} stored" in out.getvalue()
    folder = release_folder(media)
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    # The validator as partners run it, on the files as stored.
    result = subprocess.run(
        [Path(sys.executable).with_name("frictionless"), "validate", "--json", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    assert report["valid"] is True, json.dumps(report["tasks"], indent=1)[:3000]
    assert result.returncode == 0
    assert {task["name"] for task in report["tasks"]} >= {
        "regions",
        "poles",
        "sectors",
        "enterprises",
        "organizations",
        "events",
    }


def test_the_package_types_region_codes_as_strings_with_keys(media, directory):
    call_command("publish_open_data", date=DAY, stdout=io.StringIO())
    folder = release_folder(media)
    package = json.loads((folder / "datapackage.json").read_text())
    assert package["licenses"] == [
        {"path": "https://creativecommons.org/licenses/by/4.0/deed.fr", "title": "CC BY 4.0"}
    ]
    assert package["sources"][0]["path"] == "https://portail.example/"
    resources = {resource["name"]: resource for resource in package["resources"]}
    enterprises = resources["enterprises"]["schema"]
    fields = {f["name"]: f for f in enterprises["fields"]}
    assert fields["region"] == {
        "name": "region",
        "type": "string",
        "constraints": {"pattern": "^[0-9]{2}$"},
    }
    assert fields["legal_form"]["constraints"]["enum"] == ["cooperative", "nonprofit", "mutual"]
    assert fields["latitude"]["type"] == "number"
    assert enterprises["primaryKey"] == ["id"]
    assert {
        "fields": ["region"],
        "reference": {"resource": "regions", "fields": ["code"]},
    } in enterprises["foreignKeys"]
    assert resources["regions"]["schema"]["primaryKey"] == ["code"]
    # Only published enterprises; the region as written ("06", not 6); formulas defused.
    [envol] = rows(folder / "enterprises.csv")
    assert envol["slug"] == "envol"
    assert envol["region"] == "06"
    assert envol["name_fr"] == "'=Coopérative L’Envol"
    assert envol["primary_sector"] == "epiceries"
    assert envol["url"] == "https://portail.example/api/v1/enterprises/envol/"
    assert "reason" not in envol
    [event] = rows(folder / "events.csv")
    assert (event["organizers"], event["enterprises_visited"]) == ("ripess", "envol")
    sectors = {row["slug"]: row["parent"] for row in rows(folder / "sectors.csv")}
    assert sectors == {"alimentation": "", "epiceries": "alimentation"}
    geojson = json.loads((folder / "enterprises.geojson").read_text())
    assert [f["properties"]["slug"] for f in geojson["features"]] == ["envol"]
    assert geojson["features"][0]["geometry"] == {"type": "Point", "coordinates": [-73.6, 45.5]}


def test_the_recorded_checksums_and_sizes_are_those_of_the_files(media, directory):
    call_command("publish_open_data", date=DAY, stdout=io.StringIO())
    release = OpenDataRelease.objects.get()
    assert release.identifier == "2026-12-01"
    assert [f["name"] for f in release.files] == FILES
    assert release.counts == {
        "regions": 2,
        "poles": 2,
        "sectors": 2,
        "enterprises": 1,
        "organizations": 1,
        "events": 1,
    }
    for described in release.files:
        content = (media / described["path"]).read_bytes()
        assert described["path"] == f"open-data/2026-12-01/{described['name']}"
        assert described["bytes"] == len(content)
        assert described["sha256"] == hashlib.sha256(content).hexdigest()
    # The package also states each data file's checksum, which frictionless checks.
    package = json.loads((release_folder(media) / "datapackage.json").read_text())
    by_name = {f["name"]: f for f in release.files}
    for resource in package["resources"]:
        described = by_name[resource["path"]]
        assert resource["hash"] == f"sha256:{described['sha256']}"
        assert resource["bytes"] == described["bytes"]


def test_a_second_release_the_same_day_is_refused_and_changes_nothing(media, directory):
    call_command("publish_open_data", date=DAY, stdout=io.StringIO())
    before = {p.name: p.read_bytes() for p in release_folder(media).iterdir()}
    directory.name_fr = "Nouveau nom"
    directory.save()
    with pytest.raises(CommandError) as refused:
        call_command("publish_open_data", date=DAY, stdout=io.StringIO())
    assert str(refused.value) == (
        "The release of 2026-12-01 exists already: releases are never rewritten."
    )
    assert {p.name: p.read_bytes() for p in release_folder(media).iterdir()} == before
    assert OpenDataRelease.objects.count() == 1


def test_files_left_in_the_storage_are_never_overwritten(media, directory):
    folder = release_folder(media)
    folder.mkdir(parents=True)
    (folder / "poles.csv").write_text("kept")
    with pytest.raises(CommandError) as refused:
        call_command("publish_open_data", date=DAY, stdout=io.StringIO())
    assert str(refused.value) == (
        "open-data/2026-12-01/poles.csv exists already in the media storage:"
        " releases are never rewritten."
    )
    assert (folder / "poles.csv").read_text() == "kept"
    assert sorted(p.name for p in folder.iterdir()) == ["poles.csv"]
    assert OpenDataRelease.objects.count() == 0


def test_a_storage_that_cannot_be_written_is_a_clear_error(tmp_path, directory):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with override_settings(MEDIA_ROOT=blocker / "media"), pytest.raises(CommandError) as failed:
        call_command("publish_open_data", date=DAY, stdout=io.StringIO())
    assert str(failed.value).startswith(
        "The media storage (filesystem) could not be written: [Errno 20] Not a directory"
    )
    assert OpenDataRelease.objects.count() == 0


def test_a_dry_run_stores_and_records_nothing(media, directory):
    out = io.StringIO()
    call_command("publish_open_data", date=DAY, dry_run=True, stdout=out)
    assert "Dry run: release 2026-12-01 not stored (regions 2, poles 2" in out.getvalue()
    assert not media.exists()
    assert OpenDataRelease.objects.count() == 0


def test_releases_are_listed_in_the_api_and_on_the_bilingual_page(media, directory, anonymous):
    call_command("publish_open_data", date=DAY, stdout=io.StringIO())
    release = OpenDataRelease.objects.get()
    data = json_of(anonymous.get("/api/v1/releases/"))
    [listed] = data["results"]
    assert listed["identifier"] == "2026-12-01"
    assert listed["released_on"] == "2026-12-01"
    assert listed["url"] == "http://testserver/api/v1/releases/2026-12-01/"
    assert listed["files"][-1] == {
        "name": "datapackage.json",
        "url": "http://testserver/media/open-data/2026-12-01/datapackage.json",
        "media_type": "application/json",
        "bytes": release.files[-1]["bytes"],
        "sha256": release.files[-1]["sha256"],
    }
    assert json_of(anonymous.get("/api/v1/releases/2026-12-01/")) == listed
    french = html_of(anonymous, "/fr/donnees-ouvertes/")
    assert "Publication du 1 décembre 2026" in french
    assert release.files[3]["sha256"] in french
    assert 'href="/media/open-data/2026-12-01/enterprises.csv"' in french
    english = html_of(anonymous, "/en/open-data/")
    assert "Release of Dec. 1, 2026" in english
    assert 'href="/fr/donnees-ouvertes/"' in html_of(anonymous, "/fr/")


def test_the_monthly_job_is_scheduled_on_the_worker():
    from procrastinate.contrib.django import app

    from chantier import tasks

    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert tasks.publish_open_data_release.name == "chantier.publish_open_data_release"
    assert periodic["chantier.publish_open_data_release"] == "0 4 1 * *"


def make_releases(count: int) -> None:
    for day in range(1, count + 1):
        OpenDataRelease.objects.create(
            identifier=f"2026-01-{day:02d}",
            released_on=date(2026, 1, day),
            files=[
                {
                    "name": "poles.csv",
                    "path": f"open-data/2026-01-{day:02d}/poles.csv",
                    "media_type": "text/csv",
                    "bytes": 3,
                    "sha256": "0" * 64,
                }
            ],
            counts={"poles": 1},
        )


@pytest.mark.parametrize("url", ["/api/v1/releases/", "/fr/donnees-ouvertes/"])
def test_the_lists_of_releases_cost_the_same_queries_at_two_sizes(db, anonymous, url):
    make_releases(1)
    few = query_count(anonymous, url)
    OpenDataRelease.objects.all().delete()
    make_releases(6)
    assert query_count(anonymous, url) == few


def test_the_monthly_job_publishes_once_a_day(media, directory):
    from chantier.tasks import publish_open_data_release

    today = publish_open_data_release(timestamp=0)
    assert OpenDataRelease.objects.get().identifier == today
    assert publish_open_data_release(timestamp=0) == (
        f"The release of {today} exists already: releases are never rewritten."
    )
    assert OpenDataRelease.objects.count() == 1
