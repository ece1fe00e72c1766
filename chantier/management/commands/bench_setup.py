"""What `make bench` (bench/run.py) needs in its own database, and nothing else uses.

`fixtures` prints, as JSON, the records the measured routes name and pole-staff and
national-team sessions for the admin's list; `import-file` writes the spreadsheet whose
import is timed, and `remove-import` deletes what that import created; `edits` saves one
record a second, as pole staff do, for the run under edits; `settle` vacuums and analyzes
the enterprise tables, as autovacuum would on a settled database, after records were
generated or a migration rewrote them; `after-change` times, in this process, the first
answer of each path right after a change (the data kept per generation made again).
"""

import csv
import json
import random
import re
import sys
import time
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.public_cache import invalidate_public_cache
from entreprises.columns import SPREADSHEET
from entreprises.models import Enterprise, Sector
from poles.models import Pole, PoleMembership, Region
from poles.roles import NATIONAL_TEAM_GROUP, POLE_STAFF_GROUP
from poles.two_factor import uses_second_factor

POLE_STAFF_USERNAME = "bench-pole-staff"
NATIONAL_TEAM_USERNAME = "bench-national"
IMPORTED_NAME_PREFIX = "Coopérative d'essai d'import "


def staff_member(*, username: str, group: str):
    """The benchmark's staff account `username`, in the role `group`."""
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=group))
    return user


def signed_in_session(*, user) -> str:
    """The key of a new session signed in as `user`, as the admin's login would make, past
    the second factor of those who must give one (an authentication app made for them)."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "chantier.backends.SignedInUserInOneQuery"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if uses_second_factor(user):
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "app"}
        )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


@transaction.atomic
def bench_fixtures() -> dict:
    """The slugs the routes use, the published count, a session of the enterprise's pole's
    staff and one of the national team."""
    enterprise = Enterprise.objects.published().filter(is_demo=True).order_by("id").first()
    sector = Sector.objects.filter(enterprise_links__isnull=False).order_by("id").first()
    if enterprise is None or sector is None:
        raise CommandError("No published demo enterprise with a sector: run generate_demo first.")
    user = staff_member(username=POLE_STAFF_USERNAME, group=POLE_STAFF_GROUP)
    PoleMembership.objects.get_or_create(user=user, pole=enterprise.pole)
    national = staff_member(username=NATIONAL_TEAM_USERNAME, group=NATIONAL_TEAM_GROUP)
    # Three sectors and two regions that have enterprises: a search ticking several values.
    sectors = Sector.objects.filter(enterprise_links__isnull=False).distinct().order_by("id")
    regions = Region.objects.filter(enterprises__isnull=False).distinct().order_by("code")
    return {
        "enterprise": enterprise.slug,
        "sector": sector.slug,
        "sectors": list(sectors.values_list("slug", flat=True)[:3]),
        "regions": list(regions.values_list("code", flat=True)[:2]),
        "session": signed_in_session(user=user),
        "national_session": signed_in_session(user=national),
        "pole": enterprise.pole.slug,
        "count": Enterprise.objects.published().count(),
    }


def write_import_file(*, path: Path, rows: int, seed: int = 7) -> None:
    """A CSV of `rows` new enterprises spread over every pole's regions, in the template's columns.

    Also makes sure the national-team account the import is made as exists.
    """
    staff_member(username=NATIONAL_TEAM_USERNAME, group=NATIONAL_TEAM_GROUP)
    rng = random.Random(seed)  # noqa: S311 (made-up records, not secrets)
    places = [
        (pole.slug, region.code)
        for pole in Pole.objects.prefetch_related("regions").order_by("slug")
        for region in sorted(pole.regions.all(), key=lambda region: region.code)
    ]
    sectors = list(Sector.objects.order_by("slug").values_list("slug", flat=True))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=SPREADSHEET)
        writer.writeheader()
        for n in range(rows):
            pole, region = rng.choice(places)
            writer.writerow(
                {
                    "name_fr": f"{IMPORTED_NAME_PREFIX}{n}",
                    "name_en": f"Import trial co-op {n}",
                    "legal_form": "cooperative",
                    "cooperative_type": "worker",
                    "neq": f"89{n:08d}",
                    "status": "draft",
                    "pole": pole,
                    "region": region,
                    "primary_sector": rng.choice(sectors),
                    "other_sectors": rng.choice(sectors),
                    "street_address": f"{n} rue Principale",
                    "city": f"Ville {n % 300}",
                    "postal_code": "g1k 3a1",
                    "phone": "418-555-0100",
                    "email": f"info{n}@example.org",
                    "website": f"https://coop{n}.example.org",
                    "founded_year": 1990 + n % 30,
                    "employees": n % 50,
                    "description_fr": "Coopérative de travail fictive pour mesurer l'import.",
                    "description_en": "A fictitious worker cooperative to measure the import.",
                }
            )


def remove_imported() -> int:
    """Delete the enterprises `write_import_file` describes; how many there were."""
    imported = Enterprise.objects.filter(name_fr__startswith=IMPORTED_NAME_PREFIX)
    count = imported.count()
    imported.delete()
    return count


# The edited enterprise's name ends with the number of the edit, so that a reader of
# the directory can tell which edit the page it was served shows.
EDIT_MARK = " · édition "
EDIT_MARK_PATTERN = re.compile(re.escape(EDIT_MARK) + r"(\d+)")


def first_in_directory() -> Enterprise:
    """The enterprise the directory's first page lists first (French names, then ids)."""
    return Enterprise.objects.published().order_by("name_fr", "id").first()


