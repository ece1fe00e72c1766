"""The database goes away and comes back: pages say 503 quickly, then recover by themselves.

The test stops the embedded PostgreSQL server of the test run with its own
pg_ctl, and starts it again the way pgserver does (no TCP, a Unix socket only).
"""

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pgserver
import pytest
from django.conf import settings
from django.db import connection

from chantier.logs import JsonFormatter, RequestIdFilter
from tests.ops.policies import STRICT_POLICY, directives

PG_CTL = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_ctl"


def fetch(url, headers=None):
    """Status, headers and body of a GET, whatever the status."""
    headers = {"Accept-Language": "fr", **(headers or {})}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    return status, headers, body.decode(), time.perf_counter() - started


def pg_ctl(*args):
    # PostgreSQL refuses to run as root; pgserver runs it as its own system user.
    owner = {"user": "pgserver"} if os.geteuid() == 0 else {}
    data_dir = settings.DATA_DIR / "postgres"
    return subprocess.run(
        [str(PG_CTL), "-D", str(data_dir), *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
        **owner,
    )


@pytest.fixture
def embedded_server(transactional_db):
    if os.environ.get("DATABASE_URL"):
        pytest.skip("DATABASE_URL is set: the test run does not own its database server")
    socket_dir = settings.DATABASES["default"]["HOST"]
    state = {"running": True}

    def stop():
        pg_ctl("stop", "-m", "fast", "-w")
        state["running"] = False

    def start():
        log = settings.DATA_DIR / "postgres" / "log"
        pg_ctl("start", "-w", "-l", str(log), "-o", '-h ""', "-o", f"-k {socket_dir}")
        state["running"] = True

    yield stop, start
    if not state["running"]:
        start()
    # The test's own connection died with the server; the next query opens a new one.
    connection.close()


@pytest.mark.slow
@pytest.mark.serial
def test_database_outage_answers_503_then_recovers(live_server, embedded_server):
    stop, start = embedded_server
    home = live_server.url + "/fr/"
    assert fetch(home)[0] == 200

    stop()
    status, headers, body, seconds = fetch(home)
    assert status == 503
    assert "<h1>Service momentanément indisponible</h1>" in body
    assert "<h2>Service temporarily unavailable</h2>" in body
    assert "Traceback" not in body
    assert "psycopg" not in body
    assert headers["Retry-After"] == "30"
    assert directives(headers["Content-Security-Policy"]) == STRICT_POLICY
    assert len(headers["X-Request-ID"]) == 32
    print(f"503 answered in {seconds * 1000:.0f} ms with the database down")

    status, _, body, _ = fetch(live_server.url + "/en/")
    assert status == 503
    assert "Service temporarily unavailable" in body

    status, headers, body, _ = fetch(live_server.url + "/healthz")
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"status": "unavailable", "database": False}

    start()
    status, _, body, _ = fetch(home)
    assert status == 200
    assert '<html lang="fr">' in body
    status, _, body, _ = fetch(live_server.url + "/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok", "database": True})


def test_logs_are_json_lines_with_the_request_id(client, db):
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("chantier.requests")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234.abc")
        forged = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith a newline")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    assert response["X-Request-ID"] == "lb-1234.abc"
    assert forged["X-Request-ID"] != "bad id\nwith a newline"
    assert len(forged["X-Request-ID"]) == 32
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["request_id"] == "lb-1234.abc"
    assert first["message"] == "GET /healthz 200"
    assert first["level"] == "INFO"
    assert first["logger"] == "chantier.requests"
    assert (first["method"], first["path"], first["status"]) == ("GET", "/healthz", 200)
    assert isinstance(first["duration_ms"], float)
    assert first["time"].endswith("+00:00")
    assert second["request_id"] == forged["X-Request-ID"]


def test_exceptions_are_logged_on_one_line():
    formatter = JsonFormatter()
    try:
        raise ValueError("bad row 7")
    except ValueError:
        record = logging.LogRecord("chantier", logging.ERROR, __file__, 1, "failed", (), None)
        record.exc_info = sys.exc_info()
    line = formatter.format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed"
    assert "ValueError: bad row 7" in entry["exception"]


def test_database_timeouts_come_from_settings(db):
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["connect_timeout"] == 5
    assert options["options"] == (
        "-c statement_timeout=15000 -c random_page_cost=1.1 -c cursor_tuple_fraction=1"
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("15s",)
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)
        cursor.execute("SHOW cursor_tuple_fraction")
        assert cursor.fetchone() == ("1",)


def statement_timeout_of_a_command(**env):
    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}@{quote(database['HOST'], safe='')}/{database['NAME']}"
    keep = {"PATH", "HOME", "LANG", "XDG_RUNTIME_DIR"}
    environment = {key: value for key, value in os.environ.items() if key in keep}
    environment.update(DEBUG="0", SECRET_KEY="k" * 50, DATABASE_URL=url, **env)
    code = (
        "from django.db import connection; cursor = connection.cursor(); "
        "cursor.execute('SHOW statement_timeout'); print(cursor.fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_commands_have_their_own_statement_timeout(db):
    # A web setting in the environment (as in the container) does not limit migrate or imports.
    assert statement_timeout_of_a_command(DATABASE_STATEMENT_TIMEOUT="15000") == "0"
    assert statement_timeout_of_a_command(COMMAND_STATEMENT_TIMEOUT="600000") == "10min"


@pytest.mark.slow
def test_a_database_that_never_answers_gives_503_after_the_connect_timeout():
    """A server that accepts the connection and then says nothing (a hung host, a full
    proxy): the page still answers, after DATABASE_CONNECT_TIMEOUT, instead of hanging."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    code = (
        "import time, django; django.setup(); from django.test import Client; "
        "started = time.perf_counter(); "
        "client = Client(raise_request_exception=False); "
        "health = client.get('/healthz'); page = client.get('/fr/'); "
        "print(health.status_code, health.content.decode(), page.status_code, "
        "round(time.perf_counter() - started, 1))"
    )
    keep = {"PATH", "HOME", "LANG", "XDG_RUNTIME_DIR"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        PYTHONPATH=str(settings.BASE_DIR),
        DATABASE_URL=f"postgres://portail:secret@127.0.0.1:{port}/portail",
        DATABASE_CONNECT_TIMEOUT="2",
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        silent.close()
    assert result.returncode == 0, result.stderr
    health, seconds = result.stdout.strip().rsplit(" ", 1)
    assert health == '503 {"status": "unavailable", "database": false} 503'
    print(
        f"503 after {seconds} s for two requests with a silent database and a 2 s connect timeout"
    )
