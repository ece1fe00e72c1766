from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from chantier.services import (
    CREATED,
    FILLED,
    KEPT,
    OVERWRITTEN,
    REFERENCE_DIR,
    UNCHANGED,
    ReferenceDataError,
    load_reference,
)


class Command(BaseCommand):
    help = (
        "Load the reference data (regions, poles, sectors, organizations, events, key figures). "
        "Idempotent: creates what is missing, fills empty fields, "
        "keeps corrections made in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace values corrected in the admin with those of the reference files.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, write nothing."
        )
        parser.add_argument(
            "--directory",
            type=Path,
            default=REFERENCE_DIR,
            help="Folder of the reference TOML files (default: the portal's own).",
        )

    @no_translations
    def handle(self, *args, overwrite, dry_run, directory, **options):
        try:
            report = load_reference(directory=directory, overwrite=overwrite, dry_run=dry_run)
        except ReferenceDataError as error:
            raise CommandError(
                f"Reference data not loaded, nothing was written: {error}"
            ) from error

        for label, counts in report.outcomes.items():
            parts = [
                f"{counts[outcome]} {outcome}"
                for outcome in (CREATED, FILLED, OVERWRITTEN, KEPT, UNCHANGED)
                if counts[outcome]
            ]
            self.stdout.write(f"{label}: {', '.join(parts)}")
        if counts_kept := sum(c[KEPT] for c in report.outcomes.values()):
            self.stdout.write(
                f"{counts_kept} record(s) differ from the reference files and were kept as "
                "corrected in the admin (use --overwrite to replace them)."
            )
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        elif report.changed:
            self.stdout.write(self.style.SUCCESS("Reference data loaded."))
        else:
            self.stdout.write(
                self.style.SUCCESS("Nothing changed: the reference data was already loaded.")
            )