def save_edits(*, seconds: float, every: float = 1.0, out=sys.stdout) -> int:
    """Rename the directory's first enterprise every `every` seconds for `seconds`, saving
    it as the admin does; after each save commits, print `EDIT <n> <unix time>`."""
    enterprise = first_in_directory()
    base_name = EDIT_MARK_PATTERN.sub("", enterprise.name_fr)
    edits, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        edits += 1
        enterprise.name_fr = f"{base_name}{EDIT_MARK}{edits}"
        with transaction.atomic():
            enterprise.save()
        out.write(f"EDIT {edits} {time.time():.3f}\n")
        out.flush()
        time.sleep(max(0.0, every - 0.001))
    enterprise.name_fr = base_name
    enterprise.save()
    return edits


def settle() -> None:
    """What autovacuum does on a settled database: the dead rows of a migration that
    rewrote every enterprise (or of the generation) cleared, the statistics fresh.
    Measured without it, a search read twice the index entries and heap pages."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) entreprises_enterprise, entreprises_enterprisesector")


def after_change(paths: list[str], *, rounds: int) -> dict[str, list[float] | int]:
    """Each path's answer time in milliseconds right after a change, `rounds` times: what
    the first visitor after a save waits for, with nothing of the previous generation
    served (run with PUBLIC_CACHE_SECONDS=0 and PUBLIC_CACHE_STALE_SECONDS=0). A path
    that does not answer 200 gives its status instead."""
    if settings.PUBLIC_CACHE_SECONDS or settings.PUBLIC_CACHE_STALE_SECONDS:
        raise CommandError("Run with PUBLIC_CACHE_SECONDS=0 and PUBLIC_CACHE_STALE_SECONDS=0.")
    client = Client(SERVER_NAME="localhost")
    timings: dict[str, list[float] | int] = {}
    for path in paths:
        status = client.get(path).status_code  # the code and templates loaded once
        if status != 200:
            timings[path] = status
            continue
        times = []
        for _ in range(rounds):
            invalidate_public_cache()
            started = time.perf_counter()
            response = client.get(path)
            if response.streaming:  # its body is made as it is read
                b"".join(response.streaming_content)
            status = response.status_code
            times.append((time.perf_counter() - started) * 1000)
            if status != 200:
                break
        timings[path] = times if status == 200 else status
    return timings


class Command(BaseCommand):
    help = "Prepare the benchmark's own database (bench/run.py); not for a real deployment."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("demo-count", help="Print the number of demo enterprises.")
        actions.add_parser("fixtures", help="Print, as JSON, what the measured routes need.")
        import_file = actions.add_parser("import-file", help="Write the CSV the import measures.")
        import_file.add_argument("path", type=Path)
        import_file.add_argument("--rows", type=int, default=10_000)
        actions.add_parser("remove-import", help="Delete what that import created.")
        edits = actions.add_parser("edits", help="Save one enterprise a second, as staff do.")
        edits.add_argument("--seconds", type=float, default=10)
        actions.add_parser("settle", help="Vacuum and analyze the enterprise tables.")
        after = actions.add_parser("after-change", help="Time each path's first answer.")
        after.add_argument("paths", nargs="+")
        after.add_argument("--rounds", type=int, default=5)

    def handle(self, *args, action, **options):
        if action == "demo-count":
            self.stdout.write(str(Enterprise.objects.demo().count()))
        elif action == "fixtures":
            self.stdout.write(json.dumps(bench_fixtures()))
        elif action == "import-file":
            write_import_file(path=options["path"], rows=options["rows"])
            self.stdout.write(f"Wrote {options['rows']} rows to {options['path']}.")
        elif action == "edits":
            save_edits(seconds=options["seconds"], out=self.stdout)
        elif action == "settle":
            settle()
        elif action == "after-change":
            timings = after_change(options["paths"], rounds=options["rounds"])
            self.stdout.write(json.dumps(timings))
        else:
            self.stdout.write(f"Removed {remove_imported()} imported enterprises.")
