"""The benchmark's measuring part, run for one second against the live test server,
directly and through the proxy set-up of BENCH_PROXY=1.

Only counts are asserted: timings are measured and reported by `make bench`, never
tested.
"""

from xml.etree import ElementTree

import pytest

from bench.proxy import Proxy
from bench.run import Bench, Measure
from bench.scaling import GROWTH_ROUTES, growth_lines, write_chart

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def bench(live_server, tmp_path):
    bench = Bench(data_dir=tmp_path, port=0, workers=1)
    bench.base = live_server.url
    return bench


def test_wrk_counts_requests_and_statuses(bench):
    page = bench.wrk(["/en/about/"], connections=1, duration=1)
    assert page.requests > 0
    assert page.rps > 0
    assert (page.status_4xx, page.status_5xx, page.socket_errors) == (0, 0, 0)
    assert page.p50 <= page.p95 <= page.p99

    missing = bench.wrk(["/en/nowhere/"], connections=1, duration=1)
    assert missing.requests > 0
    assert missing.status_4xx == missing.requests
    assert missing.status_5xx == 0


def test_wrk_mixes_several_paths(bench):
    mixed = bench.wrk(["/en/about/", "/en/nowhere/"], connections=2, duration=1)
    assert 0 < mixed.status_4xx < mixed.requests
    assert mixed.status_5xx == 0


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
        through = bench.wrk(paths, connections=2, duration=1, base=proxy.base)
        assert through.requests > 0
        assert (through.status_4xx, through.status_5xx, through.socket_errors) == (0, 0, 0)

        logged = proxy.requests_logged()
        # start() waited on /static/ (a 404 of the proxy's own), then the fetch, then wrk.
        assert logged[1]["uri"] == "/en/about/"
        by_wrk = logged[2:]
        assert len(by_wrk) >= through.requests
        assert {request["uri"] for request in by_wrk} == set(paths)
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
            status_4xx=0,
            status_5xx=0,
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
