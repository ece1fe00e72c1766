"""Work done out of the request by the worker (`manage.py procrastinate worker`): a
confirmed spreadsheet import, which for thousands of rows takes longer than the web server
lets a request run (10,000 rows take about 40 s)."""

import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from procrastinate.contrib.django import app

from entreprises.enums import ImportStatus
from entreprises.imports import ImportRejected, read_import_file, run_import
from entreprises.models import EnterpriseImport
from entreprises.spreadsheets import SpreadsheetError

logger = logging.getLogger(__name__)


@app.task(name="entreprises.import_spreadsheet", queue="imports")
def import_spreadsheet(*, import_id: int) -> str:
    """Write the confirmed file's rows (all or none: `run_import` checks them again, since
    records may have changed since the preview) and record the outcome on its
    `EnterpriseImport`, in the language of the person who confirmed it. Returns its status."""
    with transaction.atomic():
        job = (
            EnterpriseImport.objects.select_for_update(skip_locked=True)
            .select_related("user")
            .filter(pk=import_id, status=ImportStatus.WAITING)
            .first()
        )
        if job is None:  # already run, or being run
            return ""
        job.status = ImportStatus.RUNNING
        job.save(update_fields=["status"])
    outcome = {"status": ImportStatus.DONE, "error": ""}
    with translation.override(job.language):
        try:
            header, rows = read_import_file(name=job.file_name, content=bytes(job.content))
            plan = run_import(user=job.user, header=header, rows=rows)
        except (SpreadsheetError, ImportRejected) as error:
            outcome = {"status": ImportStatus.FAILED, "error": str(error)}
        except Exception:
            logger.exception("Import %s stopped on an unexpected error", import_id)
            outcome = {
                "status": ImportStatus.FAILED,
                "error": gettext(
                    "The import stopped on an unexpected error; nothing was imported. "
                    "Send the file again; if it happens again, tell the national team."
                ),
            }
        else:
            outcome.update(
                created=plan.count("create"),
                updated=plan.count("update"),
                unchanged=plan.count("unchanged"),
            )
    EnterpriseImport.objects.filter(pk=import_id).update(
        **outcome, content=b"", finished_at=timezone.now()
    )
    return outcome["status"]
