"""The benchmark's measuring part, run for one second against the live test server,
directly and through the proxy set-up of BENCH_PROXY=1.

Only counts are asserted: timings are measured and reported by `make bench`, never
tested.
"""

from xml.etree import ElementTree

import pytest

from bench import load
from bench.load import Measure
from bench.proxy import Proxy
from bench.run import Bench
from bench.scaling import GROWTH_ROUTES, growth_lines, write_chart

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def bench(live_server, tmp_path):
    bench = Bench(data_dir=tmp_path, port=0, workers=1)
    bench.base = live_server.url
    return bench


def test_load_counts_requests_and_statuses(bench):
    bench.load(["/en/about/"], connections=1, duration=1)  # its first, slow answer
    page = bench.load(["/en/about/"], connections=1, duration=1)
    assert page.requests > 0
    assert page.rps > 0
    assert (page.not_ok, page.socket_errors) == (0, 0)
    assert 0 < page.p50 <= page.p95 <= page.p99
    # One client waiting for each answer is busy at most all of the time.
    assert 0 < page.occupancy <= 1.05

    missing = bench.load(["/en/nowhere/"], connections=1, duration=1)
    assert missing.requests > 0
    assert missing.not_ok == missing.requests


def test_load_mixes_several_paths(bench):
    mixed = bench.load(["/en/about/", "/en/nowhere/"], connections=2, duration=1)
    assert 0 < mixed.not_ok < mixed.requests
    assert mixed.socket_errors == 0


def test_more_paths_than_connections_share_them_in_turn():
    assert load._slots(["/a", "/b", "/c"], 2) == [(["/a", "/c"], 1), (["/b"], 1)]
    assert load._slots(["/a", "/b"], 5) == [(["/a"], 3), (["/b"], 2)]


def test_runs_combine_by_their_requests():
    fast = load.Run(requests=900, not_ok=0, socket_errors=0, percentiles=[1.0] * 101)
    slow = load.Run(requests=100, not_ok=2, socket_errors=1, percentiles=[50.0] * 101)
    both = load.combined([fast, slow], elapsed=2.0, connections=4)
    assert (both.requests, both.not_ok, both.socket_errors, both.rps) == (1000, 2, 1, 500.0)
    assert (both.p50, both.p95, both.p99) == (1.0, 50.0, 50.0)
    # Mean 5.9 ms at 500 requests a second over 4 connections.
    assert round(both.occupancy, 4) == round(0.0059 * 500 / 4, 4)
    rising = load.Run(requests=100, not_ok=0, socket_errors=0, percentiles=list(range(101)))
    # Mean 50 ms (each 1 % between two percentiles up to the 99th, then the slowest
    # request alone) at 100 requests a second, one client.
    assert round(load.combined([rising], elapsed=1.0, connections=1).occupancy, 3) == 5.0
    # Of 1,000 requests, the slowest one counts for itself only, not for 1 %.
    outlier = load.Run(requests=1000, not_ok=0, socket_errors=0, percentiles=[1.0] * 100 + [1001])
    assert round(load.combined([outlier], elapsed=1.0, connections=1).occupancy, 3) == 2.0


def test_ab_report_read():
    output = (
        "Complete requests:      1200\n"
        "Failed requests:        7\n"
        "   (Connect: 1, Receive: 2, Length: 4, Exceptions: 0)\n"
        "Non-2xx responses:      3\n"
    )
    table = "Percentage served,Time in ms\n" + "".join(f"{i},{i / 10:.3f}\n" for i in range(101))
    run = load.parsed(output, table)
    assert (run.requests, run.not_ok, run.socket_errors) == (1200, 3, 3)
    assert run.percentiles[95] == 9.5


def test_proxied_bench_reaches_the_portal_through_caddy_over_https(bench, live_server, tmp_path):
    static = tmp_path / "static" / "css"
    static.mkdir(parents=True)
    (static / "site.0123456789ab.css").write_text("body { color: #222; }\n")
    proxy = Proxy(
        upstream_port=int(live_server.url.rsplit(":", 1)[1]),
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
    )
    proxy.start()
    try:
        assert proxy.base.startswith("https://localhost:")
        # Certificate checked against Caddy's local authority; Caddy, then the portal.
        status, servers, body = proxy.fetch("/en/about/")
        assert status == 200
        assert servers[0] == "Caddy"
        assert servers[1].startswith("WSGIServer/")
        assert "<title>About the Chantier — Québec social economy portal</title>" in body.decode()

        paths = ["/en/about/", "/static/css/site.0123456789ab.css"]
        through = bench.load(paths, connections=2, duration=1, base=proxy.base)
        assert through.requests > 0
        assert (through.not_ok, through.socket_errors) == (0, 0)

        logged = proxy.requests_logged()
        # start() waited on /static/ (a 404 of the proxy's own), then the fetch, then ab.
        assert logged[1]["uri"] == "/en/about/"
        by_ab = logged[2:]
        assert len(by_ab) >= through.requests
        assert {request["uri"] for request in by_ab} == set(paths)
        assert {request["tls"]["server_name"] for request in logged} == {"localhost"}
        assert {request["remote_ip"] for request in logged} == {"127.0.0.1"}
    finally:
        proxy.stop()
    assert not proxy.workdir.exists()


def test_growth_table_and_chart(tmp_path):
    def measure(p95):
        return Measure(
            rps=1000 / p95,
            p50=p95 / 2,
            p95=p95,
            p99=p95,
            requests=10,
            not_ok=0,
            socket_errors=0,
            load=1.5,
        )

    results = {
        10_000: {route: measure(10.0) for route in GROWTH_ROUTES},
        300_000: {route: measure(25.0) for route in GROWTH_ROUTES},
    }
    chart = tmp_path / "growth.svg"
    write_chart(results, chart)
    svg = ElementTree.parse(chart).getroot()  # noqa: S314 (the file this test just wrote)
    lines = svg.findall("{http://www.w3.org/2000/svg}polyline")
    assert len(lines) == len(GROWTH_ROUTES)
    table = growth_lines(results, chart=chart, load={10_000: "1.5", 300_000: "2.0"})
    assert "| directory, page 1 | 10.0 (100) | 25.0 (40) | 2.5× |" in table
    assert "| load average (1 min) | 1.5 | 2.0 | |" in table
