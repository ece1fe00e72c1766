"""The statistics page (published figures first, sorted bars, coverage, CSV) and the home
page's ways in (map preview, agenda apart from history, regions and sectors)."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from entreprises.services import set_sectors
from evenements.models import Event
from poles.models import Pole, Region
from tests.factories import EnterpriseFactory, EventFactory, SectorFactory
from tests.helpers import body_of, html_of

pytestmark = pytest.mark.django_db


def csv_of(client, url):
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "text/csv; charset=utf-8")
    text = body_of(response).decode()
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def montreal_enterprises(reference_data):
    region = Region.objects.get(code="06")
    pole = Pole.objects.filter(regions=region).first()
    housing = SectorFactory(name_fr="Habitation test", slug="habitation-test")
    for number in range(3):
        enterprise = EnterpriseFactory(
            slug=f"montreal-{number}", region=region, pole=pole, latitude=45.5, longitude=-73.6
        )
        set_sectors(enterprise=enterprise, primary=housing)
    return region


def test_statistics_lead_with_published_figures(client, montreal_enterprises):
    html = html_of(client, "/en/statistics/")
    assert html.index('id="published-title"') < html.index('id="coverage-title"')
    assert html.index('id="coverage-title"') < html.index('id="live-title"')


def test_statistics_bars_are_sorted_by_value(client, montreal_enterprises):
    html = html_of(client, "/en/statistics/")
    region_chart = html[html.index('id="chart-region-title"') : html.index('id="chart-pole-title"')]
    values = [
        int(v.replace(",", "")) for v in re.findall(r'class="bar-value">([\d,]+)<', region_chart)
    ]
    assert values[0] == 3 and values == sorted(values, reverse=True)


def test_coverage_compares_the_directory_with_the_published_count(client, montreal_enterprises):
    rows = csv_of(client, "/en/statistics/coverage.csv")
    assert rows[0] == [
        "Region",
        "Published enterprises in the directory",
        "Published count of social economy enterprises",
        "Year of the published count",
        "Share in the directory (%)",
    ]
    montreal = next(row for row in rows if row[0].startswith("Montréal"))
    # 3 of the 2,780 enterprises the ISQ counted in Montréal in 2016.
    assert montreal == ["Montréal", "3", "2780", "2016", "0.1"]
    nord = next(row for row in rows if row[0].startswith("Nord-du-Québec"))
    assert nord[1:] == ["0", "", "", ""]
    html = html_of(client, "/fr/statistiques/")
    assert (
        '<th scope="row">Montréal</th><td>3</td><td>2\u00a0780 (2016)</td><td>0,1\u00a0%</td>'
        in html
    )


@pytest.mark.parametrize(
    "table", ["published", "coverage", "region", "pole", "sector", "legal_form"]
)
def test_every_statistics_table_downloads_as_csv(client, montreal_enterprises, table):
    rows = csv_of(client, f"/fr/statistiques/{table}.csv")
    assert len(rows) > 1
    assert f'href="/fr/statistiques/{table}.csv"' in html_of(client, "/fr/statistiques/")


def test_unknown_statistics_table_is_a_404(client, reference_data):
    response = client.get("/en/statistics/nope.csv")
    assert response.status_code == 404
    assert "Page not found" in body_of(response).decode()


def test_home_separates_upcoming_events_from_history(client, reference_data):
    soon = timezone.localdate() + timedelta(days=30)
    EventFactory(name_fr="Forum à venir", slug="forum-a-venir", year=soon.year, start_date=soon)
    html = html_of(client, "/fr/")
    upcoming = html[html.index('id="upcoming-title"') : html.index('id="events-title"')]
    history = html[html.index('id="events-title"') :]
    assert "Forum à venir" in upcoming and "Forum à venir" not in history
    assert "Symposium" not in upcoming and "symposium" in history


def test_home_offers_regions_sectors_and_a_map_preview(client, montreal_enterprises):
    html = html_of(client, "/en/")
    assert html.count('<a class="chip" href="/en/enterprises/?region=') == 17
    assert (
        '<a class="chip" href="/en/enterprises/?region=06">Montréal <span class="chip-count">3</span></a>'
        in html
    )
    assert '<a class="map-preview" href="/en/map/">' in html
    # The three enterprises share one quarter-degree cell: one dot.
    preview = html[
        html.index('<a class="map-preview"') : html.index(
            "</a>", html.index('<a class="map-preview"')
        )
    ]
    assert preview.count("<circle ") == 1
    assert "See the 4 published enterprises on the map" in html


def test_events_page_has_an_agenda_only_when_something_is_coming(client, reference_data):
    html = html_of(client, "/en/events/")
    assert 'id="agenda-title"' not in html and '<h2 id="history-title">History</h2>' in html
    EventFactory(name_fr="Forum à venir", slug="forum-a-venir", year=timezone.localdate().year + 1)
    html = html_of(client, "/en/events/")
    agenda = html[html.index('id="agenda-title"') : html.index('id="history-title"')]
    assert "Forum à venir" in agenda
    assert "Forum à venir" not in html[html.index('id="history-title"') :]


def test_milestones_look_different_from_events(client, reference_data):
    html = html_of(client, "/fr/evenements/")
    milestones = Event.objects.filter(kind="milestone").count()
    assert milestones == 10
    assert html.count('class="timeline-event timeline-event--milestone"') == milestones
    assert html.count('class="timeline-event"') == Event.objects.count() - milestones


def test_event_page_reads_dates_naturally_and_links_neighbours(client, reference_data):
    html = html_of(client, "/fr/evenements/fiess-2011/")
    assert "<dd>du 17 au 20 octobre 2011</dd>" in html
    # The timeline's neighbours: the last event of 2009 before it, Rio+20 (2012) after it.
    assert 'rel="prev">Rencontre de l’OIT' in html
    assert 'rel="next">Conférence des Nations Unies sur le développement durable (Rio+20)' in html
    assert "Organisations dont des représentants étaient présents" in html
    english = html_of(client, "/en/events/fiess-2011/")
    assert "<dd>October 17–20, 2011</dd>" in english
    rencontre = html_of(client, "/en/events/rencontre-internationale-quebec-2001/")
    assert "<dd>nearly 40</dd>" in rencontre


def test_poles_are_listed_and_titled_by_region_in_both_languages(client, reference_data):
    orders = {}
    for url in ("/fr/poles/", "/en/poles/"):
        html = html_of(client, url)
        orders[url] = re.findall(r'<h2 class="card-title"><a href="/\w\w/poles/([\w-]+)/">', html)
    assert orders["/fr/poles/"] == orders["/en/poles/"]
    assert len(orders["/fr/poles/"]) == 19
    html = html_of(client, "/fr/poles/")
    assert ">Estrie — Réseau des entreprises d’économie sociale de l’Estrie</a>" in html
    # Abitibi-Témiscamingue comes first, Saguenay–Lac-Saint-Jean last.
    assert orders["/fr/poles/"][0] == Pole.objects.get(regions__code="08").slug
    assert orders["/fr/poles/"][-1] == Pole.objects.get(regions__code="02").slug


def test_pole_page_counts_its_enterprises_by_main_sector(client, montreal_enterprises):
    pole = Pole.objects.filter(regions=montreal_enterprises).first()
    html = html_of(client, f"/fr/poles/{pole.slug}/")
    assert f'href="/fr/entreprises/?pole={pole.slug}&amp;sector=habitation-test">' in html
    assert 'Habitation test <span class="chip-count">3</span></a>' in html
