"""Settings come from the environment; production refuses unsafe values."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def import_settings(tmp_path, **env):
    """Import the project settings in a fresh interpreter with exactly this environment."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DATA_DIR"}
    }
    code = (
        "import chantier.settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['HOST'], s.LANGUAGE_CODE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**clean, "DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = import_settings(
        tmp_path, DEBUG="0", DATABASE_URL="postgres://u:p@db.invalid:5432/portail"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_database_url_used_and_no_embedded_server_started(tmp_path):
    result = import_settings(
        tmp_path,
        DEBUG="0",
        SECRET_KEY="k" * 50,
        DATABASE_URL="postgres://u:p@db.invalid:5432/portail",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "db.invalid", "fr"]
    assert not (tmp_path / "postgres").exists()


def test_development_generates_a_secret_key_kept_out_of_git(tmp_path):
    result = import_settings(
        tmp_path, DEBUG="1", DATABASE_URL="postgres://u:p@db.invalid:5432/portail"
    )
    assert result.returncode == 0, result.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    ignored = subprocess.run(["git", "check-ignore", "-q", ".data/secret_key"], cwd=BASE_DIR)
    assert ignored.returncode == 0


def test_bad_boolean_is_refused(tmp_path):
    result = import_settings(
        tmp_path, DEBUG="maybe", DATABASE_URL="postgres://u:p@db.invalid:5432/portail"
    )
    assert "DEBUG must be a boolean (1/0, true/false), not 'maybe'." in result.stderr


def test_tests_run_on_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_french_is_the_default_language():
    assert settings.LANGUAGE_CODE == "fr"
    assert [code for code, _ in settings.LANGUAGES] == ["fr", "en"]
