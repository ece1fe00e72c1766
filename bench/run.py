"""The portal's benchmark (`make bench`) and soak test (`make soak`).

One script, longer than most modules, because it is one program run from the
Makefile: its set-up lives in `manage.py bench_setup`, the rest is driving
gunicorn and the load generator (bench/load.py) and writing the report.

Starts the portal under gunicorn with production settings on the embedded
PostgreSQL holding BENCH_COUNT demo enterprises (created when fewer exist, and
timed), drives every route with Apache's ab (bench/load.py) at 1, 8 and 32
connections, and compares each with two floors measured on the same server: a
static file through whitenoise and a minimal Django view returning a page of the
home page's size. Results are printed and written to docs/benchmarks.md. A route
the portal does not have (404) is reported as not available, never measured.

Environment: BENCH_DURATION (seconds per measurement, default 10), BENCH_COUNT
(default 100000), BENCH_WORKERS (gunicorn workers, default 4), BENCH_CONNECTIONS
(default 1,8,32), BENCH_DATA_DIR (default .data/bench), BENCH_PORT (default 8765),
BENCH_WRITE (0: do not write docs/benchmarks.md), BENCH_ROUTES (a comma-separated
list of words: only the routes whose names hold one, beside the floor; "edits" runs the
directory under edits), BENCH_GROWTH (say 10000,100000,300000: the growth run, each size
in its own database, .data/bench<thousands> unless it is BENCH_COUNT), SOAK_DURATION
(default 300), SOAK_CONNECTIONS (default 32), BENCH_PROXY (1: also measure a few routes
through deploy/Caddyfile run by Debian's caddy over HTTPS with its local certificate
authority, each right after the same route direct: the floors in both halves, the
directory uncached, the home page and the API list cached; gunicorn then runs with
API_NUM_PROXIES=1 as in production). Each measurement notes the machine's load
average (1 minute) when it ended. What follows KEPT_MARK in docs/benchmarks.md (the
changes measured before and after) is kept when the file is written again.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench import load, scaling
from bench.load import Measure
from bench.proxy import Proxy

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = BASE_DIR / "docs" / "benchmarks.md"
CHART = BASE_DIR / "docs" / "benchmarks-growth.svg"
KEPT_MARK = "<!-- Kept by make bench: written by hand below. -->"

# Budgets (p95 in milliseconds at 8 connections; ratio to the minimal view): 100 ms for
# every page, a search, a facet and the API lists; 150 ms for searches of several words,
# misspelt ones and the admin's searches; a cached route at 70 % of the minimal view.
PAGE_P95_MS = 100
SEARCH_P95_MS = 150
CACHED_RATIO = 0.7
# The routes held to SEARCH_P95_MS (the admin's searches are, by their kind).
WIDER_SEARCHES = ("two words", "different queries", "fuzzy", "with a search")
EXPORT_SECONDS = 10
EXPORT_GROWTH_MB = 100
GENERATE_SECONDS = 180


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


@dataclass
class Route:
    name: str
    path: str
    kind: str  # page, search, api, admin, admin-search, floor, map
    cacheable: bool = True
    headers: dict = field(default_factory=dict)
    more_paths: list = field(default_factory=list)  # cycled through with `path`
    proxied: tuple = ()  # the halves ("uncached", "cached") measured through the proxy too


class Bench:
    def __init__(self, *, data_dir: Path, port: int, workers: int):
        self.data_dir = data_dir
        self.port = port
        self.workers = workers
        self.base = f"http://127.0.0.1:{port}"
        self.server: subprocess.Popen | None = None
        self.timings: dict[str, str] = {}
        self.python = BIN / "python"
        self.base_dir = BASE_DIR

    # -- the portal --------------------------------------------------------------------

    def env(self, **extra) -> dict:
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "benchmark-only-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",  # localhost: the proxy's address
            "SECURE_COOKIES": "0",
            "SECURE_SSL_REDIRECT": "0",
            "BENCH_FLOOR": "1",
            # The benchmark measures what the server can serve, not the API's rate limit.
            "API_RATE_ANONYMOUS": "1000000000/minute",
            "API_RATE_KEY": "1000000000/minute",
            "DATA_DIR": str(self.data_dir),
            "LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "chantier.settings",
        }
        env.update({key: str(value) for key, value in extra.items()})
        return env

    def manage(self, *args: str, timed: str = "") -> str:
        started = time.monotonic()
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        if timed:
            self.timings[timed] = f"{time.monotonic() - started:.1f} s"
        return result.stdout

    def prepare(self, *, count: int, fresh: bool) -> dict:
        print(f"Preparing the database in {self.data_dir} ...", flush=True)
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self.manage("load_reference", timed="load_reference")
        if fresh:
            self.manage("remove_demo")
        existing = int(self.manage("bench_setup", "demo-count"))
        saved = self.data_dir / "generate_demo.json"
        if existing < count:
            missing = count - existing
            print(f"generate_demo --count {missing} ...", flush=True)
            self.manage("generate_demo", "--count", str(missing), "--verbosity", "0", timed="gen")
            note = {"count": missing, "time": self.timings.pop("gen"), "date": _today()}
            saved.write_text(json.dumps(note))
        self.manage("bench_setup", "settle")
        if saved.exists():
            note = json.loads(saved.read_text())
            self.timings[f"generate_demo --count {note['count']}"] = (
                f"{note['time']} (run of {note['date']})"
            )
        return json.loads(self.manage("bench_setup", "fixtures"))

    def timed_import(self, rows: int = 10_000) -> str:
        """Import `rows` new enterprises as the national team, as the admin does; then drop them."""
        path = self.data_dir / "import.csv"
        self.manage("bench_setup", "import-file", str(path), "--rows", str(rows))
        started = time.monotonic()
        self.manage("import_enterprises", str(path), "--user", "bench-national")
        seconds = time.monotonic() - started
        self.manage("bench_setup", "remove-import")
        return f"{seconds:.1f} s for {rows:,} rows (checked, then written in one transaction)"

    def start(self, **extra) -> None:
        self.server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "chantier.wsgi:application",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=self.env(**extra),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/bench/floor/", timeout=5).read()  # noqa: S310
                return
            except OSError:  # refused, reset or timed out while gunicorn boots
                time.sleep(0.3)
        sys.exit("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.server:
            self.server.terminate()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a worker still busy past its graceful time
                self.server.kill()
                self.server.wait(timeout=30)
            self.server = None

    def settle(self) -> None:
        """Wait until the previous measurement's queued requests are served."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            started = time.monotonic()
            urllib.request.urlopen(self.base + "/bench/floor/", timeout=120).read()  # noqa: S310
            if time.monotonic() - started < 0.5:
                return
            time.sleep(0.5)

    def worker_pids(self) -> list[int]:
        if self.server is None:
            return []
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.server.pid:
                    pids.append(int(entry.name))
        return sorted(pids)

    def worker_memory(self, field_name: str = "VmRSS") -> dict[int, float]:
        """Resident memory of each worker in MB (VmHWM: its peak since it started)."""
        memory = {}
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(field_name + ":"):
                    memory[pid] = int(line.split()[1]) / 1024
        return memory

    # -- measuring -----------------------------------------------------------------------

    def status_of(self, route: Route) -> int:
        request = urllib.request.Request(  # noqa: S310 (our own http://127.0.0.1 server)
            self.base + route.path, headers=route.headers
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def load(
        self, paths: list[str], *, connections: int, duration: int, headers=None, base=None
    ) -> Measure:
        """The paths under load (bench/load.py): direct with ab, through the proxy (which
        keeps connections open) with wrk."""
        if base is None:
            result = load.measure(
                self.base, paths, connections=connections, duration=duration, headers=headers
            )
        else:
            result = load.kept_open(
                base, paths, connections=connections, duration=duration, headers=headers
            )
        result.load = os.getloadavg()[0]
        return result

    def timed_download(self, path: str) -> tuple[float, int, float]:
        """Seconds, bytes, and the largest growth of a worker's peak memory (MB)."""
        before = self.worker_memory("VmRSS")
        started = time.monotonic()
        size = 0
        with urllib.request.urlopen(self.base + path, timeout=600) as response:  # noqa: S310
            while chunk := response.read(1 << 16):
                size += len(chunk)
        seconds = time.monotonic() - started
        after = self.worker_memory("VmHWM")
        growth = max((after[pid] - before.get(pid, after[pid]) for pid in after), default=0.0)
        return seconds, size, growth


# Searches that differ, so that most requests find neither the page nor the facet
# counts in the cache: the cost of a search nobody made before.
VARIED_SEARCHES = [
    f"/fr/entreprises/?q={word}+{city}"
    for word in ("habitation", "alimentation", "forestiere", "culture", "loisirs", "services")
    for city in ("montreal", "quebec", "laval", "gatineau", "sherbrooke", "rimouski", "saguenay")
]


BOTH_HALVES = ("uncached", "cached")


BROWSER_ENCODINGS = "gzip, deflate, br"


def routes(fixtures: dict, *, home_bytes: int, static_path: str) -> list[Route]:
    admin = {"Cookie": f"sessionid={fixtures['session']}"}
    return [
        Route("floor: static file (whitenoise)", static_path, "floor", proxied=BOTH_HALVES),
        Route(
            f"floor: minimal view ({home_bytes} B)",
            f"/bench/floor/?bytes={home_bytes}",
            "floor",
            proxied=BOTH_HALVES,
        ),
        Route("home", "/fr/", "page", proxied=("cached",)),
        Route("directory, page 1", "/fr/entreprises/", "page", proxied=("uncached",)),
        Route("directory, page 200", "/fr/entreprises/?page=200", "page"),
        # As a browser asks: compressed (ab asks for nothing unless told).
        Route(
            "directory, page 1, brotli",
            "/fr/entreprises/",
            "page",
            headers={"Accept-Encoding": BROWSER_ENCODINGS},
        ),
        Route("search", "/fr/entreprises/?q=habitation", "search"),
        Route("search, two words", "/fr/entreprises/?q=cooperative+montreal", "search"),
        Route(
            f"search, {len(VARIED_SEARCHES)} different queries",
            VARIED_SEARCHES[0],
            "search",
            more_paths=VARIED_SEARCHES[1:],
        ),
        Route("facet (sector)", f"/fr/entreprises/?sector={fixtures['sector']}", "search"),
        Route(
            "facets, several values (3 sectors, 2 regions, 2 legal forms)",
            "/fr/entreprises/?"
            + "&".join(
                [f"sector={slug}" for slug in fixtures["sectors"]]
                + [f"region={code}" for code in fixtures["regions"]]
                + ["legal_form=cooperative", "legal_form=nonprofit"]
            ),
            "search",
        ),
        Route("near a town (Rimouski, 25 km)", "/fr/entreprises/?near=Rimouski", "search"),
        Route(
            "near a position (Montréal, 10 km) with a search",
            "/fr/entreprises/?near=45.5088,-73.5878&radius_km=10&q=habitation",
            "search",
        ),
        Route("fuzzy suggestion (a typo, no result)", "/fr/entreprises/?q=habitaton", "search"),
        Route("enterprise page", f"/fr/entreprises/{fixtures['enterprise']}/", "page"),
        Route("map GeoJSON (whole directory)", "/fr/carte/entreprises.geojson", "map"),
        Route("API list JSON", "/api/v1/enterprises/", "api", proxied=("cached",)),
        Route(
            "API list JSON, brotli",
            "/api/v1/enterprises/",
            "api",
            headers={"Accept-Encoding": BROWSER_ENCODINGS},
        ),
        # GeoJSON and CSV lists are not paged (they stream every match): one pole's sector.
        Route(
            "API list GeoJSON (a pole's sector)",
            f"/api/v1/enterprises/?format=geojson&pole={fixtures['pole']}"
            f"&sector={fixtures['sector']}",
            "api",
        ),
        Route(
            "API list CSV (a pole's sector)",
            f"/api/v1/enterprises/?format=csv&pole={fixtures['pole']}&sector={fixtures['sector']}",
            "api",
        ),
        # As partners' HTTP clients ask (Python's requests, curl --compressed): compressed.
        Route(
            "API list GeoJSON (a pole's sector), brotli",
            f"/api/v1/enterprises/?format=geojson&pole={fixtures['pole']}"
            f"&sector={fixtures['sector']}",
            "api",
            headers={"Accept-Encoding": BROWSER_ENCODINGS},
        ),
        Route(
            "API list CSV (a pole's sector), brotli",
            f"/api/v1/enterprises/?format=csv&pole={fixtures['pole']}&sector={fixtures['sector']}",
            "api",
            headers={"Accept-Encoding": BROWSER_ENCODINGS},
        ),
        Route("API detail", f"/api/v1/enterprises/{fixtures['enterprise']}/", "api"),
        Route(
            "admin change list (pole staff)",
            "/admin/entreprises/enterprise/",
            "admin",
            cacheable=False,
            headers=admin,
        ),
        *admin_searches(fixtures),
    ]


# The change list's search box, as pole staff and as the national team: a word most
# records hold (an estimated count), a word and a town, a NEQ.
ADMIN_SEARCHES = [
    ("a common word", "q=cooperative"),
    ("a word and a town", "q=habitation+montreal"),
    ("a NEQ", "q=1100000000"),
]


def admin_searches(fixtures: dict) -> list[Route]:
    return [
        Route(
            f"admin change-list search, {what} ({who})",
            f"/admin/entreprises/enterprise/?{query}",
            "admin-search",
            cacheable=False,
            headers={"Cookie": f"sessionid={fixtures[session]}"},
        )
        for who, session in (("pole staff", "session"), ("national team", "national_session"))
        for what, query in ADMIN_SEARCHES
    ]


def _today() -> str:
    return datetime.datetime.now(tz=datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def load_average() -> str:
    """The machine's 1, 5 and 15-minute load averages: other work sharing the cores."""
    return ", ".join(f"{load:.1f}" for load in os.getloadavg())


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().split()[1]
    return (
        f"{cpu}, {os.cpu_count()} cores, {int(memory) // 1024 // 1024} GB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def selected(route_list: list[Route]) -> list[Route]:
    """BENCH_ROUTES="directory,suggestion": only the routes whose names contain one of
    these words (and the floor routes, the yardstick), without the downloads and the
    import timing: a quick comparison of a few routes in one run."""
    words = [word.strip() for word in os.environ.get("BENCH_ROUTES", "").split(",") if word]
    if not words:
        return route_list
    return [
        route
        for route in route_list
        if route.kind == "floor" or any(word in route.name for word in words)
    ]


def run_bench(args) -> int:
    duration = env_int("BENCH_DURATION", 10)
    levels = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "1,8,32").split(",")]
    bench = Bench(data_dir=args.data_dir, port=args.port, workers=args.workers)
    fixtures = bench.prepare(count=args.count, fresh=args.fresh)
    manifest = json.loads((BASE_DIR / "staticfiles" / "staticfiles.json").read_text())
    static_path = "/static/" + manifest["paths"]["css/site.css"]
    results: dict[tuple[str, str], dict[int, Measure]] = {}
    unavailable: dict[str, int] = {}
    extras: list[tuple[str, str]] = []
    extra_sections: list[str] = []
    route_list: list[Route] = []
    proxy, proxied, behind_proxy = None, {}, {}
    if os.environ.get("BENCH_PROXY") == "1":
        proxy = Proxy(
            upstream_port=bench.port,
            static_root=BASE_DIR / "staticfiles",
            media_root=Path(os.environ.get("MEDIA_ROOT") or bench.data_dir / "media"),
        )
        # As in docker-compose.yml; direct requests carry no X-Forwarded-* and are unchanged.
        behind_proxy = {"API_NUM_PROXIES": 1, "TRUST_X_FORWARDED_PROTO": 1}
    try:
        if proxy:
            proxy.start()
        for mode, seconds in (("uncached", 0), ("cached", 300)):
            bench.start(PUBLIC_CACHE_SECONDS=seconds, **behind_proxy)
            with urllib.request.urlopen(bench.base + "/fr/", timeout=60) as response:  # noqa: S310
                home_bytes = len(response.read())
            route_list = selected(routes(fixtures, home_bytes=home_bytes, static_path=static_path))
            for route in route_list:
                if mode == "cached" and not (route.cacheable or route.kind == "floor"):
                    continue
                bench.settle()
                status = bench.status_of(route)  # also warms the cache
                if status != 200:
                    unavailable[route.name] = status
                    continue
                results[(mode, route.name)] = measured(
                    bench, route, mode=mode, levels=levels, duration=duration
                )
                if proxy and mode in route.proxied:
                    status = proxy.fetch(route.path)[0]
                    if status != 200:
                        unavailable[f"{route.name} (through the proxy)"] = status
                        continue
                    bench.settle()
                    proxied[(mode, route.name)] = measured(
                        bench, route, mode=mode, levels=levels, duration=duration, proxy=proxy
                    )
            if mode == "cached" and wants_edits():
                paths = [r.path for r in routes(fixtures, home_bytes=0, static_path="")]
                # Each address once (the brotli route asks for page 1 again).
                paths = [
                    p
                    for p in dict.fromkeys(paths)
                    if p.startswith("/fr/entreprises/?") or p == "/fr/entreprises/"
                ]
                bench.settle()
                edited = scaling.under_edits(
                    bench,
                    paths=paths[:1] + paths[2:5],
                    duration=duration,
                    staleness=env_int("PUBLIC_CACHE_STALE_SECONDS", 10),
                )
                extra_sections += scaling.edits_lines(edited, budget_ms=PAGE_P95_MS)
                print(f"under edits: {edited}", flush=True)
            public = (
                []
                if mode != "uncached"
                else [
                    r
                    for r in route_list
                    if r.kind in AFTER_CHANGE_KINDS and not r.headers and not r.more_paths
                ]
            )
            # BENCH_ROUTES may leave no public route (the admin's alone): nothing to time.
            if public:
                timings = scaling.after_change(bench, public)
                extra_sections += scaling.after_change_lines(timings, budget_ms=PAGE_P95_MS)
                print(f"after a change: {timings}", flush=True)
            if mode == "uncached" and not os.environ.get("BENCH_ROUTES"):
                for name, path in (
                    ("full streamed CSV export (API)", "/api/v1/enterprises/?format=csv"),
                    ("map GeoJSON of the whole directory", "/fr/carte/entreprises.geojson"),
                ):
                    status = bench.status_of(Route(name, path, "api"))
                    if status != 200:
                        extras.append((name, f"not available (answers {status})"))
                        continue
                    seconds_taken, size, growth = bench.timed_download(path)
                    extras.append(
                        (
                            name,
                            f"{seconds_taken:.2f} s, {size / 1e6:.1f} MB, "
                            f"worker memory growth {growth:.0f} MB",
                        )
                    )
            bench.stop()
    finally:
        bench.stop()
        if proxy:
            proxy.stop()
    if not os.environ.get("BENCH_ROUTES"):
        extras.append(("10,000-row admin import (all rows new)", bench.timed_import()))
    sizes = [int(n) for n in os.environ.get("BENCH_GROWTH", "").split(",") if n.strip()]
    if sizes:
        extra_sections += run_growth(args, sizes=sizes, duration=duration)
    report = render(
        results=results,
        unavailable=unavailable,
        extras=extras,
        timings=bench.timings,
        routes=route_list,
        levels=levels,
        duration=duration,
        fixtures=fixtures,
        workers=args.workers,
    )
    report += "\n".join(proxy_lines(results, proxied, routes=route_list) + extra_sections) + "\n"
    print(report)
    if os.environ.get("BENCH_WRITE", "1") != "0":
        kept = RESULTS.read_text().partition(KEPT_MARK)[2] if RESULTS.exists() else ""
        RESULTS.write_text(report + "\n" + KEPT_MARK + (kept or "\n"))
        print(f"Written to {RESULTS.relative_to(BASE_DIR)}")
    return 0


# The routes timed right after a change (scaling.after_change): the public ones, one path each.
AFTER_CHANGE_KINDS = {"page", "search", "map", "api"}

# Seconds each route is asked at the highest number of connections before it is measured.
WARM_UP_SECONDS = 1


def warm_up(bench, paths: list[str], *, connections: int, headers=None, base=None) -> None:
    bench.load(paths, connections=connections, duration=WARM_UP_SECONDS, headers=headers, base=base)
    bench.settle()


def measured(bench, route, *, mode, levels, duration, proxy=None) -> dict[int, Measure]:
    """One route at each number of connections, direct or through the proxy, once every
    worker has served it for a while (WARM_UP_SECONDS): its templates compiled, its
    fragments made, its answer kept in each worker's memory, garbage collection frozen
    (chantier/wsgi.py), as in a server that has been up for more than a few seconds."""
    warm_up(
        bench,
        [route.path, *route.more_paths],
        connections=max(levels),
        headers=route.headers,
        base=proxy.base if proxy else None,
    )
    by_level = {}
    for connections in levels:
        measure = bench.load(
            [route.path, *route.more_paths],
            connections=connections,
            duration=duration,
            headers=route.headers,
            base=proxy.base if proxy else None,
        )
        by_level[connections] = measure
        print(
            f"{mode:8} {'proxy ' if proxy else ''}{route.name:38} c={connections:<3} "
            f"{measure.rps:8.0f} rps p50 {measure.p50:7.1f} p95 {measure.p95:7.1f} "
            f"p99 {measure.p99:7.1f} ms not 2xx {measure.not_ok} "
            f"socket errors {measure.socket_errors} occupancy {measure.occupancy:.2f} "
            f"load {measure.load:.1f}",
            flush=True,
        )
    return by_level


def proxy_lines(results, proxied, *, routes) -> list[str]:
    """Direct and proxied numbers side by side (BENCH_PROXY=1)."""
    if not proxied:
        return []
    lines = [
        "",
        "## Direct and through the proxy",
        "",
        "The same gunicorn, measured directly and through `deploy/Caddyfile` run by Debian's "
        "caddy (HTTPS, Caddy's local certificate authority, connections kept open by wrk, "
        "access log on), "
        "one right after the other. Static files through the proxy are Caddy's own "
        "`file_server`; direct, whitenoise's.",
        "",
        "| route | half | conn. | direct req/s | proxied req/s | proxied ÷ direct "
        "| direct p95 | proxied p95 | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for mode in ("uncached", "cached"):
        for route in routes:
            through = proxied.get((mode, route.name), {})
            for connections, p in through.items():
                d = results[(mode, route.name)][connections]
                lines.append(
                    f"| {route.name} | {mode} | {connections} | {d.rps:,.0f} | {p.rps:,.0f} | "
                    f"{p.rps / d.rps:.2f} | {d.p95:.1f} | {p.p95:.1f} | {p.load:.1f} |"
                )
    errors = sum(m.not_ok + m.socket_errors for r in proxied.values() for m in r.values())
    lines += ["", f"Answers other than 2xx and socket errors through the proxy: {errors}", ""]
    return lines


def wants_edits() -> bool:
    words = os.environ.get("BENCH_ROUTES", "")
    return not words or "edits" in words.split(",")


def run_growth(args, *, sizes: list[int], duration: int) -> list[str]:
    """The growth routes, uncached at 8 connections, on a database of each size."""
    results: dict[int, dict[str, Measure]] = {}
    load: dict[int, str] = {}
    for count in sizes:
        data_dir = (
            args.data_dir if count == args.count else BASE_DIR / ".data" / f"bench{count // 1000}"
        )
        bench = Bench(data_dir=data_dir, port=args.port, workers=args.workers)
        fixtures = bench.prepare(count=count, fresh=False)
        results[count] = {}
        try:
            bench.start(PUBLIC_CACHE_SECONDS=0)
            for route in routes(fixtures, home_bytes=0, static_path=""):
                if route.name not in scaling.GROWTH_ROUTES:
                    continue
                bench.settle()
                bench.status_of(route)
                warm_up(bench, [route.path], connections=8)
                measure = bench.load([route.path], connections=8, duration=duration)
                results[count][route.name] = measure
                print(
                    f"growth {fixtures['count']:>7} {route.name:24} {measure.rps:6.0f} rps "
                    f"p95 {measure.p95:7.1f} ms load {measure.load:.1f}",
                    flush=True,
                )
        finally:
            bench.stop()
        load[count] = f"{max(m.load for m in results[count].values()):.1f}"
    scaling.write_chart(results, CHART)
    return scaling.growth_lines(results, chart=CHART, load=load)


def render(*, results, unavailable, extras, timings, routes, levels, duration, fixtures, workers):
    floor_name = next(r.name for r in routes if r.name.startswith("floor: minimal"))
    lines = [
        "# Benchmarks",
        "",
        f"Measured {_today()} by `make bench` on {machine()}; load average at the end "
        f"of the run {load_average()}.",
        f"{fixtures['count']:,} published enterprises; gunicorn with {workers} sync workers, "
        f"production settings (DEBUG off), embedded PostgreSQL 16 on the same machine; Apache's ab "
        "(bench/load.py: each request timed from its connection to its last byte), "
        f"{duration} s per measurement, each route first asked for {WARM_UP_SECONDS} s at the "
        "highest number of connections so that every worker has served it. The machine is "
        "shared: compare routes as ratios to the minimal view of the same run rather than as "
        "absolute numbers.",
        "",
        "Latencies in milliseconds. *uncached*: PUBLIC_CACHE_SECONDS=0, no answer is served "
        "from the cache and every request reaches the database, while what is derived from "
        "the whole directory (facet counts, a search's first pages, the map's clusters) is "
        "kept until the next change: the first answer after a change is timed in its own "
        "section below. *cached*: anonymous responses from the shared cache.",
        "",
    ]
    for mode in ("uncached", "cached"):
        floor = results.get((mode, floor_name), {})
        lines += [
            f"## {mode.capitalize()}",
            "",
            "| route | conn. | req/s | p50 | p95 | p99 | not 2xx | × minimal view | load |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for route in routes:
            by_level = results.get((mode, route.name))
            if not by_level:
                continue
            for connections in levels:
                m = by_level[connections]
                ratio = m.rps / floor[connections].rps if connections in floor else 0
                lines.append(
                    f"| {route.name} | {connections} | {m.rps:,.0f} | {m.p50:.1f} | "
                    f"{m.p95:.1f} | {m.p99:.1f} | {m.not_ok} | {ratio:.2f} | {m.load:.1f} |"
                )
        lines.append("")
    if unavailable:
        lines += ["Not available on this build (not measured):", ""]
        lines += [f"- {name}: answers {status}" for name, status in unavailable.items()]
        lines.append("")
    lines += ["## One-off timings", "", "| what | result |", "|---|---|"]
    lines += [f"| `{name}` | {value} |" for name, value in timings.items()]
    lines += [f"| {name} | {value} |" for name, value in extras]
    lines += ["", "## Budgets (8 connections)", ""]
    lines += budget_lines(results=results, routes=routes, floor_name=floor_name, extras=extras)
    lines.append("")
    return "\n".join(lines)


def budget_lines(*, results, routes, floor_name, extras) -> list[str]:
    lines = []
    for route in routes:
        uncached = results.get(("uncached", route.name), {}).get(8)
        if uncached is None or route.kind == "floor":
            continue
        wider = route.kind == "admin-search" or any(w in route.name for w in WIDER_SEARCHES)
        limit = SEARCH_P95_MS if wider else PAGE_P95_MS
        verdict = "met" if uncached.p95 < limit else "MISSED"
        lines.append(f"- {route.name}: p95 {uncached.p95:.1f} ms uncached (< {limit}): {verdict}")
        cached = results.get(("cached", route.name), {}).get(8)
        floor = results.get(("cached", floor_name), {}).get(8)
        if cached and floor and route.cacheable:
            ratio = cached.rps / floor.rps
            verdict = "met" if ratio >= CACHED_RATIO else "MISSED"
            latency = "met" if cached.p95 < limit else "MISSED"
            lines.append(
                f"  cached: p95 {cached.p95:.1f} ms (< {limit}): {latency}; "
                f"{cached.rps:,.0f} req/s = {ratio:.0%} of the minimal view "
                f"(≥ {CACHED_RATIO:.0%}): {verdict}"
            )
    errors = sum(m.not_ok + m.socket_errors for r in results.values() for m in r.values())
    lines.append(f"- answers other than 2xx and socket errors over the whole run: {errors}")
    lines.append("")
    lines.append("What the misses come from, and what was done: docs/operations.md, Scaling.")
    return lines


def run_soak(args) -> int:
    duration = env_int("SOAK_DURATION", 300)
    connections = env_int("SOAK_CONNECTIONS", 32)
    bench = Bench(data_dir=args.data_dir, port=args.port, workers=args.workers)
    fixtures = bench.prepare(count=args.count, fresh=False)
    paths = [
        path
        for route in routes(fixtures, home_bytes=20000, static_path="/static/css/site.css")
        if route.kind in {"page", "search", "map", "api"}
        for path in [route.path, *route.more_paths]
    ]
    try:
        bench.start(PUBLIC_CACHE_SECONDS=env_int("PUBLIC_CACHE_SECONDS", 300))
        paths = [path for path in paths if bench.status_of(Route(path, path, "page")) == 200]
        start_memory = bench.worker_memory()
        print(f"Soak: {len(paths)} paths mixed, {connections} connections, {duration} s")
        print("worker memory at start (MB):", _memory(start_memory), flush=True)
        measure = bench.load(paths, connections=connections, duration=duration)
        end_memory = bench.worker_memory()
    finally:
        bench.stop()
    print("worker memory at end (MB):  ", _memory(end_memory))
    print(
        f"{measure.requests:,} requests, {measure.rps:,.0f} req/s, p50 {measure.p50:.1f} ms, "
        f"p95 {measure.p95:.1f} ms, p99 {measure.p99:.1f} ms, not 2xx {measure.not_ok}, "
        f"socket errors {measure.socket_errors}"
    )
    return 1 if measure.not_ok or measure.socket_errors else 0


def _memory(memory: dict[int, float]) -> str:
    return ", ".join(f"{value:.0f}" for _, value in sorted(memory.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["bench", "soak", "prepare"], nargs="?", default="bench")
    parser.add_argument("--count", type=int, default=env_int("BENCH_COUNT", 100000))
    parser.add_argument("--workers", type=int, default=env_int("BENCH_WORKERS", 4))
    parser.add_argument("--port", type=int, default=env_int("BENCH_PORT", 8765))
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("BENCH_DATA_DIR") or BASE_DIR / ".data" / "bench"),
    )
    parser.add_argument("--fresh", action="store_true", help="Recreate the demo enterprises.")
    args = parser.parse_args()
    # Stopped from outside (Ctrl-C, kill): stop gunicorn on the way out too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not (shutil.which("ab") and shutil.which("wrk")):
        sys.exit("ab or wrk is missing: `make load-tool` installs Debian's packages.")
    if args.mode == "prepare":
        bench = Bench(data_dir=args.data_dir, port=args.port, workers=args.workers)
        print(bench.prepare(count=args.count, fresh=args.fresh), bench.timings)
        return 0
    return run_bench(args) if args.mode == "bench" else run_soak(args)


if __name__ == "__main__":
    sys.exit(main())
