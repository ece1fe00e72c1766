"""The block a search's ranking runs in (`through_the_search_index`): on the database the
page reads from, and a cancelled statement still seen as one."""

import pytest
from django.db import connection, connections, router
from django.db.utils import OperationalError
from django.test.utils import CaptureQueriesContext

from chantier.routers import PRIMARY, REPLICA, replica_reads
from entreprises.models import SearchEntry
from entreprises.selectors import DirectoryFilters, facet_counts, through_the_search_index
from entreprises.services import refresh_search_vectors
from tests.factories import EnterpriseFactory


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_an_anonymous_search_is_ranked_on_the_replica(settings):
    settings.DATABASE_ROUTERS = ["chantier.routers.ReplicaRouter"]
    with replica_reads():
        assert router.db_for_read(SearchEntry) == REPLICA
        with through_the_search_index():
            assert router.db_for_read(SearchEntry) == REPLICA


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
@pytest.mark.parametrize("q", ["habitation", ""])
def test_an_anonymous_directorys_facets_are_counted_on_the_replica(settings, q):
    settings.DATABASE_ROUTERS = ["chantier.routers.ReplicaRouter"]
    enterprise = EnterpriseFactory(name_fr="Coopérative d'habitation du Fleuve")
    refresh_search_vectors(ids=[enterprise.pk])
    with (
        CaptureQueriesContext(connections[PRIMARY]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
        replica_reads(),
    ):
        assert facet_counts(filters=DirectoryFilters(q=q)).total == 1
    facets = "WITH base AS MATERIALIZED"
    assert [query for query in replica.captured_queries if facets in query["sql"]] != []
    assert [query for query in primary.captured_queries if facets in query["sql"]] == []


@pytest.mark.django_db(transaction=True)
def test_a_search_cancelled_for_its_time_stays_a_cancelled_statement():
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 50")
    try:
        # A cancelled statement is what the 503 page (with Retry-After) is shown for.
        with (
            pytest.raises(OperationalError, match="statement timeout"),
            through_the_search_index(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT pg_sleep(1)")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
