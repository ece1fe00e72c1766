"""Settings of the portal: one file, every knob an environment variable.

Defaults are safe for production (DEBUG off, no secret key); `make run` and the
tests turn DEBUG on. See `.env.example` for every variable.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from chantier.db import database_config

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / ".data"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def development_secret_key() -> str:
    """A key generated once per checkout, kept in the git-ignored data folder."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = development_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "django.contrib.admin",
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
    "chantier",
    "poles",
    "entreprises",
    "evenements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "chantier.urls"
WSGI_APPLICATION = "chantier.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chantier.context_processors.language_alternates",
            ],
        },
    },
]

DATABASES = {
    "default": database_config(
        url=env_str("DATABASE_URL"),
        data_dir=DATA_DIR / "postgres",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first: the default language, and the fallback of every translated field.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Montreal"

MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The map's tile server: any XYZ tile URL; its host must be allowed by the CSP.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # The embedded server's library narrates every start and exit at INFO.
    "loggers": {"pgserver": {"level": "WARNING"}},
}

# -- Scaling: shared state, read replica, public page cache, benchmark ---------------------
# The app keeps no state of its own, so any number of web containers can serve it:
# sessions and cache live in PostgreSQL (or Redis with REDIS_URL), media in object
# storage when MEDIA_STORAGE_BACKEND=s3.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Created by migration chantier 0003_cache_table.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portail_cache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20000)},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_STORAGE_BACKEND = env_str("MEDIA_STORAGE_BACKEND", "filesystem")
if MEDIA_STORAGE_BACKEND == "s3":
    # Any S3-compatible object storage (AWS, MinIO, Ceph, OVH, ...), through django-storages.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("MEDIA_BUCKET"),
            "endpoint_url": env_str("MEDIA_ENDPOINT_URL") or None,
            "region_name": env_str("MEDIA_REGION") or None,
            "access_key": env_str("MEDIA_ACCESS_KEY_ID") or None,
            "secret_key": env_str("MEDIA_SECRET_ACCESS_KEY") or None,
            "custom_domain": env_str("MEDIA_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            "querystring_auth": False,
        },
    }
    if not STORAGES["default"]["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("MEDIA_BUCKET must be set when MEDIA_STORAGE_BACKEND is s3.")
elif MEDIA_STORAGE_BACKEND != "filesystem":
    raise ImproperlyConfigured(
        f"MEDIA_STORAGE_BACKEND must be filesystem or s3, not {MEDIA_STORAGE_BACKEND!r}."
    )

# Reads of anonymous GET requests go to the replica, everything else to the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **database_config(
            url=DATABASE_REPLICA_URL, data_dir=DATA_DIR, conn_max_age=env_int("CONN_MAX_AGE", 60)
        ),
        # The test suite reads the replica through the primary's test database.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["chantier.routers.ReplicaRouter"]

# Seconds an anonymous public response (page or API) is kept in the cache; 0 turns it off.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)
# Larger responses (streamed exports) are served but not cached.
PUBLIC_CACHE_MAX_BYTES = env_int("PUBLIC_CACHE_MAX_BYTES", 2_000_000)
# Never cached, whoever asks: the health check, the admin, the benchmark floor.
PUBLIC_CACHE_SKIP_PATHS = ["/healthz", "/admin/", "/bench/floor/"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
    "chantier.public_cache.PublicCacheMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "chantier.routers.ReplicaRoutingMiddleware",
)

# The map gets every enterprise up to this many, clusters past it.
MAP_POINT_LIMIT = env_int("MAP_POINT_LIMIT", 2000)

# The benchmark's floor: a minimal view at /bench/floor/ returning BENCH_FLOOR_BYTES of HTML.
# Off in every real deployment; `make bench` turns it on for its own server only.
BENCH_FLOOR = env_bool("BENCH_FLOOR", False)
BENCH_FLOOR_BYTES = env_int("BENCH_FLOOR_BYTES", 20000)
