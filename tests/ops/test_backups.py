"""`backup` then `restore` into an empty database gives back the same records."""

import os
import re
import secrets
import subprocess
import sys
from io import StringIO
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from chantier.backups import pg_tool, tool_major_version
from chantier.services import load_reference
from entreprises.demo.services import create_demo_enterprises
from entreprises.models import Enterprise

RESTORE_TARGET = "test_chantier_restore"


def connect(name):
    database = settings.DATABASES["default"]
    return psycopg.connect(
        host=database["HOST"],
        port=database["PORT"] or None,
        user=database["USER"],
        password=database["PASSWORD"] or None,
        dbname=name,
        autocommit=True,
    )


def row_counts(name):
    with connect(name) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


def some_records(name):
    with connect(name) as conn:
        return conn.execute(
            "SELECT e.id, e.slug, e.name_fr, e.name_en, e.postal_code, e.updated_at, p.slug "
            "FROM entreprises_enterprise e LEFT JOIN poles_pole p ON p.id = e.pole_id "
            "ORDER BY e.id LIMIT 5"
        ).fetchall()


@pytest.fixture
def empty_database(transactional_db):
    with connect("postgres") as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {RESTORE_TARGET} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {RESTORE_TARGET}")
    yield RESTORE_TARGET
    with connect("postgres") as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {RESTORE_TARGET} WITH (FORCE)")


def manage(*args, database_name):
    """`manage.py` in a fresh process with production settings, against `database_name`."""
    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}@{quote(database['HOST'], safe='')}/{database_name}"
    keep = {"PATH", "HOME", "LANG", "XDG_RUNTIME_DIR"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL=url)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_backup_then_restore_gives_back_every_record(empty_database, tmp_path):
    load_reference()
    create_demo_enterprises(count=30, seed=7)
    source = connection.settings_dict["NAME"]
    out = StringIO()

    call_command("backup", directory=tmp_path, stdout=out)

    [dump] = list(tmp_path.iterdir())
    assert re.fullmatch(rf"{source}-\d{{8}}T\d{{6}}Z\.dump", dump.name)
    assert dump.read_bytes()[:5] == b"PGDMP"
    assert out.getvalue() == f"Wrote {dump} ({dump.stat().st_size / 1_000_000:.1f} MB).\n"

    checked = manage("restore", "--dry-run", str(dump), database_name=empty_database)
    assert checked.returncode == 0, checked.stderr
    assert "is a readable dump and the database is empty; nothing done." in checked.stdout
    assert row_counts(empty_database) == {}

    result = manage("restore", str(dump), database_name=empty_database)
    assert result.returncode == 0, result.stderr
    assert re.search(rf"Restored {re.escape(str(dump))}: \d+ tables in", result.stdout)

    counts = row_counts(source)
    assert counts["entreprises_enterprise"] == Enterprise.objects.count() >= 30
    assert counts["poles_pole"] > 0
    assert row_counts(empty_database) == counts
    assert some_records(empty_database) == some_records(source)


def test_restore_refuses_a_database_that_is_not_empty(db, tmp_path):
    # The migrated test database has tables, which is enough to be refused.
    call_command("backup", directory=tmp_path, stdout=StringIO())
    [dump] = list(tmp_path.iterdir())
    before = row_counts(connection.settings_dict["NAME"])
    with pytest.raises(CommandError, match=r"already has \d+ tables; restore only into an empty"):
        call_command("restore", str(dump), stdout=StringIO())
    assert row_counts(connection.settings_dict["NAME"]) == before


def test_restore_refuses_a_file_that_is_not_a_dump(db, tmp_path):
    bogus = tmp_path / "notes.dump"
    bogus.write_text("SELECT 1;")
    with pytest.raises(CommandError, match=r"notes\.dump is not a pg_dump archive"):
        call_command("restore", str(bogus))
    with pytest.raises(CommandError, match=r"missing\.dump does not exist"):
        call_command("restore", str(tmp_path / "missing.dump"))


def test_pg_dump_is_at_least_as_new_as_the_server(db):
    server_major = connection.pg_version // 10000
    tool = pg_tool("pg_dump", server_major=server_major)
    assert tool_major_version(tool) >= server_major


def test_backups_folder_is_ignored_by_git():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "backups/chantier-20260101T000000Z.dump"],
        cwd=settings.BASE_DIR,
    )
    assert ignored.returncode == 0


def test_backup_keeps_only_the_newest_dumps_when_asked(db, tmp_path):
    name = connection.settings_dict["NAME"]
    older = [tmp_path / f"{name}-2026010{day}T030000Z.dump" for day in (1, 2, 3)]
    other_database = tmp_path / "another-20260101T030000Z.dump"
    notes = tmp_path / "README.txt"
    for path in [*older, other_database, notes]:
        path.write_bytes(b"PGDMP")
    out = StringIO()

    call_command("backup", directory=tmp_path, keep=2, stdout=out)

    remaining = sorted(path.name for path in tmp_path.iterdir())
    [new] = [n for n in remaining if n.startswith(name) and n not in {p.name for p in older}]
    assert remaining == sorted([new, older[2].name, other_database.name, notes.name])
    assert out.getvalue().splitlines()[1:] == [f"Removed {older[1]}.", f"Removed {older[0]}."]


def test_backup_refuses_to_keep_nothing(db, tmp_path):
    with pytest.raises(CommandError, match="--keep must be 1 or more, not 0."):
        call_command("backup", directory=tmp_path, keep=0)
    assert list(tmp_path.iterdir()) == []
