"""Open reading limited per IP, partner keys with their own limit, CORS for reads only."""

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.settings import api_settings

from chantier.apikeys import digest
from chantier.models import ApiKey
from chantier.services import create_api_key, revoke_api_keys
from tests.helpers import get_json, json_of

pytestmark = pytest.mark.django_db

LIST = "/api/v1/regions/"


def rates(anonymous: str, key: str):
    config = {**api_settings.user_settings}
    config["DEFAULT_THROTTLE_RATES"] = {"anonymous": anonymous, "key": key}
    return override_settings(REST_FRAMEWORK=config)


def test_keys_are_stored_as_digests_only(db):
    api_key, key = create_api_key(name="Université du Québec")
    assert key.startswith("pes_") and len(key) > 40
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert stored.hashed_key == digest(key) != key
    assert stored.prefix == key[:12]
    assert key not in str(ApiKey.objects.values_list().get(pk=api_key.pk))


def test_anonymous_reading_is_limited_per_ip_with_retry_after(db):
    client = Client()
    with rates("3/minute", "10/minute"):
        for _ in range(3):
            get_json(client, LIST, REMOTE_ADDR="203.0.113.1")
        response = client.get(LIST, REMOTE_ADDR="203.0.113.1", HTTP_ACCEPT_LANGUAGE="en")
        assert json_of(response, status=429)["detail"].startswith("Request was throttled.")
        assert 0 < int(response["Retry-After"]) <= 60
        # Another address has its own allowance.
        get_json(client, LIST, REMOTE_ADDR="203.0.113.2")


def test_forwarded_for_is_ignored_unless_a_proxy_is_configured(db):
    client = Client()
    with rates("1/minute", "10/minute"):
        get_json(client, LIST, REMOTE_ADDR="203.0.113.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
        # A forged header does not buy a new allowance.
        response = client.get(LIST, REMOTE_ADDR="203.0.113.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
        assert response.status_code == 429


def test_partner_key_has_its_own_higher_limit(partner, partner_key):
    with rates("1/minute", "3/minute"):
        for _ in range(3):
            get_json(partner, LIST)
        assert partner.get(LIST).status_code == 429
        # Anonymous reading from the same machine still has its own allowance.
        get_json(Client(), LIST)
    assert ApiKey.objects.get(hashed_key=digest(partner_key)).last_used_at is not None


def test_unknown_or_revoked_key_is_a_401(db, partner_key):
    data = get_json(Client(HTTP_X_API_KEY="pes_wrong"), LIST, status=401, HTTP_ACCEPT_LANGUAGE="en")
    assert data == {"detail": "Unknown API key."}
    revoke_api_keys(keys=ApiKey.objects.all())
    data = get_json(Client(HTTP_X_API_KEY=partner_key), LIST, status=401, HTTP_ACCEPT_LANGUAGE="fr")
    assert data == {"detail": "Cette clé d’API a été révoquée."}
    assert ApiKey.objects.get().revoked_at <= timezone.now()


def test_cors_allows_reading_from_any_origin(anonymous, db):
    response = anonymous.get(LIST, HTTP_ORIGIN="https://carte.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = anonymous.options(
        LIST,
        HTTP_ORIGIN="https://carte.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-api-key",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "x-api-key" in preflight["Access-Control-Allow-Headers"]


def test_cors_is_only_for_the_api_and_never_for_writes(anonymous, db):
    site = anonymous.get("/fr/", HTTP_ORIGIN="https://carte.example.org")
    assert "Access-Control-Allow-Origin" not in site
    preflight = anonymous.options(
        LIST, HTTP_ORIGIN="https://x.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_writes_are_refused(anonymous, partner, directory):
    for client in (anonymous, partner):
        response = client.post(
            "/api/v1/enterprises/", {"name": "x"}, content_type="application/json"
        )
        assert json_of(response, status=405)["detail"]
        assert client.delete("/api/v1/enterprises/envol/").status_code == 405


def test_national_team_creates_a_key_shown_once_and_revokes_it(personas):
    client = personas.client_for(personas.national)
    response = client.post(
        "/admin/chantier/apikey/add/",
        {"name": "Ministère de l'Économie", "note": "open data"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    key = next(word for message in shown for word in message.split() if word.startswith("pes_"))
    api_key = ApiKey.objects.get()
    assert api_key.hashed_key == digest(key)
    assert api_key.name == "Ministère de l'Économie"
    get_json(Client(HTTP_X_API_KEY=key), LIST)
    # The change page shows the prefix, never the key.
    page = client.get(f"/admin/chantier/apikey/{api_key.pk}/change/").content.decode()
    assert api_key.prefix in page and key not in page
    client.post(
        "/admin/chantier/apikey/",
        {"action": "revoke", "_selected_action": [api_key.pk]},
        follow=True,
    )
    assert ApiKey.objects.get().revoked_at is not None
    get_json(Client(HTTP_X_API_KEY=key), LIST, status=401)


@pytest.mark.parametrize("value", ["fast", "0/minute", "10/week", "10 per minute"])
def test_bad_rate_setting_stops_the_portal_with_a_clear_message(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from chantier import settings

    monkeypatch.setenv("API_RATE_KEY", value)
    with pytest.raises(ImproperlyConfigured, match="API_RATE_KEY must look like 120/minute"):
        settings.env_rate("API_RATE_KEY", "1200/minute")


def test_rate_setting_defaults_when_empty(monkeypatch):
    from chantier import settings

    monkeypatch.setenv("API_RATE_ANONYMOUS", "")
    assert settings.env_rate("API_RATE_ANONYMOUS", "120/minute") == "120/minute"
    monkeypatch.setenv("API_RATE_ANONYMOUS", "30/second")
    assert settings.env_rate("API_RATE_ANONYMOUS", "120/minute") == "30/second"
