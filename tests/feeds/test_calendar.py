"""The events' iCalendar feeds, read back by the `icalendar` library as calendar programs do."""

from datetime import date

import pytest
from icalendar import Calendar

from evenements.calendar import event_uid
from tests.factories import EventFactory, OrganizationFactory
from tests.helpers import body_of, html_of

pytestmark = pytest.mark.django_db

CALENDAR = {"fr": "/fr/evenements/calendrier.ics", "en": "/en/events/calendar.ics"}


def calendar_of(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(body_of(response).decode())


def events_in(calendar: Calendar) -> list[tuple]:
    return [
        (
            str(event["UID"]),
            str(event["SUMMARY"]),
            event.decoded("DTSTART"),
            event.decoded("DTEND"),
            str(event.get("LOCATION", "")),
            str(event["URL"]),
        )
        for event in calendar.walk("VEVENT")
    ]


@pytest.fixture
def events():
    """A three-day forum, a one-day mission, a milestone, and an event known by its year."""
    forum = EventFactory(
        name_fr="Forum international",
        name_en="International Forum",
        slug="forum-2011",
        kind="forum",
        year=2011,
        start_date=date(2011, 10, 17),
        end_date=date(2011, 10, 20),
        venue_fr="Palais des congrès",
        city_fr="Montréal",
        country="CA",
        description_fr="Mille six cents participants.",
        description_en="Sixteen hundred participants.",
    )
    mission = EventFactory(
        name_fr="Mission au Brésil",
        name_en="Mission to Brazil",
        slug="mission-2013",
        kind="mission",
        year=2013,
        start_date=date(2013, 5, 2),
        city_fr="São Paulo",
        country="BR",
    )
    milestone = EventFactory(
        name_fr="Loi sur l'économie sociale",
        slug="loi-2013",
        kind="milestone",
        year=2013,
        start_date=date(2013, 10, 10),
    )
    undated = EventFactory(name_fr="Rencontre", slug="rencontre-1999", year=1999)
    return forum, mission, milestone, undated


def test_calendar_lists_every_dated_event_as_whole_days_in_french(client, events):
    forum, mission, milestone, _undated = events
    calendar = calendar_of(client, CALENDAR["fr"])
    assert str(calendar["VERSION"]) == "2.0"
    assert (
        str(calendar["X-WR-CALNAME"])
        == "Économie sociale du Québec\u00a0: événements internationaux"
    )
    assert events_in(calendar) == [
        (
            event_uid(forum),
            "Forum international",
            date(2011, 10, 17),
            date(2011, 10, 21),  # exclusive: the day after the last one
            "Palais des congrès, Montréal, Canada",
            "http://testserver/fr/evenements/forum-2011/",
        ),
        (
            event_uid(mission),
            "Mission au Brésil",
            date(2013, 5, 2),
            date(2013, 5, 3),
            "São Paulo, Brésil",
            "http://testserver/fr/evenements/mission-2013/",
        ),
        (
            event_uid(milestone),
            "Loi sur l'économie sociale",
            date(2013, 10, 10),
            date(2013, 10, 11),
            "",
            "http://testserver/fr/evenements/loi-2013/",
        ),
    ]
    first = calendar.walk("VEVENT")[0]
    # Whole days: DATE values, not date-times; DTSTAMP is a UTC date-time.
    assert first["DTSTART"].to_ical() == b"20111017"
    assert first["DTSTART"].params["VALUE"] == "DATE"
    assert first["DTEND"].params["VALUE"] == "DATE"
    assert first.decoded("DTSTAMP") == forum.updated_at.replace(microsecond=0)
    assert first["DTSTAMP"].to_ical().endswith(b"Z")
    assert str(first["DESCRIPTION"]) == (
        "Mille six cents participants.\n\nhttp://testserver/fr/evenements/forum-2011/"
    )
    assert str(first["CATEGORIES"].cats[0]) == "forum"


def test_calendar_in_english_keeps_the_same_uids(client, events):
    forum, mission, milestone, _undated = events
    french = calendar_of(client, CALENDAR["fr"])
    english = calendar_of(client, CALENDAR["en"])
    assert str(english["X-WR-CALNAME"]) == "Québec social economy: international events"
    assert [e[:2] for e in events_in(english)] == [
        (event_uid(forum), "International Forum"),
        (event_uid(mission), "Mission to Brazil"),
        # No English name: the French one, as on the site.
        (event_uid(milestone), "Loi sur l'économie sociale"),
    ]
    assert [e[0] for e in events_in(english)] == [e[0] for e in events_in(french)]
    assert events_in(english)[1][4] == "São Paulo, Brazil"
    assert str(english.walk("VEVENT")[0]["DESCRIPTION"]).startswith("Sixteen hundred participants.")


def test_calendar_uid_survives_a_rename(client, events):
    forum = events[0]
    before = events_in(calendar_of(client, CALENDAR["fr"]))[0][0]
    forum.name_fr, forum.slug = "Forum renommé", "forum-renomme"
    forum.save()
    after = events_in(calendar_of(client, CALENDAR["fr"]))[0]
    assert (after[0], after[1]) == (before, "Forum renommé")


def test_organization_calendar_holds_its_events_only(client, events):
    forum, mission, milestone, _undated = events
    oecd = OrganizationFactory(name_fr="OCDE", slug="ocde")
    ripess = OrganizationFactory(name_fr="RIPESS", slug="ripess")
    forum.organizers.add(oecd)
    mission.partners.add(oecd)
    milestone.participating_organizations.add(oecd)
    mission.organizers.add(ripess)
    calendar = calendar_of(client, "/fr/organisations/ocde/evenements.ics")
    assert str(calendar["X-WR-CALNAME"]) == "Économie sociale du Québec\u00a0: événements de OCDE"
    assert [e[1] for e in events_in(calendar)] == [
        "Forum international",
        "Mission au Brésil",
        "Loi sur l'économie sociale",
    ]
    english = calendar_of(client, "/en/organizations/ripess/events.ics")
    assert [e[1] for e in events_in(english)] == ["Mission to Brazil"]


def test_organization_calendar_of_unknown_organization_is_404(client, events):
    response = client.get("/fr/organisations/inconnue/evenements.ics")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


def test_empty_calendar_is_still_a_valid_calendar(client, db):
    calendar = calendar_of(client, CALENDAR["en"])
    assert events_in(calendar) == []
    assert str(calendar["PRODID"]).startswith("-//Chantier de l'économie sociale//")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_events_page_links_the_calendar(client, events, language):
    html = html_of(client, {"fr": "/fr/evenements/", "en": "/en/events/"}[language])
    url = CALENDAR[language]
    title, text = {
        "fr": ("Calendrier des événements (iCal)", "S’abonner au calendrier des événements (iCal)"),
        "en": ("Calendar of events (iCal)", "Subscribe to the calendar of events (iCal)"),
    }[language]
    assert f'<link rel="alternate" type="text/calendar" title="{title}" href="{url}">' in html
    assert f'<a href="{url}" type="text/calendar">{text}</a>' in html


@pytest.mark.parametrize(
    ("url", "feed", "title", "text"),
    [
        (
            "/fr/organisations/ocde/",
            "/fr/organisations/ocde/evenements.ics",
            "Événements de cette organisation (iCal)",
            "S’abonner aux événements de cette organisation (iCal)",
        ),
        (
            "/en/organizations/ocde/",
            "/en/organizations/ocde/events.ics",
            "This organization’s events (iCal)",
            "Subscribe to this organization’s events (iCal)",
        ),
    ],
)
def test_organization_page_links_its_calendar(client, events, url, feed, title, text):
    events[0].organizers.add(OrganizationFactory(name_fr="OCDE", slug="ocde"))
    html = html_of(client, url)
    assert f'<link rel="alternate" type="text/calendar" title="{title}" href="{feed}">' in html
    assert f'<a href="{feed}" type="text/calendar">{text}</a>' in html
