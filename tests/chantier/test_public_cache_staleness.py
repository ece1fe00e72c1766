"""After a change, the previous answer is served while one request makes the fresh one,
for at most PUBLIC_CACHE_STALE_SECONDS; nothing personal is ever kept or served."""

import time

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import translation

from common.public_cache import response_key
from tests.factories import EnterpriseFactory
from tests.helpers import body_of, captured_queries
from tests.personas import MODEL_BACKEND

# Committed for real: the cache forgets on commit, as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)

PAGE = "/en/enterprises/le-petrin/"
TRANSACTION_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")


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


def another_request_is_making(path: str) -> str:
    """Takes the turn to make the fresh answer, as a request running elsewhere would."""
    with translation.override("en"):
        key = response_key(RequestFactory().get(path))
    assert cache.add(f"{key}:turn", 1, 30)
    return f"{key}:turn"


def renamed(enterprise, name: str) -> None:
    enterprise.name_en = name
    enterprise.save()


def test_stale_answer_served_while_another_request_makes_the_fresh_one(client, enterprise):
    assert client.get(PAGE)["X-Cache"] == "miss"
    renamed(enterprise, "Renamed Bakery")
    turn = another_request_is_making(PAGE)
    with captured_queries() as queries:
        stale = client.get(PAGE)
    assert stale["X-Cache"] == "stale"
    assert "<h1>Le Pétrin Bakery Co-operative</h1>" in body_of(stale).decode()
    # Served from the cache alone (the answer read, the turn asked for): no page made.
    tables = [q["sql"] for q in queries.captured_queries]
    tables = [sql for sql in tables if not sql.startswith(TRANSACTION_STATEMENTS)]
    assert all("portail_cache" in sql for sql in tables), tables
    cache.delete(turn)
    fresh = client.get(PAGE)
    assert fresh["X-Cache"] == "miss"
    assert "<h1>Renamed Bakery</h1>" in body_of(fresh).decode()
    again = client.get(PAGE)
    assert again["X-Cache"] == "hit"
    assert "<h1>Renamed Bakery</h1>" in body_of(again).decode()


def test_first_request_after_a_change_makes_the_fresh_answer(client, enterprise):
    client.get(PAGE)
    renamed(enterprise, "Renamed Bakery")
    first = client.get(PAGE)
    assert first["X-Cache"] == "miss"
    assert "<h1>Renamed Bakery</h1>" in body_of(first).decode()


def test_change_shows_once_the_staleness_window_has_passed(client, enterprise, settings):
    settings.PUBLIC_CACHE_STALE_SECONDS = 1
    client.get(PAGE)
    renamed(enterprise, "Renamed Bakery")
    another_request_is_making(PAGE)
    assert client.get(PAGE)["X-Cache"] == "stale"
    time.sleep(1.1)
    # The answer is older than the window: made again, whoever else is making it.
    late = client.get(PAGE)
    assert late["X-Cache"] == "miss"
    assert "<h1>Renamed Bakery</h1>" in body_of(late).decode()


def test_staleness_zero_shows_a_change_on_the_next_request(client, enterprise, settings):
    settings.PUBLIC_CACHE_STALE_SECONDS = 0
    client.get(PAGE)
    renamed(enterprise, "Renamed Bakery")
    another_request_is_making(PAGE)
    response = client.get(PAGE)
    assert response["X-Cache"] == "miss"
    assert "<h1>Renamed Bakery</h1>" in body_of(response).decode()


def test_signed_in_staff_never_served_a_kept_or_stale_answer(client, enterprise, personas):
    client.get(PAGE)
    renamed(enterprise, "Renamed Bakery")
    another_request_is_making(PAGE)
    client.force_login(personas.staff_a, backend=MODEL_BACKEND)
    response = client.get(PAGE)
    assert "X-Cache" not in response
    assert "<h1>Renamed Bakery</h1>" in body_of(response).decode()
    # What the staff member was served is not kept for the next visitor either.
    client.logout()
    client.cookies.clear()
    anonymous = client.get(PAGE)
    assert anonymous["X-Cache"] == "stale"
    assert "<h1>Le Pétrin Bakery Co-operative</h1>" in body_of(anonymous).decode()


def test_failed_request_gives_the_turn_back(client, enterprise, settings):
    client.get(PAGE)
    renamed(enterprise, "Renamed Bakery")
    enterprise.delete()  # the page now answers 404: not kept, the turn given back
    assert client.get(PAGE).status_code == 404
    with translation.override("en"):
        key = response_key(RequestFactory().get(PAGE))
    assert cache.get(f"{key}:turn") is None
