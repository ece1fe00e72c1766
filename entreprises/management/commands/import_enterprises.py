from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, no_translations

from entreprises.imports import (
    ImportRejected,
    check_import_size,
    plan_import,
    read_import_file,
    run_import,
)
from entreprises.spreadsheets import SpreadsheetError


class Command(BaseCommand):
    help = (
        "Import enterprises from a CSV or XLSX file (the admin's template), as a given staff "
        "user and within that user's poles: every row or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user", required=True, help="User name of the staff member the import is made as."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report; write nothing."
        )

    @no_translations
    def handle(self, *args, file, user, dry_run, **options):
        try:
            staff = get_user_model().objects.get(username=user, is_active=True, is_staff=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active staff user named {user!r}.") from None
        try:
            check_import_size(size=file.stat().st_size)
            header, rows = read_import_file(name=file.name, content=file.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except (SpreadsheetError, ImportRejected) as error:
            raise CommandError(str(error)) from None
        try:
            plan = (plan_import if dry_run else run_import)(user=staff, header=header, rows=rows)
        except ImportRejected as error:
            self._report_errors(staff, header, rows)
            raise CommandError(str(error)) from None
        summary = f"{plan.count('create')} to create, {plan.count('update')} to update"
        if dry_run:
            self._report_errors(staff, header, rows, plan=plan)
            self.stdout.write(f"Dry run: {summary}, {len(plan.errors)} rows with errors.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {plan.count('create')} new and {plan.count('update')} updated "
                "enterprises."
            )
        )

    def _report_errors(self, staff, header, rows, plan=None):
        """Each error with its line, as in the file (the header is line 1)."""
        if plan is None:
            try:
                plan = plan_import(user=staff, header=header, rows=rows)
            except ImportRejected:
                return
        for row in plan.errors:
            for error in row.errors:
                self.stderr.write(f"line {row.line}: {error}")
