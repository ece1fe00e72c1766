from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from chantier.backups import BackupError, dump_database, prune_backups


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
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="Then delete all but the KEEP newest dumps of this database in the folder.",
        )

    def handle(self, *args, directory, database, keep, **options):
        if keep is not None and keep < 1:
            raise CommandError(f"--keep must be 1 or more, not {keep}.")
        directory = directory or settings.BACKUP_DIR
        try:
            path = dump_database(directory=directory, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = path.stat().st_size / 1_000_000
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({size:.1f} MB)."))
        if keep is not None:
            name = connections[database].settings_dict["NAME"]
            for removed in prune_backups(directory=directory, database_name=name, keep=keep):
                self.stdout.write(f"Removed {removed}.")
