"""The deployment files: compose validated by docker-compose, the image's recipe, and the
production server itself (gunicorn with gunicorn.conf.py, whitenoise, JSON logs)."""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from django.conf import settings

from tests.ops.policies import STRICT_POLICY, directives

BASE_DIR = Path(settings.BASE_DIR)
DOCKER_COMPOSE = "/usr/bin/docker-compose"


def plain_environment(**extra):
    keep = {"PATH", "HOME", "LANG", "XDG_RUNTIME_DIR"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(extra)
    return env


def compose_config(**env):
    if not Path(DOCKER_COMPOSE).exists():
        pytest.fail(f"{DOCKER_COMPOSE} is missing: `make test` installs Debian's docker-compose.")
    return subprocess.run(
        [DOCKER_COMPOSE, "--project-directory", str(BASE_DIR), "config"],
        cwd=BASE_DIR,
        env=plain_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_compose_file_is_valid_and_complete():
    result = compose_config(
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="portail.example",
        POSTGRES_PASSWORD="pw-1",
        SITE_ADDRESS="portail.example",
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    db, web = config["services"]["db"], config["services"]["web"]

    assert db["image"] == "postgres:16"
    assert db["volumes"] == ["pgdata:/var/lib/postgresql/data:rw"]
    assert db["healthcheck"]["test"] == ["CMD-SHELL", "pg_isready -U portail -d portail"]
    assert set(config["volumes"]) == {
        "pgdata",
        "backups",
        "static",
        "media",
        "caddy_data",
        "caddy_config",
    }

    assert web["build"]["context"] == str(BASE_DIR)
    assert web["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert web["environment"]["DEBUG"] == "0"
    assert web["environment"]["DATABASE_URL"] == "postgres://portail:pw-1@db:5432/portail"
    assert db["environment"]["POSTGRES_PASSWORD"] == "pw-1"
    assert "ports" not in db
    assert web["environment"]["ALLOWED_HOSTS"] == "portail.example,localhost"
    assert web["environment"]["GUNICORN_WORKERS"] == "3"
    assert web["environment"]["GUNICORN_TIMEOUT"] == "30"
    assert "http://127.0.0.1:8000/healthz" in " ".join(web["healthcheck"]["test"])
    assert web["volumes"] == [
        "backups:/backups:rw",
        "static:/srv/static:rw",
        "media:/srv/media:rw",
    ]
    # Only the proxy is reachable from outside; it forwards one hop to gunicorn.
    assert "ports" not in web
    assert web["environment"]["API_NUM_PROXIES"] == "1"
    assert web["environment"]["TRUST_X_FORWARDED_PROTO"] == "1"
    assert web["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert web["environment"]["STATIC_ROOT"] == "/srv/static"
    assert "collectstatic --noinput" in " ".join(web["command"])

    proxy = config["services"]["proxy"]
    assert proxy["image"] == "caddy:2"
    assert proxy["environment"] == {
        "SITE_ADDRESS": "portail.example",
        "UPSTREAM": "web:8000",
        "STATIC_ROOT": "/srv/static",
        "MEDIA_ROOT": "/srv/media",
    }
    assert f"{BASE_DIR}/deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert {"static:/srv/static:ro", "media:/srv/media:ro"} <= set(proxy["volumes"])
    assert {(port["target"], str(port["published"])) for port in proxy["ports"]} == {
        (80, "80"),
        (443, "443"),
    }
    assert proxy["depends_on"] == {"web": {"condition": "service_healthy"}}

    redis = config["services"]["redis"]
    assert redis["image"] == "redis:7"
    assert "ports" not in redis
    assert redis["command"][:3] == ["redis-server", "--save", ""]
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]

    worker = config["services"]["worker"]
    assert worker["command"] == ["python", "manage.py", "procrastinate", "worker"]
    assert worker["environment"]["DATABASE_URL"] == web["environment"]["DATABASE_URL"]
    assert worker["environment"]["EMAIL_PORT"] == "25"
    assert worker["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert worker["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "web": {"condition": "service_started"},
    }


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "Set SECRET_KEY in .env"),
        ("ALLOWED_HOSTS", "Set ALLOWED_HOSTS in .env"),
        ("POSTGRES_PASSWORD", "Set POSTGRES_PASSWORD in .env"),
        ("SITE_ADDRESS", "Set SITE_ADDRESS in .env"),
    ],
)
def test_compose_refuses_to_run_without_required_settings(missing, message):
    env = {
        "SECRET_KEY": "s" * 50,
        "ALLOWED_HOSTS": "portail.example",
        "POSTGRES_PASSWORD": "pw",
        "SITE_ADDRESS": "portail.example",
    }
    del env[missing]
    result = compose_config(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_image_runs_as_a_user_collects_static_and_starts_gunicorn():
    lines = [
        line.strip()
        for line in (BASE_DIR / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "FROM python:3.11-slim"
    users = [line for line in lines if line.startswith("USER ")]
    assert users == ["USER portail"]
    collect = next(line for line in lines if "collectstatic" in line)
    assert lines.index(collect) < lines.index("USER portail")
    assert collect.startswith("RUN DEBUG=0 ")
    assert lines[-1] == (
        'CMD ["sh", "-c", "python manage.py migrate --noinput && '
        'exec gunicorn -c gunicorn.conf.py chantier.wsgi"]'
    )
    ignored = (BASE_DIR / ".dockerignore").read_text().split()
    assert {".env", ".data", ".venv", "backups"} <= set(ignored)


def gunicorn_settings(**env):
    code = (
        "import runpy, json; c = runpy.run_path('gunicorn.conf.py'); "
        "print(json.dumps({k: c[k] for k in "
        "['bind', 'workers', 'threads', 'timeout', 'graceful_timeout', 'max_requests']}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=plain_environment(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_gunicorn_settings_come_from_the_environment():
    defaults = gunicorn_settings()
    assert json.loads(defaults.stdout) == {
        "bind": "0.0.0.0:8000",
        "workers": 3,
        "threads": 1,
        "timeout": 30,
        "graceful_timeout": 30,
        "max_requests": 2000,
    }
    tuned = gunicorn_settings(GUNICORN_WORKERS="5", GUNICORN_TIMEOUT="60", PORT="9000")
    assert json.loads(tuned.stdout)["workers"] == 5
    assert json.loads(tuned.stdout)["timeout"] == 60
    assert json.loads(tuned.stdout)["bind"] == "0.0.0.0:9000"
    bad = gunicorn_settings(GUNICORN_WORKERS="four")
    assert bad.returncode != 0
    assert "GUNICORN_WORKERS must be an integer, not 'four'." in bad.stderr


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def production_server(transactional_db, tmp_path):
    """gunicorn as the container runs it, on the test database, with collected static files."""
    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}@{quote(database['HOST'], safe='')}/{database['NAME']}"
    port = free_port()
    env = plain_environment(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=url,
        STATIC_ROOT=str(tmp_path / "static"),
        TRUST_X_FORWARDED_PROTO="1",
        GUNICORN_BIND_HOST="127.0.0.1",
        PORT=str(port),
        GUNICORN_WORKERS="1",
        LOG_LEVEL="INFO",
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collected.returncode == 0, collected.stderr
    log = tmp_path / "gunicorn.log"
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    with log.open("w") as stderr:
        server = subprocess.Popen(
            [gunicorn, "-c", "gunicorn.conf.py", "chantier.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(base + "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        server.terminate()
        pytest.fail("gunicorn did not answer within 60 s:\n" + log.read_text())
    yield base, tmp_path / "static", log
    server.terminate()
    server.wait(timeout=30)


@pytest.mark.slow
def test_production_server_pages_static_files_and_logs(production_server):
    base, static_root, log = production_server
    https = {"X-Forwarded-Proto": "https"}

    status, headers, body = get(base + "/fr/", **https)
    assert status == 200
    assert '<html lang="fr">' in body.decode()
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert directives(headers["Content-Security-Policy"]) == STRICT_POLICY
    assert headers["X-Frame-Options"] == "DENY"
    assert not re.search(r"\d", headers.get("Server", "")), headers.get("Server")

    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body.decode())
    assert stylesheet, "the page links the hashed stylesheet"
    status, headers, css = get(base + stylesheet.group(1), **https, **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    assert "/static/" + manifest["paths"]["css/site.css"] == stylesheet.group(1)

    status, headers, _ = get(base + "/fr/", X_Request_ID="abc")
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{base.rsplit(':', 1)[1]}/fr/"

    # A search of 10,000 characters reaches the portal, which answers with its own message.
    status, _, body = get(base + "/fr/entreprises/?q=" + "a" * 10_000, **https)
    assert status == 200
    assert "caractères" in body.decode()

    status, headers, body = get(base + "/nowhere", **https)
    assert status == 404
    assert b"Traceback" not in body
    assert directives(headers["Content-Security-Policy"]) == STRICT_POLICY

    time.sleep(0.5)
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    requests = [entry for entry in entries if entry["logger"] == "chantier.requests"]
    assert {"GET /fr/ 200", "GET /fr/ 301", "GET /healthz 200"} <= {
        entry["message"] for entry in requests
    }
    assert all(len(entry["request_id"]) == 32 for entry in requests)
    assert any(entry["logger"] == "gunicorn.error" for entry in entries)
