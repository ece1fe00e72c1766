from django.core.management.base import BaseCommand, CommandError, no_translations
from tqdm import tqdm

from entreprises.demo.services import DemoDataError, create_demo_enterprises
from entreprises.models import Enterprise


class Command(BaseCommand):
    help = (
        "Create N fictitious enterprises, flagged as demo, for demonstrations and load tests. "
        "Remove them with `python manage.py remove_demo`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many to create.")
        parser.add_argument("--seed", type=int, help="Random seed, for a repeatable set.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when demo enterprises already exist (used by `make run`).",
        )

    @no_translations
    def handle(self, *args, count, seed, if_empty, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        existing = Enterprise.objects.demo().count()
        if if_empty and existing:
            self.stdout.write(f"{existing} demo enterprises already exist; none created.")
            return
        with tqdm(
            total=count,
            unit="enterprise",
            desc="Demo enterprises",
            disable=options["verbosity"] == 0,
        ) as bar:
            try:
                created = create_demo_enterprises(count=count, seed=seed, on_progress=bar.update)
            except DemoDataError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created} fictitious demo enterprises "
                f"({existing + created} demo enterprises in all)."
            )
        )
