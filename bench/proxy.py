"""The front door in front of the benchmark's gunicorn: deploy/Caddyfile, the file
docker-compose.yml runs, run by Debian's caddy with HTTPS from Caddy's own local
certificate authority (works offline), so that `BENCH_PROXY=1 make bench` measures
routes as visitors reach them in production, TLS included.

The Caddyfile is adapted to JSON by caddy itself and three things are changed for a
shared machine: it listens on loopback only, it never installs its root certificate in
the system's trust store, and it opens no port-80 redirect server."""

import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CADDY = Path("/usr/bin/caddy")
CADDYFILE = BASE_DIR / "deploy" / "Caddyfile"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Proxy:
    """Caddy on https://localhost:<a free port>, forwarding to 127.0.0.1:`upstream_port`."""

    def __init__(self, *, upstream_port: int, static_root: Path, media_root: Path):
        if not CADDY.exists():
            raise SystemExit(f"{CADDY} is missing: `make compose-cli` installs Debian's caddy.")
        self.port = free_port()
        self.base = f"https://localhost:{self.port}"
        self.workdir = Path(tempfile.mkdtemp(prefix="bench-caddy-"))
        self.log = self.workdir / "caddy.log"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.workdir),
            "XDG_DATA_HOME": str(self.workdir / "data"),  # its local CA and certificates
            "XDG_CONFIG_HOME": str(self.workdir / "config"),
            "SITE_ADDRESS": f"localhost:{self.port}",
            "UPSTREAM": f"127.0.0.1:{upstream_port}",
            "STATIC_ROOT": str(static_root),
            "MEDIA_ROOT": str(media_root),
        }
        self.process: subprocess.Popen | None = None

    def config(self) -> dict:
        adapted = subprocess.run(
            [str(CADDY), "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        config = json.loads(adapted)
        (server,) = config["apps"]["http"]["servers"].values()
        server["listen"] = [f"127.0.0.1:{self.port}"]
        server["automatic_https"] = {"disable_redirects": True}
        config["apps"]["pki"] = {"certificate_authorities": {"local": {"install_trust": False}}}
        return config

    def start(self) -> None:
        path = self.workdir / "caddy.json"
        path.write_text(json.dumps(self.config()))
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [str(CADDY), "run", "--config", str(path)],
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.fetch("/static/")
                return
            except (OSError, ssl.SSLError):  # not listening, or no certificate yet
                time.sleep(0.1)
        log = self.log.read_text()
        self.stop()
        raise SystemExit("caddy did not start:\n" + log)

    def fetch(self, path: str) -> tuple[int, list[str], bytes]:
        """Status, Server headers and body of a GET through the proxy, its certificate
        checked against Caddy's local authority."""
        root = self.workdir / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        if not root.exists():
            raise OSError("no local certificate authority yet")
        context = ssl.create_default_context(cafile=str(root))
        try:
            with urllib.request.urlopen(self.base + path, timeout=30, context=context) as answer:  # noqa: S310
                return answer.status, answer.headers.get_all("Server") or [], answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get_all("Server") or [], error.read()

    def requests_logged(self) -> list[dict]:
        """The access log's requests (the Caddyfile logs each one as JSON)."""
        lines = [json.loads(line) for line in self.log.read_text().splitlines() if line]
        return [line["request"] for line in lines if line.get("msg") == "handled request"]

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.workdir, ignore_errors=True)
