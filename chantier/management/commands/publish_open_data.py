from datetime import date

from django.core.management.base import BaseCommand, CommandError

from chantier.releases import ReleaseError, publish_release


class Command(BaseCommand):
    help = (
        "Writes today's open-data release (CSV tables, datapackage.json, GeoJSON) to the"
        " media storage and records it. A release is never rewritten: a second run the"
        " same day is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="The release's date, YYYY-MM-DD (default: today).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Build the files and say what they would be; store and record nothing.",
        )

    def handle(self, *args, date, dry_run, **options):
        try:
            built = publish_release(released_on=date, dry_run=dry_run)
        except ReleaseError as error:
            raise CommandError(str(error)) from error
        for described in built.files:
            self.stdout.write(
                f"  {described.name}  {described.bytes} bytes  sha256 {described.sha256}"
            )
        counts = ", ".join(f"{name} {count}" for name, count in built.counts.items())
        if dry_run:
            self.stdout.write(f"Dry run: release {built.identifier} not stored ({counts}).")
        else:
            self.stdout.write(self.style.SUCCESS(f"Release {built.identifier} stored ({counts})."))
