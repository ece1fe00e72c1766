"""Backups of the database: pg_dump to a compressed, dated file; pg_restore into an empty database.

The tools come from PG_BIN_DIR when set; otherwise the first pg_dump/pg_restore on
PATH that is at least as new as the server, else the embedded server's own
(the pgserver package ships them), so a backup works with nothing else installed.
"""

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

ARCHIVE_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason in words."""


@dataclass(frozen=True)
class Restored:
    tables: int
    seconds: float


def embedded_bin_dir() -> Path:
    import pgserver

    return Path(pgserver.__file__).parent / "pginstall" / "bin"


def tool_major_version(path: Path) -> int:
    # Every command here is a list of arguments naming a PostgreSQL tool, never a shell.
    output = subprocess.run(  # noqa: S603
        [str(path), "--version"], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    match = re.search(r"\(PostgreSQL\) (\d+)", output)
    if not match:
        raise BackupError(f"Cannot tell the version of {path} from {output.strip()!r}.")
    return int(match.group(1))


def pg_tool(name: str, *, server_major: int) -> Path:
    """The pg_dump or pg_restore to use against a server of version `server_major`."""
    if settings.PG_BIN_DIR:
        candidates = [Path(settings.PG_BIN_DIR) / name]
    else:
        on_path = shutil.which(name)
        candidates = [Path(on_path)] if on_path else []
        candidates.append(embedded_bin_dir() / name)
    for candidate in candidates:
        # An older client refuses to dump a newer server.
        if candidate.exists() and tool_major_version(candidate) >= server_major:
            return candidate
    tried = ", ".join(str(candidate) for candidate in candidates)
    raise BackupError(
        f"No {name} for PostgreSQL {server_major} or newer (tried {tried}); set PG_BIN_DIR."
    )


def server_major_version(alias: str) -> int:
    connection = connections[alias]
    connection.ensure_connection()
    return connection.pg_version // 10000


def libpq_environment(database: dict) -> dict[str, str]:
    """The environment that points pg_dump and pg_restore at a Django database."""
    env = dict(os.environ)
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if database.get(key):
            env[variable] = str(database[key])
    options = database.get("OPTIONS", {})
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    env["PGCONNECT_TIMEOUT"] = str(options.get("connect_timeout", 10))
    return env


def dump_database(*, directory: Path, alias: str = "default") -> Path:
    """Write a compressed custom-format dump named after the database and the UTC time."""
    database = connections[alias].settings_dict
    pg_dump = pg_tool("pg_dump", server_major=server_major_version(alias))
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = directory / f"{database['NAME']}-{stamp}.dump"
    # Written under another name first: a dump that stopped half-way is never mistaken for one.
    partial = target.with_suffix(".dump.partial")
    result = subprocess.run(  # noqa: S603
        [
            str(pg_dump),
            "--format=custom",
            "--compress=6",
            "--no-owner",
            "--no-privileges",
            f"--file={partial}",
        ],
        env=libpq_environment(database),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    partial.rename(target)
    return target


def prune_backups(*, directory: Path, database_name: str, keep: int) -> list[Path]:
    """Delete all but the `keep` newest dumps of this database in `directory`; say which."""
    # The UTC stamp in the name sorts like the time it stands for.
    dumps = sorted(directory.glob(f"{database_name}-????????T??????Z.dump"), reverse=True)
    removed = dumps[keep:]
    for path in removed:
        path.unlink()
    return removed


def check_archive(path: Path) -> None:
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    with path.open("rb") as archive:
        if archive.read(len(ARCHIVE_MAGIC)) != ARCHIVE_MAGIC:
            raise BackupError(f"{path} is not a pg_dump archive (custom format).")


def existing_tables(alias: str) -> list[str]:
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        return [row[0] for row in cursor.fetchall()]


def restore_database(*, path: Path, alias: str = "default", dry_run: bool = False) -> Restored:
    """Restore `path` into the database `alias`, which must be empty; all or nothing."""
    started = time.perf_counter()
    check_archive(path)
    database = connections[alias].settings_dict
    tables = existing_tables(alias)
    if tables:
        raise BackupError(
            f"The database {database['NAME']} already has {len(tables)} tables; "
            "restore only into an empty database."
        )
    pg_restore = pg_tool("pg_restore", server_major=server_major_version(alias))
    # Closed so that nothing of ours holds a lock or a snapshot while pg_restore works.
    connections[alias].close()
    if dry_run:
        command = [str(pg_restore), "--list", str(path)]
    else:
        command = [
            str(pg_restore),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database['NAME']}",
            str(path),
        ]
    result = subprocess.run(  # noqa: S603
        command, env=libpq_environment(database), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed, nothing was restored: {result.stderr.strip()}")
    restored = 0 if dry_run else len(existing_tables(alias))
    return Restored(tables=restored, seconds=time.perf_counter() - started)
