"""The front door of docker-compose.yml: Caddy with deploy/Caddyfile serves static and
media files itself, compresses, and forwards the rest with the visitor's address (never
one the visitor wrote); behind it, every rule that counts by address reads that one."""

import gzip
import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from common.client_address import client_address
from tests.personas import PASSWORD

CADDYFILE = Path(settings.BASE_DIR) / "deploy" / "Caddyfile"
CADDY = "/usr/bin/caddy"


def caddy_environment(**extra):
    env = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    env.update(extra)
    return env


def require_caddy():
    if not Path(CADDY).exists():
        pytest.fail(f"{CADDY} is missing: `make test` installs Debian's caddy package.")


class EchoUpstream(BaseHTTPRequestHandler):
    """Stands for gunicorn: answers with the forwarding headers it was given."""

    def do_GET(self):  # noqa: N802 (the standard library's name)
        body = json.dumps(
            {
                "path": self.path,
                "x_forwarded_for": self.headers.get("X-Forwarded-For"),
                "x_forwarded_proto": self.headers.get("X-Forwarded-Proto"),
                "padding": "économie sociale " * 200,
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def front_door(tmp_path):
    require_caddy()
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), EchoUpstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    static, media = tmp_path / "static", tmp_path / "media"
    (static / "css").mkdir(parents=True)
    (static / "css" / "site.0123456789ab.css").write_text("body { color: #222; }\n" * 200)
    media.mkdir()
    (media / "logo.txt").write_text("logo")
    port = free_port()
    env = caddy_environment(
        SITE_ADDRESS=f"http://127.0.0.1:{port}",
        UPSTREAM=f"127.0.0.1:{upstream.server_address[1]}",
        STATIC_ROOT=str(static),
        MEDIA_ROOT=str(media),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    log = tmp_path / "caddy.log"
    with log.open("w") as output:
        caddy = subprocess.Popen(
            [CADDY, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            fetch(base + "/media/logo.txt")
            break
        except OSError:
            time.sleep(0.1)
    else:
        caddy.terminate()
        pytest.fail("caddy did not start:\n" + log.read_text())
    yield base
    caddy.terminate()
    caddy.wait(timeout=10)
    upstream.shutdown()


def test_caddyfile_is_valid():
    require_caddy()
    result = subprocess.run(
        [CADDY, "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=caddy_environment(SITE_ADDRESS="http://127.0.0.1:9", UPSTREAM="127.0.0.1:8000"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


@pytest.mark.slow
def test_static_and_media_files_are_served_by_the_proxy_compressed_and_cached(front_door):
    status, headers, body = fetch(
        front_door + "/static/css/site.0123456789ab.css", **{"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Server"] == "Caddy"
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert gzip.decompress(body).decode().startswith("body { color: #222; }")

    status, headers, body = fetch(front_door + "/media/logo.txt")
    assert (status, body) == (200, b"logo")
    assert headers["Cache-Control"] == "public, max-age=3600"
    assert headers["X-Content-Type-Options"] == "nosniff"

    # A missing static file is the proxy's 404: it never reaches the portal.
    status, headers, body = fetch(front_door + "/static/css/missing.css")
    assert (status, headers["Server"]) == (404, "Caddy")
    assert b"x_forwarded_for" not in body


@pytest.mark.slow
def test_the_portal_gets_the_visitors_address_never_one_the_visitor_wrote(front_door):
    status, headers, body = fetch(
        front_door + "/fr/entreprises/",
        **{"X-Forwarded-For": "203.0.113.66", "Accept-Encoding": "gzip"},
    )
    assert status == 200
    # The proxy leaves the portal's answers as they are: the portal compresses those
    # without secrets itself (BREACH), and this stand-in compresses nothing.
    assert "Content-Encoding" not in headers
    seen = json.loads(body)
    assert seen["path"] == "/fr/entreprises/"
    # Caddy replaces a forged header with the address it saw: one trusted hop.
    assert seen["x_forwarded_for"] == "127.0.0.1"
    assert seen["x_forwarded_proto"] == "http"


def test_compose_file_names_the_same_proxy_file_and_one_trusted_hop():
    compose = (Path(settings.BASE_DIR) / "docker-compose.yml").read_text()
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in compose
    assert 'API_NUM_PROXIES: "1"' in compose


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.2"),
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),
        (2, "203.0.113.66, 198.51.100.7", "203.0.113.66"),
        (2, "198.51.100.7", "198.51.100.7"),
        (1, "", "10.0.0.2"),
        (1, " , ", "10.0.0.2"),
    ],
)
def test_client_address_trusts_only_the_configured_hops(proxies, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(API_NUM_PROXIES=proxies):
        assert client_address(request) == expected


@override_settings(API_NUM_PROXIES=1)
def test_sign_in_lock_out_counts_by_the_forwarded_address(personas):
    """Behind the proxy every visitor has its address as peer: locking by the peer
    would lock the whole public out after one person's mistakes."""
    staff = personas.national
    login = reverse("admin:login")

    def attempt(address, password):
        return Client(REMOTE_ADDR="172.18.0.5").post(
            login,
            {"username": staff.username, "password": password, "next": "/admin/"},
            HTTP_X_FORWARDED_FOR=address,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("198.51.100.7", "wrong")
    assert attempt("198.51.100.7", PASSWORD).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    elsewhere = attempt("203.0.113.9", PASSWORD)
    assert (elsewhere.status_code, elsewhere["Location"]) == (302, "/admin/")
