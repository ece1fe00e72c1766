"""`manage.py bench_setup`: what the benchmark prepares in its own database."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from entreprises.models import Enterprise, Sector
from entreprises.services import refresh_search_vectors
from poles.models import Pole
from poles.roles import NATIONAL_TEAM_GROUP, POLE_STAFF_GROUP
from tests.factories import EnterpriseFactory, EnterpriseSectorFactory

pytestmark = pytest.mark.django_db


def bench_setup(*args) -> str:
    out = StringIO()
    call_command("bench_setup", *args, stdout=out)
    return out.getvalue().strip()


def test_fixtures_name_a_demo_record_and_sign_in_its_pole_staff(reference_data, client):
    pole = Pole.objects.prefetch_related("regions").order_by("slug").first()
    enterprise = EnterpriseFactory(
        is_demo=True, pole=pole, region=pole.regions.first(), name_fr="Coop mesurée"
    )
    EnterpriseSectorFactory(enterprise=enterprise)
    refresh_search_vectors()
    # The first sector any enterprise is in (the reference data's Caisse has one too).
    sector = Sector.objects.filter(enterprise_links__isnull=False).order_by("id").first()

    fixtures = json.loads(bench_setup("fixtures"))

    assert {key: fixtures[key] for key in ["enterprise", "sector", "pole", "count"]} == {
        "enterprise": enterprise.slug,
        "sector": sector.slug,
        "pole": pole.slug,
        "count": Enterprise.objects.published().count(),
    }
    client.cookies["sessionid"] = fixtures["session"]
    page = client.get("/admin/entreprises/enterprise/")
    assert page.status_code == 200
    assert page.context["user"].username == "bench-pole-staff"
    assert list(page.context["user"].groups.values_list("name", flat=True)) == [POLE_STAFF_GROUP]
    assert "Coop mesurée" in page.content.decode()
    # The national team's session is past its second factor: its searches are measured too.
    national = Client()
    national.cookies["sessionid"] = fixtures["national_session"]
    searched = national.get("/admin/entreprises/enterprise/", {"q": "mesurée"})
    assert searched.status_code == 200
    assert searched.context["user"].username == "bench-national"
    assert [e.name_fr for e in searched.context["cl"].result_list] == ["Coop mesurée"]
    assert Enterprise.objects.published().count() == 2
    assert bench_setup("demo-count") == "1"


def test_import_file_is_imported_whole_as_the_national_team_then_removed(reference_data, tmp_path):
    path = tmp_path / "import.csv"
    assert bench_setup("import-file", str(path), "--rows", "3") == f"Wrote 3 rows to {path}."

    out = StringIO()
    call_command("import_enterprises", str(path), "--user", "bench-national", stdout=out)

    assert out.getvalue().strip() == "Imported 3 new and 0 updated enterprises."
    imported = Enterprise.objects.filter(name_fr__startswith="Coopérative d'essai d'import ")
    assert sorted(imported.values_list("name_en", flat=True)) == [
        "Import trial co-op 0",
        "Import trial co-op 1",
        "Import trial co-op 2",
    ]
    national = imported.first().history.first().history_user
    assert list(national.groups.values_list("name", flat=True)) == [NATIONAL_TEAM_GROUP]
    assert bench_setup("remove-import") == "Removed 3 imported enterprises."
    assert not imported.exists()


def test_edits_rename_the_directorys_first_enterprise_then_restore_it():
    first = EnterpriseFactory(name_fr="Atelier coopératif A")
    EnterpriseFactory(name_fr="Boulangerie B")
    lines = bench_setup("edits", "--seconds", "0.3").splitlines()
    numbers = [int(line.split()[1]) for line in lines]
    assert [line.split()[0] for line in lines] == ["EDIT"] * len(lines)
    assert numbers == list(range(1, len(lines) + 1)) and numbers
    first.refresh_from_db()
    assert first.name_fr == "Atelier coopératif A"
    version_names = set(first.history.values_list("name_fr", flat=True))
    assert "Atelier coopératif A · édition 1" in version_names


@pytest.mark.django_db(transaction=True)
def test_settle_clears_the_dead_rows_a_rewrite_leaves():
    EnterpriseFactory.create_batch(5)
    Enterprise.objects.update(city="Rimouski")  # every row rewritten: five dead versions

    def dead_rows() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_force_next_flush()")
            cursor.execute(
                "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'entreprises_enterprise'"
            )
            return cursor.fetchone()[0]

    assert dead_rows() >= 5
    assert bench_setup("settle") == ""
    assert dead_rows() == 0


# Outside a test transaction: a change starts a new generation when it commits.
@pytest.mark.django_db(transaction=True)
def test_after_change_times_each_path_right_after_a_change(reference_data, settings):
    settings.PUBLIC_CACHE_STALE_SECONDS = 0
    EnterpriseFactory(name_fr="Coop du bord de l'eau")
    with CaptureQueriesContext(connection) as queries:
        timings = json.loads(
            bench_setup("after-change", "--rounds", "3", "/fr/", "/en/", "/fr/nowhere/")
        )
    assert list(timings) == ["/fr/", "/en/", "/fr/nowhere/"]
    assert [len(timings["/fr/"]), len(timings["/en/"])] == [3, 3]
    assert all(ms > 0 for ms in timings["/fr/"] + timings["/en/"])
    assert timings["/fr/nowhere/"] == 404
    # The home page's figures, kept per generation, were made again for every timed answer,
    # and once for the first, untimed, answer (the English one used them: no change between).
    scans = [q for q in queries.captured_queries if "GROUPING(region_id)" in q["sql"]]
    assert len(scans) == 1 + 3 + 3


def test_after_change_refuses_to_run_with_answers_served_stale(settings):
    settings.PUBLIC_CACHE_STALE_SECONDS = 10
    with pytest.raises(CommandError, match="PUBLIC_CACHE_STALE_SECONDS=0"):
        bench_setup("after-change", "/fr/")
