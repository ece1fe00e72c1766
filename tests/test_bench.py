"""The benchmark's measuring part, run for one second against the live test server.

Only counts are asserted: timings are measured and reported by `make bench`, never
tested.
"""

from xml.etree import ElementTree

import pytest

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
