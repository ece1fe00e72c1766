"""After a change, the previous answer is served for at most PUBLIC_CACHE_STALE_SECONDS
while one request makes the fresh one once its own response is sent; the data derived
per generation follows the same rule; nothing personal is ever kept or served."""

import logging
import threading
import time
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import translation

from common.public_cache import (
    derived_for,
    derived_key,
    derived_until_change,
    invalidate_public_cache,
    response_key,
)
from entreprises.models import Enterprise
from tests.factories import EnterpriseFactory
from tests.helpers import body_of, captured_queries
from tests.personas import MODEL_BACKEND

# Committed for real: the cache forgets on commit, as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)

PAGE = "/en/enterprises/le-petrin/"
HOME = "/en/"
TRANSACTION_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")
OLD_TITLE = "<h1>Le Pétrin Bakery Co-operative</h1>"
NEW_TITLE = "<h1>Renamed Bakery</h1>"


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    settings.PUBLIC_CACHE_STALE_SECONDS = 5
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def enterprise():
    return EnterpriseFactory(name_en="Le Pétrin Bakery Co-operative", slug="le-petrin")


def page_turn(path: str) -> str:
    with translation.override("en"):
        return f"{response_key(RequestFactory().get(path))}:turn"


def another_request_is_making(path: str) -> str:
    """Takes the turn to make the fresh answer, as a request running elsewhere would."""
    turn = page_turn(path)
    assert cache.add(turn, 1, 30)
    return turn


def renamed(enterprise, name: str) -> None:
    enterprise.name_en = name
    enterprise.save()


def body(response) -> str:
    return body_of(response).decode()


def only_the_cache_read(queries) -> bool:
    sql = [q["sql"] for q in queries.captured_queries]
    return all("portail_cache" in s for s in sql if not s.startswith(TRANSACTION_STATEMENTS))


def test_stale_answer_served_while_another_request_makes_the_fresh_one(client, enterprise):
    assert client.get(PAGE)["X-Cache"] == "miss"
    renamed(enterprise, "Renamed Bakery")
    turn = another_request_is_making(PAGE)
    for _ in range(2):
        with captured_queries() as queries:
            stale = client.get(PAGE)
        assert stale["X-Cache"] == "stale"
        assert OLD_TITLE in body(stale)
        # Served from the cache alone (the answer read, the turn asked for): no page made.
        assert only_the_cache_read(queries)
    cache.delete(turn)
    assert client.get(PAGE)["X-Cache"] == "stale"
    again = client.get(PAGE)
    assert again["X-Cache"] == "hit"
    assert NEW_TITLE in body(again)


def test_request_taking_the_turn_served_the_stale_answer_and_the_fresh_one_kept(client, enterprise):
    client.get(PAGE)
    renamed(enterprise, "Renamed Bakery")
    first = client.get(PAGE)
    # Served at once: the fresh answer was made after it (the test client closes the
    # response as a WSGI server does once the body is written).
    assert first["X-Cache"] == "stale"
    assert OLD_TITLE in body(first)
    assert cache.get(page_turn(PAGE)) is None
    with captured_queries() as queries:
        second = client.get(PAGE)
    assert second["X-Cache"] == "hit"
    assert NEW_TITLE in body(second)
    assert only_the_cache_read(queries)


def served_by_wsgi(path: str):
    """The portal's WSGI application, called as gunicorn calls it: the body read in
    full and sent, then close() called."""
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    started = []
    result = WSGIHandler()(environ, lambda *status_and_headers: started.append(status_and_headers))
    return started, b"".join(result), result


def test_fresh_answer_made_only_once_the_server_closes_the_response(client, enterprise):
    client.get(PAGE)
    renamed(enterprise, "Renamed Bakery")
    [(status, headers)], sent, result = served_by_wsgi(PAGE)
    assert status == "200 OK"
    # Whole once its length is read: the visitor does not wait for the refresh below.
    assert ("Content-Length", str(len(sent))) in headers
    assert OLD_TITLE in sent.decode()
    # Sent, not yet closed: the turn is still held, other visitors get the stale answer.
    assert cache.get(page_turn(PAGE)) == 1
    meanwhile = client.get(PAGE)
    assert (meanwhile["X-Cache"], OLD_TITLE in body(meanwhile)) == ("stale", True)
    result.close()
    assert cache.get(page_turn(PAGE)) is None
    after = client.get(PAGE)
    assert after["X-Cache"] == "hit"
    assert NEW_TITLE in body(after)


