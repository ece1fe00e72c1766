"""Work done out of the request by the worker (`manage.py procrastinate worker`): a
confirmed spreadsheet import, which for thousands of rows takes longer than the web server
lets a request run (10,000 rows take about 40 s).

While the worker writes an import it holds a lock on its `EnterpriseImport` row, and it
writes the rows and the outcome in one transaction: an import whose status says it runs
but whose row nobody holds was interrupted (the worker stopped), wrote nothing, and is
told so by `interrupted_imports_told`."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from procrastinate.contrib.django import app

from entreprises.enums import ImportStatus
from entreprises.imports import ImportRejected, may_import, read_import_file, run_import
from entreprises.models import EnterpriseImport
from entreprises.spreadsheets import SpreadsheetError

logger = logging.getLogger(__name__)

# An import said to run for longer than this, its row held by no worker, was interrupted.
# The lock is taken a moment after the status is written: this leaves that moment alone.
INTERRUPTED_AFTER = timedelta(seconds=60)


@app.task(name="entreprises.import_spreadsheet", queue="imports")
def import_spreadsheet(*, import_id: int) -> str:
    """Write the confirmed file's rows (all or none: `run_import` checks them again, since
    records may have changed since the preview) and record the outcome on its
    `EnterpriseImport`, in the language of the person who confirmed it. Returns its status."""
    with transaction.atomic():
        job = (
            EnterpriseImport.objects.select_for_update(skip_locked=True)
            .filter(pk=import_id, status=ImportStatus.WAITING)
            .first()
        )
        if job is None:  # already run, or being run
            return ""
        job.status, job.started_at = ImportStatus.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    with translation.override(job.language):
        try:
            with transaction.atomic():
                job = EnterpriseImport.objects.select_for_update().select_related("user")
                job = job.get(pk=import_id)
                outcome = _written(job)
                _finish(import_id, **outcome)
        except (SpreadsheetError, ImportRejected) as error:
            outcome = {"status": ImportStatus.FAILED, "error": str(error)}
            _finish(import_id, **outcome)
        except Exception:
            logger.exception("Import %s stopped on an unexpected error", import_id)
            outcome = {
                "status": ImportStatus.FAILED,
                "error": gettext(
                    "The import stopped on an unexpected error; nothing was imported. "
                    "Send the file again; if it happens again, tell the national team."
                ),
            }
            _finish(import_id, **outcome)
    return outcome["status"]


def _written(job: EnterpriseImport) -> dict:
    if not may_import(job.user):
        raise ImportRejected(
            gettext("You may no longer add or change enterprises; nothing was imported.")
        )
    header, rows = read_import_file(name=job.file_name, content=bytes(job.content))
    plan = run_import(user=job.user, header=header, rows=rows)
    return {
        "status": ImportStatus.DONE,
        "created": plan.count("create"),
        "updated": plan.count("update"),
        "unchanged": plan.count("unchanged"),
    }


def _finish(import_id: int, **outcome) -> None:
    EnterpriseImport.objects.filter(pk=import_id).update(
        **outcome, content=b"", finished_at=timezone.now()
    )


def interrupted_imports_told(*, user) -> None:
    """`user`'s imports said to run whose row no worker holds were interrupted: they wrote
    nothing (their rows and outcome commit together). Say so on them, in one statement."""
    free = EnterpriseImport.objects.select_for_update(skip_locked=True).filter(
        user=user, status=ImportStatus.RUNNING, started_at__lt=timezone.now() - INTERRUPTED_AFTER
    )
    with transaction.atomic():
        EnterpriseImport.objects.filter(pk__in=free.values("pk")).update(
            status=ImportStatus.FAILED,
            error=gettext(
                "The import was interrupted (the server may have restarted); "
                "nothing was imported. Send the file again."
            ),
            content=b"",
            finished_at=timezone.now(),
        )
