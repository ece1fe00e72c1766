import pytest
from django.utils import translation

from tests.factories import EnterpriseFactory, KeyFigureFactory
from tests.helpers import json_of, query_count

pytestmark = pytest.mark.django_db


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_root_redirects_to_browser_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-CA,en;q=0.9")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")["Location"] == "/fr/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE")["Location"] == "/fr/"


def test_home_in_french_shows_figures_with_sources(client, reference_data):
    html = page(client, "/fr/")
    assert '<html lang="fr">' in html
    assert "<title>Portail de l’économie sociale du Québec</title>" in html
    assert "Chiffres clés" in html
    assert "11\xa0360" in html  # French thousands separator
    assert "53,6\xa0milliards\xa0$" in html
    assert "plus de 248\xa0000" in html
    assert "Données de 2022. Source\xa0: Institut de la statistique du Québec" in html
    assert "Aller au contenu principal" in html


def test_home_in_english_shows_figures_with_sources(client, reference_data):
    html = page(client, "/en/")
    assert '<html lang="en">' in html
    assert "Key figures" in html
    assert "11,360" in html
    assert "$53.6 billion" in html
    assert "more than 248,000" in html
    assert "2022 data. Source: Institut de la statistique du Québec" in html


def test_home_live_counts_apart_from_published_figures(client, reference_data):
    EnterpriseFactory(status="published")
    EnterpriseFactory(status="draft")
    EnterpriseFactory(status="archived")
    html = page(client, "/en/")
    # The reference Caisse d'économie solidaire and the one published above.
    assert "<dt>Published enterprises</dt><dd>2</dd>" in html
    assert "<dt>Regional poles</dt><dd>19</dd>" in html
    assert "They are not the published figures above" in html


def test_home_says_how_many_enterprises_are_fictitious(client, reference_data):
    EnterpriseFactory.create_batch(3, is_demo=True)
    assert "3 are fictitious demonstration records" in page(client, "/en/")
    assert "3 sont des fiches fictives de démonstration" in page(client, "/fr/")


def test_home_demo_count_formatted_for_the_language(client, reference_data):
    EnterpriseFactory.create_batch(2, is_demo=True)
    from entreprises.models import Enterprise

    # 1,234 published demo records, counted without creating them one by one.
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                name_fr=f"Démo {n}",
                slug=f"demo-{n}",
                legal_form="nonprofit",
                is_demo=True,
                status="published",
            )
            for n in range(1232)
        ]
    )
    assert "1,234 are fictitious demonstration records" in page(client, "/en/")
    assert "1\xa0234 sont des fiches fictives" in page(client, "/fr/")


def test_home_without_demo_has_no_demo_notice(client, reference_data):
    assert "fictitious" not in page(client, "/en/")


def test_home_links_its_other_language_twin(client):
    html = page(client, "/fr/")
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/">' in html
    assert '<a href="http://testserver/en/" hreflang="en" lang="en">English</a>' in html
    assert '<a href="http://testserver/fr/" hreflang="fr" lang="fr">Français</a>' in page(
        client, "/en/"
    )


def test_home_landmarks_and_skip_link(client):
    html = page(client, "/en/")
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    for landmark in (
        "<header",
        '<main id="main"',
        "<footer",
        '<nav class="site-nav" id="site-menu" aria-label="Main">',
    ):
        assert landmark in html


@pytest.mark.parametrize("figures", [1, 12])
def test_home_query_count_does_not_grow_with_figures(client, figures):
    KeyFigureFactory.create_batch(figures, featured=True)
    EnterpriseFactory.create_batch(figures)
    first = query_count(client, "/fr/")
    # The published figures (counts, regions, map preview) are one scan per data
    # generation, the records listed beside them five small queries; the next visitors
    # read each from the cache in one round trip.
    assert query_count(client, "/fr/") == 2
    # The first one makes them. The figures: their read, the generation read and
    # started (five statements), the scan and four counts of small tables, the write
    # (five). The lists: their read, five queries, the write.
    assert first == (1 + 1 + 5 + 5 + 5) + (1 + 5 + 5)


def test_healthz_reports_database_up(client):
    response = client.get("/healthz")
    assert json_of(response) == {"status": "ok", "database": True}


def test_english_page_has_no_french_interface_text(client, reference_data):
    with translation.override("en"):
        html = page(client, "/en/")
    for french in ("Chiffres clés", "Aller au contenu", "Données de"):
        assert french not in html
