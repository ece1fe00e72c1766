from django.core.management.base import BaseCommand, no_translations

from entreprises.demo.services import remove_demo_enterprises
from entreprises.models import Enterprise


class Command(BaseCommand):
    help = "Delete every fictitious demo enterprise; real enterprises are never touched."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go, delete nothing."
        )

    @no_translations
    def handle(self, *args, dry_run, **options):
        if dry_run:
            count = Enterprise.objects.demo().count()
            self.stdout.write(f"Dry run: {count} demo enterprises would be deleted.")
            return
        count = remove_demo_enterprises()
        self.stdout.write(self.style.SUCCESS(f"Deleted {count} demo enterprises."))
