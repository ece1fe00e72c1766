"""The benchmark's measuring part, run for one second against the live test server.

Only counts are asserted: timings are measured and reported by `make bench`, never
tested.
"""

import pytest

from bench.run import Bench

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
