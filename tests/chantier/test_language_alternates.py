"""The current page in every language (chantier.context_processors.language_alternates) is
worked out only by pages that show it: the public pages' switch and hreflang links, never
the admin's pages."""

from django.urls import reverse
from django.utils.functional import empty


def test_the_admin_change_list_does_not_work_out_the_alternates(personas):
    response = personas.client_for(personas.staff_a).get(
        reverse("admin:entreprises_enterprise_changelist")
    )
    assert response.status_code == 200
    assert response.context["language_alternates"]._wrapped is empty
    assert "hreflang" not in response.content.decode()


def test_a_public_page_shows_the_alternates(client, db):
    response = client.get("/fr/entreprises/")
    alternates = response.context["language_alternates"]
    assert [(a["code"], a["url"]) for a in alternates] == [
        ("fr", "http://testserver/fr/entreprises/"),
        ("en", "http://testserver/en/enterprises/"),
    ]
    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/en/enterprises/">'
        in response.content.decode()
    )
