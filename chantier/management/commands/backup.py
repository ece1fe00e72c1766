from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from chantier.backups import BackupError, dump_database


class Command(BaseCommand):
    help = "Writes a compressed, dated dump of the database (pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="Where to write the dump (default: BACKUP_DIR, backups/).",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, directory, database, **options):
        try:
            path = dump_database(directory=directory or settings.BACKUP_DIR, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = path.stat().st_size / 1_000_000
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({size:.1f} MB)."))
