from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chantier.backups import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Restores a dump written by `backup` into the (empty) database, in one transaction: "
        "everything or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A .dump file written by `backup`.")
        parser.add_argument("--database", default="default", help="Database alias.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and that the database is empty; write nothing.",
        )

    def handle(self, *args, file, database, dry_run, **options):
        try:
            restored = restore_database(path=file, alias=database, dry_run=dry_run)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if dry_run:
            self.stdout.write(f"{file} is a readable dump and the database is empty; nothing done.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored {file}: {restored.tables} tables in {restored.seconds:.1f} s."
                )
            )
