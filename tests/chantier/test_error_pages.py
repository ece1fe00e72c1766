"""Bad addresses of the public pages: the bilingual 404 page, never a 500."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

DETAIL_ROUTES = [
    ("/fr/entreprises/{}/", "/en/enterprises/{}/"),
    ("/fr/poles/{}/", "/en/poles/{}/"),
    ("/fr/secteurs/{}/", "/en/sectors/{}/"),
    ("/fr/evenements/{}/", "/en/events/{}/"),
]


@pytest.mark.parametrize(("french", "english"), DETAIL_ROUTES)
@pytest.mark.parametrize("key", ["%00", "a%00b", "%20AND%20x"])
def test_detail_route_with_a_refused_character_is_the_404_page(french, english, key):
    client = Client(raise_request_exception=False)
    for url, title in ((french, "Page introuvable"), (english, "Page not found")):
        response = client.get(url.format(key))
        assert response.status_code == 404
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert f"<h1>{title}</h1>" in response.content.decode()
