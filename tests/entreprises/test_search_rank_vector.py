"""Relevance is ranked over `rank_vector` (the name, sectors and places): a word found
only in a description finds the enterprise, ranked below every name match; a row whose
rank vector is not written yet comes last, never first; the migration's backfill writes
what the search index's refresh writes; the vectors are kept in the row."""

import importlib

import pytest
from django.db import connection

from entreprises.models import Enterprise
from entreprises.selectors import DirectoryFilters, search_enterprises
from entreprises.services import refresh_search_vectors
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def names_found(q: str) -> list[str]:
    return [e.name_fr for e in search_enterprises(filters=DirectoryFilters(q=q))]


@pytest.fixture
def tournesol():
    named = EnterpriseFactory(name_fr="Zénith Tournesol", description_fr="Vélos réparés.")
    described = EnterpriseFactory(
        name_fr="Atelier Abricot", description_fr="Un tournesol peint sur la porte."
    )
    refresh_search_vectors()
    return named, described


def test_a_name_match_ranks_above_a_match_in_the_description(tournesol):
    # By name, "Atelier" would come first; by relevance, the name match does.
    assert names_found("tournesol") == ["Zénith Tournesol", "Atelier Abricot"]


def test_a_row_without_its_rank_vector_comes_last(tournesol):
    named, _ = tournesol
    Enterprise.objects.filter(pk=named.pk).update(rank_vector=None)
    assert names_found("tournesol") == ["Atelier Abricot", "Zénith Tournesol"]


def test_the_migrations_backfill_writes_what_the_refresh_writes(tournesol):
    def rank_vectors():
        return dict(Enterprise.objects.values_list("pk", "rank_vector"))

    written = rank_vectors()
    assert all(written.values())
    Enterprise.objects.update(rank_vector=None)
    migration = importlib.import_module("entreprises.migrations.0015_rank_vector")
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)
    assert rank_vectors() == written


def test_rank_vectors_kept_in_the_row_and_unchanged_by_the_rewrite(tournesol):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute"
            " WHERE attrelid = 'entreprises_enterprise'::regclass AND attname = 'rank_vector'"
        )
        assert cursor.fetchone() == ("m",)
    before = dict(Enterprise.objects.values_list("pk", "rank_vector"))
    migration = importlib.import_module("entreprises.migrations.0016_rank_vector_kept_in_the_row")
    with connection.cursor() as cursor:
        cursor.execute(migration.REWRITE)
    assert dict(Enterprise.objects.values_list("pk", "rank_vector")) == before
    assert names_found("tournesol") == ["Zénith Tournesol", "Atelier Abricot"]