def test_failing_refresh_keeps_the_stale_answer_logs_and_lets_the_next_request_try(
    enterprise, caplog
):
    # The server's view of a failure: an answer 500, never an exception in the test.
    client = Client(raise_request_exception=False)
    client.get(PAGE)
    renamed(enterprise, "Renamed Bakery")
    table = Enterprise._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    try:
        with caplog.at_level(logging.ERROR, logger="common.public_cache"):
            served = client.get(PAGE)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")
    assert (served.status_code, served["X-Cache"]) == (200, "stale")
    assert OLD_TITLE in body(served)
    failures = [r for r in caplog.records if r.name == "common.public_cache"]
    assert [(r.levelname, r.getMessage()) for r in failures] == [
        ("ERROR", f"The fresh answer of {PAGE} failed (status 500); the stale one stays.")
    ]
    assert cache.get(page_turn(PAGE)) is None
    still = client.get(PAGE)
    assert (still["X-Cache"], OLD_TITLE in body(still)) == ("stale", True)
    fresh = client.get(PAGE)
    assert fresh["X-Cache"] == "hit"
    assert NEW_TITLE in body(fresh)


def test_page_gone_when_refreshed_is_forgotten_not_served_again(client, enterprise):
    client.get(PAGE)
    renamed(enterprise, "Renamed Bakery")
    enterprise.delete()
    assert client.get(PAGE)["X-Cache"] == "stale"
    # The refresh answered 404, which is not kept: the next visitor gets the view's answer.
    gone = client.get(PAGE)
    assert (gone.status_code, "X-Cache" in gone) == (404, False)
    assert cache.get(page_turn(PAGE)) is None


def kept_answer_older_than_the_window(path: str) -> None:
    """The answer kept for `path` as it is once PUBLIC_CACHE_STALE_SECONDS (5) have passed:
    its `made_at` moved back, where a sleep past a short window would race a loaded machine."""
    with translation.override("en"):
        key = response_key(RequestFactory().get(path))
    kept = cache.get(key)
    cache.set(key, {**kept, "made_at": kept["made_at"] - 6}, None)


def test_change_shows_once_the_staleness_window_has_passed(client, enterprise):
    client.get(PAGE)
    renamed(enterprise, "Renamed Bakery")
    another_request_is_making(PAGE)
    assert client.get(PAGE)["X-Cache"] == "stale"
    kept_answer_older_than_the_window(PAGE)
    # The answer is older than the window: made again, whoever else is making it.
    late = client.get(PAGE)
    assert late["X-Cache"] == "miss"
    assert NEW_TITLE in body(late)


def test_staleness_zero_shows_a_change_on_the_next_request(client, enterprise, settings):
    settings.PUBLIC_CACHE_STALE_SECONDS = 0
    client.get(PAGE)
    renamed(enterprise, "Renamed Bakery")
    response = client.get(PAGE)
    assert response["X-Cache"] == "miss"
    assert NEW_TITLE in body(response)


def test_signed_in_staff_never_served_a_kept_or_stale_answer(client, enterprise, personas):
    client.get(PAGE)
    renamed(enterprise, "Renamed Bakery")
    another_request_is_making(PAGE)
    client.force_login(personas.staff_a, backend=MODEL_BACKEND)
    response = client.get(PAGE)
    assert "X-Cache" not in response
    assert NEW_TITLE in body(response)
    # What the staff member was served is not kept for the next visitor either.
    client.logout()
    client.cookies.clear()
    anonymous = client.get(PAGE)
    assert anonymous["X-Cache"] == "stale"
    assert OLD_TITLE in body(anonymous)


# Derived data: the home page's figures, with the page cache off so that only they are kept.

FIGURES_TURN = f"{derived_key('published-figures', ())}:turn"


def enterprises_on_the_map(client) -> tuple[str, bool]:
    """What the home page says, and whether it scanned the published enterprises for it."""
    with captured_queries() as queries:
        page = body(client.get(HOME))
    scanned = any("GROUPING SETS" in q["sql"] for q in queries.captured_queries)
    if "See the 1 published enterprise on the map" in page:
        return "1", scanned
    if "See the 2 published enterprises on the map" in page:
        return "2", scanned
    raise AssertionError(page)


