"""Staff who may change a draft see it on its public page, marked as a draft, never cached
nor indexed; everyone else still gets a 404."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

BANNERS = {"fr": "Brouillon — non publié", "en": "Draft — not published"}


def draft_url(enterprise, language):
    with translation.override(language):
        return reverse("entreprises:detail", kwargs={"slug": enterprise.slug})


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_of_the_draft_see_it_marked_and_never_cached(personas, world, language):
    for user in [personas.staff_a, personas.national]:
        response = personas.client_for(user).get(draft_url(world.enterprise_a, language))
        page = response.content.decode()
        assert response.status_code == 200, user.username
        assert BANNERS[language] in page
        assert '<meta name="robots" content="noindex">' in page
        assert "application/ld+json" not in page
        assert response["X-Robots-Tag"] == "noindex"
        assert set(response["Cache-Control"].split(", ")) >= {"private", "no-store"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_everyone_else_gets_a_404_for_a_draft(personas, world, anonymous, language):
    url = draft_url(world.enterprise_a, language)
    for client in [
        anonymous,
        personas.client_for(personas.staff_b),
        personas.client_for(personas.staff_without_pole),
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert BANNERS[language] not in response.content.decode()


def test_a_published_page_has_no_banner_and_stays_public(personas, world):
    response = personas.client_for(personas.staff_b).get(draft_url(world.enterprise_b, "fr"))
    assert response.status_code == 200
    assert BANNERS["fr"] not in response.content.decode()
    assert "X-Robots-Tag" not in response


def test_view_on_site_from_the_admin_reaches_the_preview(personas, world):
    client = personas.client_for(personas.staff_a)
    change = client.get(
        reverse("admin:entreprises_enterprise_change", args=[world.enterprise_a.pk])
    )
    (view_on_site,) = re.findall(r'href="([^"]+)" class="viewsitelink"', change.content.decode())
    response = client.get(view_on_site, follow=True, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert BANNERS["fr"] in response.content.decode()
