"""The database the portal talks to: `DATABASE_URL` when set, else an embedded PostgreSQL.

The embedded server comes from the `pgserver` package (a real PostgreSQL 16 in a
wheel). It keeps its data under `.data/postgres/` and keeps running after the
process that started it exits, so `make run`, `manage.py` commands and the tests
share one server.
"""

import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import dj_database_url

EMBEDDED_DATABASE_NAME = "chantier"
RANDOM_PAGE_COST = 1.1


def database_config(
    *,
    url: str,
    data_dir: Path,
    conn_max_age: int,
    connect_timeout: int = 5,
    statement_timeout: int = 15000,
) -> dict:
    """Django's DATABASES["default"] entry for `url`, or for the embedded server.

    Both timeouts keep a worker from hanging when the database is away or slow:
    connecting gives up after `connect_timeout` seconds, and any statement is
    cancelled after `statement_timeout` milliseconds (0: no limit).

    `random_page_cost` is set for solid-state storage: with PostgreSQL's default
    (4, for spinning disks) the planner reads the whole enterprise table rather
    than the search index for a broad search, five times slower at 100,000 rows.

    `cursor_tuple_fraction` is 1: every server-side cursor of the portal (the API's
    GeoJSON, the exports, `.iterator()`) is read to its end, and outside a transaction
    the whole result is computed before the first row is sent. With PostgreSQL's
    default (0.1, plan for the first tenth) a pole's sector in GeoJSON walked all
    100,000 enterprises in `updated_at` order rather than sorting its 2,000.
    """
    if url:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    else:
        config = embedded_config(data_dir=data_dir, conn_max_age=conn_max_age)
    options = config.setdefault("OPTIONS", {})
    options["connect_timeout"] = connect_timeout
    options["options"] = " ".join(
        filter(
            None,
            [
                options.get("options", ""),
                f"-c statement_timeout={statement_timeout}",
                f"-c random_page_cost={RANDOM_PAGE_COST}",
                "-c cursor_tuple_fraction=1",
            ],
        )
    )
    return config


def embedded_config(*, data_dir: Path, conn_max_age: int) -> dict:
    socket_dir = start_embedded_server(data_dir=data_dir)
    ensure_database(socket_dir=socket_dir, name=EMBEDDED_DATABASE_NAME)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": EMBEDDED_DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
    }


def start_embedded_server(*, data_dir: Path) -> str:
    """Start (or reuse) the embedded server and return the directory of its socket."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset, as in containers and CI.
        warnings.simplefilter("ignore")
        import pgserver

        data_dir.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(data_dir, cleanup_mode=None)
        uri = server.get_uri()
    return parse_qs(urlparse(uri).query)["host"][0]


def ensure_database(*, socket_dir: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=socket_dir, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
