"""The API's reads, written once in entreprises.selectors: who sees which enterprises, and
the tombstones a partner's sync removes."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import translation

from common.tombstones import Tombstone
from entreprises.models import Enterprise
from entreprises.selectors import api_enterprises, tombstone_of, tombstones_since
from entreprises.services import delete_enterprises

pytestmark = pytest.mark.django_db


def slugs(queryset) -> list[str]:
    return sorted(queryset.values_list("slug", flat=True))


def test_everyone_reads_published_enterprises_by_default(personas, directory):
    for user in (AnonymousUser(), personas.staff_a, personas.national):
        assert slugs(api_enterprises(user=user)) == ["envol", "marche"]
        assert slugs(api_enterprises(user=user, status="published")) == ["envol", "marche"]


def test_staff_ask_for_drafts_and_archives_of_their_poles(personas, directory):
    assert slugs(api_enterprises(user=personas.staff_a, status="draft")) == ["brouillon"]
    assert slugs(api_enterprises(user=personas.staff_a, status="archived")) == []
    assert slugs(api_enterprises(user=personas.staff_b, status="archived")) == ["ancienne"]
    assert slugs(api_enterprises(user=personas.staff_without_pole, status="draft")) == []
    assert slugs(api_enterprises(user=personas.national, status="archived")) == ["ancienne"]


def test_any_status_a_detail_may_show(personas, directory):
    assert slugs(api_enterprises(user=AnonymousUser(), status=None)) == ["envol", "marche"]
    assert slugs(api_enterprises(user=personas.staff_a, status=None)) == [
        "brouillon",
        "envol",
        "marche",
    ]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Only published enterprises are public; drafts and archives are for pole staff."),
        (
            "fr",
            "Seules les entreprises publiées sont publiques\u202f; les brouillons et les"
            " archives sont réservés au personnel des pôles.",
        ),
    ],
)
def test_drafts_are_refused_to_whoever_is_not_staff(directory, language, message):
    with translation.override(language), pytest.raises(PermissionDenied) as refused:
        api_enterprises(user=AnonymousUser(), status="draft")
    assert str(refused.value) == message


@pytest.fixture
def gone(directory):
    """The archived enterprise, then two deleted ones, in this order of time."""
    archived = directory["archived"]
    delete_enterprises(enterprises=Enterprise.objects.filter(slug="envol"))
    delete_enterprises(enterprises=Enterprise.objects.filter(slug="marche"))
    return archived


def test_tombstones_since_merge_archived_and_deleted_by_time(directory, gone):
    since = gone.updated_at - dt.timedelta(seconds=1)
    found = list(tombstones_since(since=since))
    assert [(t.slug, t.status) for t in found] == [
        ("ancienne", "archived"),
        ("envol", "deleted"),
        ("marche", "deleted"),
    ]
    assert all(isinstance(t, Tombstone) for t in found)
    assert found[1].id == directory["coop"].id
    assert [t.position for t in found] == sorted(t.position for t in found)
    # Paged: from a position on, at most `limit`.
    assert [t.slug for t in tombstones_since(since=since, limit=2)] == ["ancienne", "envol"]
    after = list(tombstones_since(since=since, after=found[0].position, limit=5))
    assert [t.slug for t in after] == ["envol", "marche"]
    assert list(tombstones_since(since=found[-1].updated_at)) == []


def test_tombstone_of_one_slug(directory, gone):
    assert tombstone_of(slug="ancienne") == Tombstone(
        id=gone.id,
        slug="ancienne",
        reason="archived",
        status="archived",
        updated_at=gone.updated_at,
    )
    deleted = tombstone_of(slug="envol")
    assert (deleted.id, deleted.status) == (directory["coop"].id, "deleted")
    assert tombstone_of(slug="brouillon") is None
    assert tombstone_of(slug="nope") is None
