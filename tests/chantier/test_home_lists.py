"""The records the home page lists beside its figures (key figures, sectors, regions,
events) are kept per data generation and day: a change shows on the very next request,
and an event moves from the agenda to the history when its day has passed."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from chantier.selectors import home_lists
from tests.factories import EventFactory, KeyFigureFactory, SectorFactory
from tests.helpers import html_of, query_count

# Committed for real: the kept lists are forgotten on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def section(html: str, title_id: str, next_id: str) -> str:
    return html[html.index(f'id="{title_id}"') : html.index(f'id="{next_id}"')]


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/fr/", ("Forum à venir", "Emplois", "Forum renommé", "Logement")),
        ("/en/", ("Coming forum", "Jobs", "Renamed forum", "Dwellings")),
    ],
)
def test_a_change_to_a_listed_record_shows_on_the_next_request(client, url, names):
    forum, jobs, renamed_forum, renamed_sector = names
    soon = timezone.localdate() + timedelta(days=30)
    event = EventFactory(
        name_fr="Forum à venir", name_en="Coming forum", year=soon.year, start_date=soon
    )
    sector = SectorFactory(name_fr="Habitation", name_en="Housing")
    html = html_of(client, url)
    assert forum in section(html, "upcoming-title", "events-title")
    assert jobs not in section(html, "figures-title", "regions-title")
    assert query_count(client, url) == 2  # kept: the figures and the lists, one read each

    event.name_fr, event.name_en = "Forum renommé", "Renamed forum"
    event.save()
    sector.name_fr, sector.name_en = "Logement", "Dwellings"
    sector.save()
    KeyFigureFactory(featured=True)
    html = html_of(client, url)
    assert renamed_forum in section(html, "upcoming-title", "events-title")
    assert forum not in html
    assert renamed_sector in section(html, "sectors-title", "counts-title")
    assert jobs in section(html, "figures-title", "regions-title")


def test_the_lists_follow_the_day_without_a_change():
    day = timezone.localdate()
    EventFactory(name_fr="Forum du jour", slug="forum-du-jour", year=day.year, start_date=day)
    before, after = (
        home_lists(today=day - timedelta(days=1)),
        home_lists(today=day + timedelta(days=1)),
    )
    assert [e.slug for e in before.upcoming_events] == ["forum-du-jour"]
    assert [e.slug for e in before.latest_events] == []
    assert [e.slug for e in after.upcoming_events] == []
    assert [e.slug for e in after.latest_events] == ["forum-du-jour"]
