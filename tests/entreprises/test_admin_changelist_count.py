"""The enterprise change list counts exactly up to a threshold and past it takes
PostgreSQL's estimate (common.pagination.EstimatedCountPaginator): a broad search at
100,000 records costs no full count. Its query count does not grow with the rows, for
pole staff and for the national team, with and without a search."""

import html

import pytest
from django.contrib import admin
from django.db import connection
from django.urls import reverse

from common.pagination import EstimatedCountPaginator
from entreprises.models import Enterprise
from entreprises.services import refresh_search_vectors
from tests.factories import EnterpriseFactory
from tests.helpers import captured_queries

CHANGELIST = reverse("admin:entreprises_enterprise_changelist")


@pytest.fixture
def low_threshold(monkeypatch):
    """A threshold a test's few rows can cross (1,000 in the portal, 50 a page)."""
    monkeypatch.setattr(EstimatedCountPaginator, "exact_up_to", 10)
    monkeypatch.setattr(admin.site._registry[Enterprise], "list_per_page", 5)


def bakeries(world, count):
    EnterpriseFactory.create_batch(
        count, name_fr="Boulangerie coopérative", pole=world.pole_a, region=world.montreal
    )
    refresh_search_vectors()
    # The statistics the planner estimates from, as autovacuum keeps them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE entreprises_enterprise")


def text_of(response) -> str:
    return html.unescape(" ".join(response.content.decode().split()))


def test_a_small_result_is_counted_exactly(personas, world, low_threshold):
    bakeries(world, 7)
    response = personas.client_for(personas.staff_a).get(
        CHANGELIST, {"q": "boulangerie"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    cl = response.context["cl"]
    assert (cl.result_count, cl.paginator.estimated) == (7, False)
    assert "7 results (" in text_of(response)
    assert "about" not in text_of(response)


def test_a_large_result_is_estimated_and_says_so(personas, world, low_threshold):
    bakeries(world, 40)
    client = personas.client_for(personas.national)
    response = client.get(CHANGELIST, {"q": "boulangerie"})
    cl = response.context["cl"]
    assert cl.paginator.estimated is True
    assert cl.result_count > 10
    assert len(cl.result_list) == 5
    body = text_of(response)
    assert f"environ {cl.result_count} résultats (" in body
    assert f"environ {cl.result_count} entreprises" in body
    # A page past an estimate that was too high is empty, not an error.
    beyond = client.get(CHANGELIST, {"q": "boulangerie", "p": "9"})
    assert beyond.status_code == 200
    assert list(beyond.context["cl"].result_list) == []


@pytest.mark.parametrize("persona", ["national", "staff_a"])
@pytest.mark.parametrize("search", [{}, {"q": "boulangerie"}])
def test_query_count_does_not_grow_with_the_rows(personas, world, low_threshold, persona, search):
    client = personas.client_for(getattr(personas, persona))
    client.get(CHANGELIST, search)  # warm the session and content types

    def count_queries():
        with captured_queries() as queries:
            response = client.get(CHANGELIST, search)
        assert response.status_code == 200
        # Estimated or counted, as the planner judges a pole's share of these few rows.
        return len(queries)

    bakeries(world, 15)
    few = count_queries()
    bakeries(world, 45)
    many = count_queries()
    # Never more: one fewer once the planner's estimate replaces the exact count.
    assert few - 1 <= many <= few
    # The session; the user with their permissions, national team and second factor (one
    # query); the device that verified the national team's session; the poles and regions
    # read once for the columns and the filters; the sectors; the estimate; the count
    # under it when the planner expects few rows (its judgement of a pole's share); the page.
    shown = {"national": 8, "staff_a": 7}[persona]
    assert few in (shown, shown + 1)