def test_figures_being_computed_elsewhere_served_from_the_previous_generation(
    client, enterprise, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0
    assert enterprises_on_the_map(client) == ("1", True)
    assert enterprises_on_the_map(client) == ("1", False)
    EnterpriseFactory()
    assert cache.add(FIGURES_TURN, 1, 30)
    assert enterprises_on_the_map(client) == ("1", False)
    cache.delete(FIGURES_TURN)
    assert enterprises_on_the_map(client) == ("2", True)
    assert enterprises_on_the_map(client) == ("2", False)


def test_figures_older_than_the_window_computed_whoever_else_is_computing(
    client, enterprise, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0
    settings.PUBLIC_CACHE_STALE_SECONDS = 1
    enterprises_on_the_map(client)
    EnterpriseFactory()
    assert cache.add(FIGURES_TURN, 1, 30)
    time.sleep(1.1)
    assert enterprises_on_the_map(client) == ("2", True)


def test_two_requests_computing_the_same_derived_data_compute_it_once():
    assert derived_until_change("counts", (), lambda: "before") == "before"
    invalidate_public_cache()
    started, release, computed, results = threading.Event(), threading.Event(), [], []

    def slow():
        computed.append("first")
        started.set()
        assert release.wait(10)
        return "after"

    def first_request():
        try:
            results.append(derived_until_change("counts", (), slow))
        finally:
            connection.close()

    thread = threading.Thread(target=first_request)
    thread.start()
    assert started.wait(10)
    # Meanwhile, on its own connection: the previous value, nothing computed.
    meanwhile = derived_until_change("counts", (), lambda: computed.append("second"))
    release.set()
    thread.join(10)
    assert (meanwhile, results, computed) == ("before", ["after"], ["first"])
    assert derived_until_change("counts", (), lambda: computed.append("third")) == "after"
    assert computed == ["first"]


@pytest.mark.parametrize("kept", [False, True], ids=["never made", "older than its time"])
def test_two_requests_needing_data_kept_for_a_time_make_it_once(kept):
    """`derived_for`: while one request makes it, another gets the previous value (or,
    before it was ever made, `meanwhile`) and makes nothing."""
    if kept:
        assert derived_for("words", seconds=1, compute=lambda: "before", meanwhile="") == "before"
        time.sleep(1.1)
    started, release, computed, results = threading.Event(), threading.Event(), [], []

    def slow():
        computed.append("first")
        started.set()
        assert release.wait(10)
        return "after"

    def first_request():
        try:
            results.append(derived_for("words", seconds=1, compute=slow, meanwhile=""))
        finally:
            connection.close()

    thread = threading.Thread(target=first_request)
    thread.start()
    assert started.wait(10)
    second = lambda: computed.append("second")  # noqa: E731
    meanwhile = derived_for("words", seconds=1, compute=second, meanwhile="none yet")
    release.set()
    thread.join(10)
    assert meanwhile == ("before" if kept else "none yet")
    assert computed == ["first"]
    # Outside a request (a command, a job), the one taking the turn makes it at once.
    assert results == ["after"]
    assert derived_for("words", seconds=60, compute=second, meanwhile="") == "after"
    assert computed == ["first"]


def test_page_made_with_figures_of_the_previous_generation_not_kept_as_fresh(client, enterprise):
    assert enterprises_on_the_map(client) == ("1", True)
    EnterpriseFactory()
    assert cache.add(FIGURES_TURN, 1, 30)
    # Never kept, so made now, with the figures another request is making served stale.
    made = client.get(f"{HOME}?from=newsletter")
    assert made["X-Cache"] == "miss"
    assert "See the 1 published enterprise on the map" in body(made)
    cache.delete(FIGURES_TURN)
    # Kept as old as its figures: stale, and made again, not a hit until the next change.
    assert client.get(f"{HOME}?from=newsletter")["X-Cache"] == "stale"
    fresh = client.get(f"{HOME}?from=newsletter")
    assert fresh["X-Cache"] == "hit"
    assert "See the 2 published enterprises on the map" in body(fresh)


def test_stale_answer_once_streamed_served_with_its_length(client, enterprise):
    streamed = client.get("/en/map/enterprises.geojson")
    assert (streamed.streaming, streamed["X-Cache"]) == (True, "miss")
    kept = body_of(streamed)
    renamed(enterprise, "Renamed Bakery")
    stale = client.get("/en/map/enterprises.geojson")
    assert (stale.streaming, stale["X-Cache"]) == (False, "stale")
    assert (stale.content, stale["Content-Length"]) == (kept, str(len(kept)))
    fresh = client.get("/en/map/enterprises.geojson")
    assert fresh["X-Cache"] == "hit"
    assert "Renamed Bakery" in body(fresh)


def test_stale_answer_kept_compressed_refreshed_and_served_whole(client, enterprise, settings):
    """Past PUBLIC_CACHE_MAX_BYTES uncompressed, kept compressed (the fresh answer made
    after the stale one is sent too), and served as the client asked for it: plain."""
    EnterpriseFactory.create_batch(30)
    settings.PUBLIC_CACHE_MAX_BYTES = 4000
    url = "/api/v1/enterprises/?format=geojson"
    kept = body_of(client.get(url))
    assert len(kept) > 4000
    renamed(enterprise, "Renamed Bakery")
    stale = client.get(url)
    assert (stale["X-Cache"], stale.content, stale.get("Content-Encoding")) == (
        "stale",
        kept,
        None,
    )
    fresh = client.get(url)
    assert fresh["X-Cache"] == "hit"
    assert b"Renamed Bakery" in fresh.content
    assert fresh["Content-Length"] == str(len(fresh.content))
