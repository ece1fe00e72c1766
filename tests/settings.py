"""Settings for the test suite: the project's settings with a few values overridden."""

import os

# Set before the project settings read them. Tests run with DEBUG off, like production.
os.environ.setdefault("SECRET_KEY", "insecure-key-for-the-test-suite-only")
os.environ.setdefault("DEBUG", "0")
# A failed job is retried a second later, so that a test sees the retry.
os.environ.setdefault("TASK_RETRY_BACKOFF_SECONDS", "1")

from chantier.settings import *  # noqa: E402, F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The test client speaks plain HTTP; production redirects it to HTTPS.
SECURE_SSL_REDIRECT = False
# Responses are cached only in the tests about the cache, which turn it on.
PUBLIC_CACHE_SECONDS = 0
# Tests that turn the cache on clear it between them; copies kept in this process's
# memory would outlive that (tests/chantier/test_public_cache_local.py turns them on).
PUBLIC_CACHE_LOCAL_BYTES = 0
# The search vocabulary is kept for a time whatever changes, and the cache outlives a
# transactional test: made for each suggestion, except in the tests about keeping it.
SEARCH_VOCABULARY_SECONDS = 0
# A second alias on the test database, as a deployment with DATABASE_REPLICA_URL has;
# tests/chantier/test_replica.py points it at a real streaming replica.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
# The webhook tests receive deliveries on loopback; production refuses local addresses.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
