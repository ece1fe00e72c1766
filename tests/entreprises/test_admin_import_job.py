"""A confirmed import runs in the worker, not in the request (a large file takes longer than
the web server lets a request run): its page says where it stands, in the person's language,
and shows the result or why nothing was written."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from entreprises.admin_spreadsheets import IMPORT_SESSION_KEY
from entreprises.enums import ImportStatus
from entreprises.models import Enterprise, EnterpriseImport
from entreprises.tasks import import_spreadsheet
from tests.entreprises.test_admin_import import (
    IMPORT,
    csv_file,
    good_row,
    preview,
)
from tests.helpers import run_jobs, worker_connections_closed


def status_page(job):
    return reverse("admin:entreprises_enterprise_import_status", args=[job.pk])


def confirmed(client, rows, language="fr"):
    """Preview then confirm `rows`; the job is deferred, not run."""
    assert preview(client, csv_file(rows), language=language).context["error_rows"] == 0
    response = client.post(IMPORT, {"confirm": "1"}, HTTP_ACCEPT_LANGUAGE=language)
    job = EnterpriseImport.objects.get()
    assert (response.status_code, response["Location"]) == (302, status_page(job))
    return job


def test_the_request_only_defers_the_import_and_its_page_says_it_waits(personas, world):
    client = personas.client_for(personas.staff_a)
    job = confirmed(client, [good_row(), good_row(name="Librairie", neq="1140000011")])
    assert not Enterprise.objects.filter(neq="1140000010").exists()
    assert (job.status, job.rows, job.language, job.user) == ("waiting", 2, "fr", personas.staff_a)
    deferred = ProcrastinateJob.objects.get(queue_name="imports")
    assert (deferred.task_name, deferred.args) == (
        "entreprises.import_spreadsheet",
        {"import_id": job.pk},
    )
    page = client.get(status_page(job)).content.decode()
    assert "Le fichier attend son tour\u00a0: 2 lignes." in page
    assert 'role="status" data-refresh-seconds="3"' in page
    assert "js/admin-import-status" in page
    english = client.get(status_page(job), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The file is waiting for its turn: 2 lines." in english

    EnterpriseImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    page = client.get(status_page(job)).content.decode()
    assert "L’importation est en cours\u00a0: 2 lignes." in page


def test_done_page_gives_the_counts_and_stops_refreshing(personas, world):
    client = personas.client_for(personas.staff_a)
    confirmed(client, [good_row()], language="en")
    job = EnterpriseImport.objects.get()
    assert import_spreadsheet(import_id=job.pk) == "done"
    job.refresh_from_db()
    assert (job.status, job.created, job.updated, job.unchanged, job.content) == (
        "done",
        1,
        0,
        0,
        b"",
    )
    assert job.finished_at is not None
    page = client.get(status_page(job), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Import done. Enterprises created: 1, changed: 0, unchanged: 0." in page
    assert "data-refresh-seconds" not in page and "js/admin-import-status" not in page
    # Run again (a job delivered twice), it writes nothing more.
    assert import_spreadsheet(import_id=job.pk) == ""
    assert Enterprise.objects.filter(neq="1140000010").count() == 1


def test_a_file_that_no_longer_fits_imports_nothing_and_says_why_in_its_language(personas, world):
    client = personas.client_for(personas.staff_a)
    job = confirmed(client, [good_row(), good_row(name="Librairie", neq="1140000011")])
    # Between the preview and the import, an enterprise of pole B, which this person may not
    # change, took the first line's NEQ.
    Enterprise.objects.filter(pk=world.enterprise_b.pk).update(neq="1140000010")
    assert import_spreadsheet(import_id=job.pk) == "failed"
    assert not Enterprise.objects.filter(neq="1140000011").exists()
    job.refresh_from_db()
    assert (job.status, job.error) == (
        "failed",
        "1 ligne a une erreur\u202f; rien n’a été importé.",
    )
    page = client.get(status_page(job)).content.decode()
    assert "L’importation n’a pas abouti. 1 ligne a une erreur\u202f; rien n’a été importé." in page
    english = client.get(status_page(job), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Send the file again: its new preview shows what each line would do" in english


def test_each_person_sees_only_their_own_imports(personas, world):
    job = confirmed(personas.client_for(personas.staff_a), [good_row()])
    other = personas.client_for(personas.staff_b).get(status_page(job))
    assert other.status_code == 404
    listing = personas.client_for(personas.staff_a).get(IMPORT).content.decode()
    assert f'<a href="{status_page(job)}">entreprises.csv</a>' in listing
    assert "Vos importations récentes" in listing and "en attente" in listing
    english = personas.client_for(personas.staff_a).get(IMPORT, HTTP_ACCEPT_LANGUAGE="en")
    assert "Your recent imports" in english.content.decode()
    assert (
        "entreprises.csv</a>," in english.content.decode()
        and ": waiting</li>" in english.content.decode()
    )
    assert (
        "entreprises.csv" not in personas.client_for(personas.staff_b).get(IMPORT).content.decode()
    )


@pytest.fixture
def worker_connections():
    with worker_connections_closed():
        yield


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_import(personas, world, worker_connections):
    client = personas.client_for(personas.staff_a)
    job = confirmed(client, [good_row()])
    run_jobs("imports")
    assert ProcrastinateJob.objects.get(queue_name="imports").status == "succeeded"
    job.refresh_from_db()
    assert (job.status, job.created) == ("done", 1)
    cafe = Enterprise.objects.get(neq="1140000010")
    assert cafe.history.get().history_user == personas.staff_a


def test_one_preview_confirmed_twice_at_once_makes_one_import(personas, world):
    client = personas.client_for(personas.staff_a)
    assert preview(client, csv_file([good_row()])).context["error_rows"] == 0
    stored = dict(client.session[IMPORT_SESSION_KEY])
    first = client.post(IMPORT, {"confirm": "1"})
    # A double click: the second request read the session before the first emptied it.
    session = client.session
    session[IMPORT_SESSION_KEY] = stored
    session.save()
    second = client.post(IMPORT, {"confirm": "1"})
    job = EnterpriseImport.objects.get()
    assert first["Location"] == second["Location"] == status_page(job)
    assert ProcrastinateJob.objects.filter(queue_name="imports").count() == 1


def test_an_import_whose_worker_stopped_says_nothing_was_imported(personas, world):
    client = personas.client_for(personas.staff_a)
    job = confirmed(client, [good_row()])
    # The worker marked it running, then stopped before writing (its transaction undone).
    EnterpriseImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now() - timedelta(seconds=30)
    )
    assert "L’importation est en cours" in client.get(status_page(job)).content.decode()
    EnterpriseImport.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - timedelta(seconds=61)
    )
    page = client.get(status_page(job), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "The import did not go through. The import was interrupted (the server may have "
        "restarted); nothing was imported. Send the file again."
    ) in page
    job.refresh_from_db()
    assert (job.status, job.content) == ("failed", b"")
    assert "non importée" in client.get(IMPORT).content.decode()


def test_someone_who_may_no_longer_change_enterprises_imports_nothing(personas, world):
    job = confirmed(personas.client_for(personas.staff_a), [good_row()])
    personas.staff_a.groups.clear()
    assert import_spreadsheet(import_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == (
        "Vous ne pouvez plus ajouter ni modifier d’entreprises\u202f; rien n’a été importé."
    )
    assert not Enterprise.objects.filter(neq="1140000010").exists()


@pytest.mark.django_db(transaction=True)
def test_an_import_being_written_is_not_taken_for_interrupted(personas, world):
    client = personas.client_for(personas.staff_a)
    job = confirmed(client, [good_row()])
    EnterpriseImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=5)
    )
    held, release = threading.Event(), threading.Event()

    def worker_holding_the_row():
        try:
            with transaction.atomic():
                EnterpriseImport.objects.select_for_update().get(pk=job.pk)
                held.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=worker_holding_the_row)
    thread.start()
    try:
        assert held.wait(10)
        page = client.get(status_page(job)).content.decode()
        assert "L’importation est en cours" in page
    finally:
        release.set()
        thread.join()
    job.refresh_from_db()
    assert job.status == "running"
