"""Security headers on pages, JSON and errors; `check --deploy` clean with production settings."""

import os
import secrets
import subprocess
import sys

import django
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from chantier.settings import _tile_source
from tests.factories import EnterpriseFactory
from tests.helpers import captured_queries, json_of
from tests.ops.policies import PERMISSIONS, STRICT_POLICY, directives
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def assert_security_headers(response):
    assert directives(response["Content-Security-Policy"]) == STRICT_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Permissions-Policy"] == PERMISSIONS
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.parametrize("url", ["/fr/", "/en/"])
def test_page_security_headers_in_both_languages(client, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200
    assert_security_headers(response)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_json_response_security_headers(client):
    response = client.get("/healthz", secure=True)
    assert response["Content-Type"] == "application/json"
    assert json_of(response) == {"status": "ok", "database": True}
    assert_security_headers(response)


@pytest.mark.parametrize(
    ("url", "text"),
    [("/fr/nulle-part/", "Page introuvable"), ("/en/nowhere/", "Page not found")],
)
def test_not_found_page_security_headers(client, url, text):
    response = client.get(url, secure=True)
    assert response.status_code == 404
    assert text in response.content.decode()
    assert_security_headers(response)


@pytest.mark.urls("tests.ops.error_urls")
def test_server_error_leaks_nothing_and_keeps_headers():
    client = Client(raise_request_exception=False)
    response = client.get("/broken", secure=True)
    body = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Une erreur est survenue</h1>" in body
    assert "<h2>Something went wrong</h2>" in body
    for leak in ["secret detail", "RuntimeError", "Traceback", "broken_view", django.__version__]:
        assert leak not in body
    assert_security_headers(response)


@pytest.mark.urls("tests.ops.error_urls")
def test_database_error_is_a_bilingual_503_rendered_without_queries():
    client = Client(raise_request_exception=False)
    with captured_queries() as queries:
        response = client.get("/database-gone", secure=True)
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "<h1>Service momentanément indisponible</h1>" in body
    assert "<h2>Service temporarily unavailable</h2>" in body
    assert "socket" not in body
    assert "OperationalError" not in body
    assert len(queries) == 0
    assert_security_headers(response)


@pytest.mark.urls("tests.ops.error_urls")
@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("en", "The database is unavailable; please try again in a moment."),
        ("fr", "La base de données est indisponible; réessayez dans un moment."),
    ],
)
def test_database_error_on_the_api_is_a_json_503_in_the_callers_language(language, detail):
    client = Client(raise_request_exception=False)
    response = client.get("/api/database-gone", HTTP_ACCEPT_LANGUAGE=language)
    assert response["Content-Type"] == "application/json"
    assert json_of(response, status=503) == {"detail": detail}


def test_plain_http_is_redirected_to_https_but_not_the_health_check(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    page = client.get("/fr/")
    assert page.status_code == 301
    assert page["Location"] == "https://testserver/fr/"
    health = client.get("/healthz")
    assert health.status_code == 200


def test_forms_refuse_a_post_without_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


def test_cookies_are_secure_httponly_and_samesite():
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.CSRF_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def production_environment(**extra):
    keep = {"PATH", "HOME", "LANG", "XDG_RUNTIME_DIR"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portail.example",
        # Never reached: `check --deploy` reads settings only.
        DATABASE_URL="postgres://portail:secret@db.invalid:5432/portail",
    )
    env.update(extra)
    return env


def test_check_deploy_reports_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_catches_a_weakened_setting():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=production_environment(SECURE_HSTS_SECONDS="0"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr


@pytest.mark.parametrize(
    ("tile_url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tiles.example.org/{z}/{x}/{y}.png", "https://*.tiles.example.org"),
    ],
)
def test_map_tile_server_is_the_only_other_image_source(tile_url, source):
    assert _tile_source(tile_url) == source


def test_the_policy_follows_its_setting(client, settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'"]}
    }
    response = client.get("/fr/", secure=True)
    assert directives(response["Content-Security-Policy"]) == {**STRICT_POLICY, "img-src": "'self'"}


def test_map_tile_url_must_be_absolute():
    with pytest.raises(ImproperlyConfigured, match="MAP_TILE_URL must be an absolute URL"):
        _tile_source("tiles/{z}/{x}/{y}.png")


def test_api_docs_get_their_own_policy_with_scripts_still_self_only(client):
    response = client.get("/api/docs/", secure=True)
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    assert response["Permissions-Policy"] == PERMISSIONS
    api_root = client.get("/api/", secure=True)
    assert directives(api_root["Content-Security-Policy"]) == STRICT_POLICY


def test_admin_history_page_has_no_inline_style_and_keeps_its_look(admin_user):
    admin_client = signed_in(admin_user)
    enterprise = EnterpriseFactory()
    enterprise.city = "Québec"
    enterprise.save()
    response = admin_client.get(f"/admin/entreprises/enterprise/{enterprise.pk}/history/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('<a href="/admin/entreprises/enterprise/') >= 2
    assert "style=" not in body
    assert "<style" not in body
    # What the inline style did (no line above the paginator) now comes from a stylesheet.
    assert '<link rel="stylesheet" href="/static/css/admin-history.css">' in body
    assert '<p class="paginator">' in body
