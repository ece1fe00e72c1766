"""Shared state chosen from the environment: cache, sessions, media, replica; the floor view."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import clear_url_caches

from chantier import urls
from tests.helpers import captured_queries

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 50,
    "DATABASE_URL": "postgres://u:p@db.invalid:5432/portail",
}
SCALING_VARIABLES = {
    "REDIS_URL",
    "MEDIA_STORAGE_BACKEND",
    "MEDIA_BUCKET",
    "DATABASE_REPLICA_URL",
    "BENCH_FLOOR",
    "PUBLIC_CACHE_SECONDS",
}


def settings_with(tmp_path, **env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DATA_DIR", *SCALING_VARIABLES}
    }
    code = (
        "import json, chantier.settings as s; print(json.dumps({"
        "'cache': s.CACHES['default']['BACKEND'], 'location': s.CACHES['default']['LOCATION'],"
        "'session': s.SESSION_ENGINE, 'media': s.STORAGES['default'],"
        "'databases': {k: v['HOST'] for k, v in s.DATABASES.items()},"
        "'routers': getattr(s, 'DATABASE_ROUTERS', []), 'floor': s.BENCH_FLOOR,"
        "'public_cache': s.PUBLIC_CACHE_SECONDS, 'middleware': s.MIDDLEWARE,"
        "'apps': s.INSTALLED_APPS}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**clean, "DATA_DIR": str(tmp_path), **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


def loaded(result) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_keep_state_in_the_database(tmp_path):
    values = loaded(settings_with(tmp_path))
    assert values["cache"] == "common.database_cache.ExpiryCulledDatabaseCache"
    assert values["location"] == "portail_cache"
    assert values["session"] == "django.contrib.sessions.backends.db"
    assert values["media"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert values["databases"] == {"default": "db.invalid"}
    assert values["routers"] == []
    assert values["floor"] is False
    assert values["public_cache"] == 300


def test_redis_url_moves_cache_and_sessions_to_redis(tmp_path):
    values = loaded(settings_with(tmp_path, REDIS_URL="redis://cache.invalid:6379/0"))
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["location"] == "redis://cache.invalid:6379/0"
    assert values["session"] == "django.contrib.sessions.backends.cached_db"


def test_object_storage_for_media(tmp_path):
    values = loaded(
        settings_with(
            tmp_path,
            MEDIA_STORAGE_BACKEND="s3",
            MEDIA_BUCKET="portail-media",
            MEDIA_ENDPOINT_URL="https://objects.example.org",
        )
    )
    assert values["media"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert values["media"]["OPTIONS"]["bucket_name"] == "portail-media"
    assert values["media"]["OPTIONS"]["endpoint_url"] == "https://objects.example.org"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"MEDIA_STORAGE_BACKEND": "s3"},
            "MEDIA_BUCKET must be set when MEDIA_STORAGE_BACKEND is s3.",
        ),
        (
            {"MEDIA_STORAGE_BACKEND": "ftp"},
            "MEDIA_STORAGE_BACKEND must be filesystem or s3, not 'ftp'.",
        ),
        ({"PUBLIC_CACHE_SECONDS": "soon"}, "PUBLIC_CACHE_SECONDS must be an integer"),
        ({"BENCH_FLOOR": "maybe"}, "BENCH_FLOOR must be a boolean"),
    ],
)
def test_bad_scaling_values_refused_with_a_clear_message(tmp_path, env, message):
    result = settings_with(tmp_path, **env)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


MIDDLEWARE_WITHOUT_REPLICA = [
    "chantier.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "chantier.middleware.PermissionsPolicyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "common.public_cache.PublicCacheMiddleware",
    "chantier.middleware.SecretFreeCompressionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "chantier.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]
INSTALLED_APPS = [
    "modeltranslation",
    "chantier.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    "rest_framework",
    "csp",
    "common",
    "chantier",
    "poles",
    "entreprises",
    "evenements",
    "contributions",
    "procrastinate.contrib.django",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]


def test_middleware_and_apps_in_their_exact_order_without_replica(tmp_path):
    values = loaded(settings_with(tmp_path))
    assert values["middleware"] == MIDDLEWARE_WITHOUT_REPLICA
    assert values["apps"] == INSTALLED_APPS


def test_replica_routing_middleware_only_with_a_replica_just_before_sessions(tmp_path):
    values = loaded(
        settings_with(tmp_path, DATABASE_REPLICA_URL="postgres://u:p@replica.invalid:5432/portail")
    )
    sessions = MIDDLEWARE_WITHOUT_REPLICA.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    assert values["middleware"] == [
        *MIDDLEWARE_WITHOUT_REPLICA[:sessions],
        "chantier.routers.ReplicaRoutingMiddleware",
        *MIDDLEWARE_WITHOUT_REPLICA[sessions:],
    ]
    assert values["apps"] == INSTALLED_APPS


def test_replica_url_adds_the_replica_and_its_router(tmp_path):
    values = loaded(
        settings_with(tmp_path, DATABASE_REPLICA_URL="postgres://u:p@replica.invalid:5432/portail")
    )
    assert values["databases"] == {"default": "db.invalid", "replica": "replica.invalid"}
    assert values["routers"] == ["chantier.routers.ReplicaRouter"]


@pytest.mark.django_db
def test_floor_view_absent_by_default(client):
    response = client.get("/bench/floor/")
    assert response.status_code == 404
    assert b"<title>floor</title>" not in response.content


@pytest.fixture
def floor_on(settings):
    settings.BENCH_FLOOR = True
    settings.BENCH_FLOOR_BYTES = 5000
    importlib.reload(urls)
    clear_url_caches()
    yield
    settings.BENCH_FLOOR = False
    importlib.reload(urls)
    clear_url_caches()


@pytest.mark.django_db
def test_floor_view_serves_a_page_of_the_chosen_size_without_the_database(client, floor_on):
    with captured_queries() as queries:
        response = client.get("/bench/floor/")
    assert len(queries) == 0
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert len(response.content) == 5000
    assert response.content.startswith(b"<!doctype html><html lang=en><title>floor</title><p>xx")


@pytest.mark.django_db
def test_floor_view_size_from_the_query_within_limits(client, floor_on):
    assert len(client.get("/bench/floor/?bytes=12345").content) == 12345
    assert len(client.get("/bench/floor/?bytes=2900000").content) == 2_900_000
    assert len(client.get("/bench/floor/?bytes=99999999").content) == 4_000_000
    assert len(client.get("/bench/floor/?bytes=-3").content) == 5000
