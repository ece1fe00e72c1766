"""Reads through a real PostgreSQL streaming replica, writes to the primary.

The replica is a second server made with `pg_basebackup -R` from the test
database's own server (the pgserver binaries), streaming from it for the length
of the test.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction
from django.db.backends.postgresql.base import DatabaseWrapper
from pgserver._commands import POSTGRES_BIN_PATH

from chantier.routers import REPLICA, replica_reads
from entreprises.models import Enterprise
from tests.factories import EnterpriseFactory

# As root, pgserver runs PostgreSQL as this system user; the replica must too.
SYSTEM_USER = "pgserver" if os.geteuid() == 0 else None


def _run(*args: str) -> None:
    subprocess.run(
        [str(POSTGRES_BIN_PATH / args[0]), *args[1:]],
        check=True,
        capture_output=True,
        user=SYSTEM_USER,
        timeout=60,
    )


pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
    pytest.mark.slow,
    pytest.mark.serial,
]


@pytest.fixture
def replica(settings):
    """A streaming replica of the test server, known to Django as the `replica` database."""
    primary = connection.settings_dict
    folder = Path(tempfile.mkdtemp(prefix="replica-", dir="/tmp"))
    if SYSTEM_USER:
        account = pwd.getpwnam(SYSTEM_USER)
        os.chown(folder, account.pw_uid, account.pw_gid)
    data = folder / "data"
    # -R: write standby.signal and the primary's address; -X stream: WAL while copying.
    _run(
        "pg_basebackup", "-h", primary["HOST"], "-U", "postgres", "-D", str(data),
        "-R", "-X", "stream", "-c", "fast",
    )  # fmt: skip
    options = f"-h '' -k {folder}"
    _run("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
    mirror = connections[REPLICA]
    streaming = DatabaseWrapper({**primary, "HOST": str(folder)}, alias=REPLICA)
    connections[REPLICA] = streaming
    # What DATABASE_REPLICA_URL turns on: the router, and its middleware before sessions.
    settings.DATABASE_ROUTERS = ["chantier.routers.ReplicaRouter"]
    sessions = settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:sessions],
        "chantier.routers.ReplicaRoutingMiddleware",
        *settings.MIDDLEWARE[sessions:],
    ]
    try:
        yield streaming
    finally:
        streaming.close()
        connections[REPLICA] = mirror
        _run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def wait_for_replay(replica_connection, *, slug: str) -> None:
    """Until the replica has replayed the enterprise `slug` written on the primary."""
    deadline = time.monotonic() + 60
    with replica_connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT count(*) FROM entreprises_enterprise WHERE slug = %s", [slug])
            if cursor.fetchone() == (1,):
                return
            assert time.monotonic() < deadline, f"the replica did not replay {slug} in 60 s"
            time.sleep(0.05)


def replay(replica_connection, *, paused: bool) -> None:
    with replica_connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()"
        )


def test_reads_go_to_the_streaming_replica_and_writes_to_the_primary(replica, client):
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)

    written = EnterpriseFactory(name_en="Written on the primary", slug="on-primary")
    assert written._state.db == "default"
    wait_for_replay(replica, slug="on-primary")
    with replica_reads():
        read = Enterprise.objects.get(slug="on-primary")
    assert read._state.db == REPLICA
    assert read.name_en == "Written on the primary"

    # With replay paused, a new row exists on the primary only: who reads where shows.
    replay(replica, paused=True)
    EnterpriseFactory(name_en="Not replayed yet", slug="not-replayed")
    with replica_reads():
        assert not Enterprise.objects.filter(slug="not-replayed").exists()
        with transaction.atomic():
            assert Enterprise.objects.filter(slug="not-replayed").exists()
        assert not Enterprise.objects.filter(slug="not-replayed").exists()
        # Once the request has written, it reads its own writes from the primary.
        Enterprise.objects.filter(slug="on-primary").update(city="Québec")
        assert Enterprise.objects.filter(slug="not-replayed").exists()
    # Outside a request (commands, the shell) every read is on the primary.
    assert Enterprise.objects.filter(slug="not-replayed").exists()

    # Over HTTP: an anonymous visitor reads the replica, a session reads the primary.
    assert client.get("/en/enterprises/not-replayed/").status_code == 404
    client.cookies["sessionid"] = "someone-logged-in"
    page = client.get("/en/enterprises/not-replayed/")
    assert page.status_code == 200
    assert "<h1>Not replayed yet</h1>" in page.content.decode()
    client.cookies.clear()
    # The API list's records, written by PostgreSQL in one query, are read where the
    # queryset's rows are: the replica for an anonymous partner.
    listed = client.get("/api/v1/enterprises/?page_size=1000").json()["results"]
    assert "not-replayed" not in [record["slug"] for record in listed]
    for streamed in ("geojson", "csv"):
        body = b"".join(client.get(f"/api/v1/enterprises/?format={streamed}").streaming_content)
        assert b"on-primary" in body
        assert b"not-replayed" not in body

    replay(replica, paused=False)
    wait_for_replay(replica, slug="not-replayed")
    page = client.get("/en/enterprises/not-replayed/")
    assert page.status_code == 200
    assert "<h1>Not replayed yet</h1>" in page.content.decode()
