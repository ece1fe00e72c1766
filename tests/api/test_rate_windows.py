"""The API's rate windows in PostgreSQL: one statement per request, exact when requests of
one caller arrive at once, refusals in both languages, and closed windows deleted."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections
from django.test import Client, override_settings
from rest_framework.settings import api_settings

from chantier import tasks
from chantier.api_access import AnonymousRateThrottle, rate_windows_by_scope
from chantier.models import RateWindow
from chantier.rate_windows import count_request, delete_closed_windows
from tests.helpers import captured_queries, json_of, query_count

pytestmark = pytest.mark.django_db

LIST = "/api/v1/regions/"
T0 = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def rates(anonymous: str | None, key: str | None = "1000/minute"):
    config = {**api_settings.user_settings}
    config["DEFAULT_THROTTLE_RATES"] = {"anonymous": anonymous, "key": key}
    return override_settings(REST_FRAMEWORK=config)


def test_the_windows_table_is_unlogged():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'chantier_ratewindow'")
        assert cursor.fetchone() == ("u",)


def test_a_request_is_counted_in_its_window_until_it_closes():
    counted = [
        count_request(scope="anonymous", ident="203.0.113.1", now=T0 + offset, window=MINUTE)
        for offset in (timedelta(0), timedelta(seconds=30), timedelta(seconds=59.999999))
    ]
    assert counted == [(T0, 1), (T0, 2), (T0, 3)]
    later = T0 + MINUTE
    assert count_request(scope="anonymous", ident="203.0.113.1", now=later, window=MINUTE) == (
        later,
        1,
    )
    # Another caller, or the same identifier under another limit, has its own window.
    assert count_request(scope="key", ident="203.0.113.1", now=later, window=MINUTE) == (later, 1)
    assert sorted(RateWindow.objects.values_list("key", "opened_at", "count")) == [
        ("anonymous:203.0.113.1", later, 1),
        ("key:203.0.113.1", later, 1),
    ]


@pytest.mark.django_db(transaction=True)
def test_requests_arriving_at_once_are_each_counted_once():
    callers = 8
    start = threading.Barrier(callers)
    counts = []

    def one_request():
        try:
            start.wait()
            _, count = count_request(scope="anonymous", ident="203.0.113.9", now=T0, window=MINUTE)
            counts.append(count)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=one_request) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, callers + 1))
    assert RateWindow.objects.get(key="anonymous:203.0.113.9").count == callers


@pytest.mark.django_db(transaction=True)
def test_api_requests_arriving_at_once_each_take_one_of_the_allowance():
    callers = 6
    start = threading.Barrier(callers)
    answers = []

    def one_request():
        try:
            start.wait()
            answers.append(Client().get(LIST, REMOTE_ADDR="203.0.113.7"))
        finally:
            connections.close_all()

    with rates("5/minute"):
        threads = [threading.Thread(target=one_request) for _ in range(callers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted((r.status_code, r["RateLimit-Remaining"]) for r in answers) == [
        (200, "0"),
        (200, "1"),
        (200, "2"),
        (200, "3"),
        (200, "4"),
        (429, "0"),
    ]


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("en", "Request was throttled. Expected available in 45 seconds."),
        ("fr", "Requête ralentie. Disponible à nouveau dans 45 secondes."),
    ],
)
def test_over_the_limit_is_refused_in_the_callers_language_with_retry_after(
    monkeypatch, language, detail
):
    clock = [T0.timestamp()]
    monkeypatch.setattr(AnonymousRateThrottle, "timer", lambda self: clock[0])
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    with rates("2/minute"):
        allowed = [client.get(LIST) for _ in range(2)]
        clock[0] += 15
        refused = client.get(LIST)
    assert [r.status_code for r in allowed] == [200, 200]
    assert json_of(refused, status=429) == {"detail": detail}
    assert (refused["Retry-After"], refused["RateLimit-Reset"]) == ("45", "45")
    assert (refused["RateLimit-Limit"], refused["RateLimit-Remaining"]) == ("2", "0")


def test_the_limit_adds_one_statement_to_a_request(anonymous, partner, partner_key):
    partner.get(LIST)  # the key's first use is written down once
    with rates(None, None):
        unlimited = query_count(anonymous, LIST)
        unlimited_partner = query_count(partner, LIST)
    with rates("100/minute", "100/minute"), captured_queries() as captured:
        json_of(anonymous.get(LIST))
    assert len(captured) == unlimited + 1
    counting = [q["sql"] for q in captured.captured_queries if "chantier_ratewindow" in q["sql"]]
    assert len(counting) == 1
    assert counting[0].startswith("INSERT INTO chantier_ratewindow")
    with rates("100/minute", "100/minute"):
        assert query_count(partner, LIST) == unlimited_partner + 1


def test_an_answer_from_the_cache_costs_the_cache_read_and_the_count(anonymous, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    with rates("100/minute"):
        assert anonymous.get(LIST)["X-Cache"] == "miss"
        with captured_queries() as captured:
            hit = anonymous.get(LIST)
    assert (hit["X-Cache"], hit["RateLimit-Remaining"]) == ("hit", "98")
    # The generation and the answer read together, then the caller's count.
    read, count = (q["sql"] for q in captured.captured_queries)
    assert read.startswith('SELECT "cache_key", "value", "expires" FROM "portail_cache"')
    assert count.startswith("INSERT INTO chantier_ratewindow")


def test_closed_windows_are_deleted_each_scope_by_its_own_length():
    hour = timedelta(hours=1)
    for key, opened in [
        ("anonymous:203.0.113.1", T0 - MINUTE),  # closed just now
        ("anonymous:203.0.113.2", T0 - timedelta(seconds=59)),
        ("key:key-1", T0 - timedelta(minutes=59)),
        ("key:key-2", T0 - hour),  # closed just now
        ("other:203.0.113.1", T0 - hour),  # a scope not named is left alone
    ]:
        RateWindow.objects.create(key=key, opened_at=opened, count=3)
    deleted = delete_closed_windows(now=T0, windows={"anonymous": MINUTE, "key": hour})
    assert deleted == 2
    assert sorted(RateWindow.objects.values_list("key", flat=True)) == [
        "anonymous:203.0.113.2",
        "key:key-1",
        "other:203.0.113.1",
    ]


def test_the_hourly_job_deletes_the_windows_closed_under_the_limits_in_force():
    now = datetime.now(tz=UTC)
    RateWindow.objects.create(key="anonymous:203.0.113.1", opened_at=now - MINUTE, count=1)
    RateWindow.objects.create(key="anonymous:203.0.113.2", opened_at=now, count=1)
    RateWindow.objects.create(key="key:key-1", opened_at=now - MINUTE, count=1)
    RateWindow.objects.create(key="key:key-2", opened_at=now - timedelta(minutes=30), count=1)
    with rates("120/minute", "1200/hour"):
        assert rate_windows_by_scope() == {"anonymous": MINUTE, "key": timedelta(hours=1)}
        assert tasks.delete_closed_rate_windows() == 1
    assert sorted(RateWindow.objects.values_list("key", flat=True)) == [
        "anonymous:203.0.113.2",
        "key:key-1",
        "key:key-2",
    ]
    with rates("120/minute", None):
        # A limit turned off keeps no window to close.
        assert rate_windows_by_scope() == {"anonymous": MINUTE}


def test_the_job_runs_each_hour():
    from procrastinate.contrib.django import app

    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["chantier.delete_closed_rate_windows"] == "17 * * * *"
