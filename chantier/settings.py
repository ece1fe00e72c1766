"""Settings of the portal: one file, every knob an environment variable.

Defaults are safe for production (DEBUG off, no secret key); `make run` and the
tests turn DEBUG on. See `.env.example` for every variable. Over 350 lines on
purpose: one settings file is the rule (STYLE.md), and it grows with the knobs.
"""

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
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

# Read here because MIDDLEWARE depends on it; the replica itself is set up under Scaling.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
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
    # Only for its system checks: the middleware writes the policy.
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
    # Staff's second factor: codes from an authentication app, and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # First, so that the request id covers everything the request does.
    "chantier.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "chantier.middleware.PermissionsPolicyMiddleware",
    # CORS early, so that every API answer (errors and preflights too) carries its headers.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions are read: anonymous safe requests may read the replica.
    *(["chantier.routers.ReplicaRoutingMiddleware"] if DATABASE_REPLICA_URL else []),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known (it is part of the cache key).
    "common.public_cache.PublicCacheMiddleware",
    # Below the public cache, which keeps answers as sent, compressed (a hit compresses
    # nothing), and below WhiteNoise (which serves its own compressed files); never on
    # answers that hold a secret (BREACH).
    "chantier.middleware.SecretFreeCompressionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor verified the session; then what a session still owes one may reach.
    "django_otp.middleware.OTPMiddleware",
    "chantier.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change kept in the history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as its documentation asks: it turns a locked-out login into its response.
    "axes.middleware.AxesMiddleware",
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
                "chantier.context_processors.site_footer",
                "chantier.context_processors.feed_links",
            ],
        },
    },
]

DATABASES = {
    "default": database_config(
        url=env_str("DATABASE_URL"),
        data_dir=DATA_DIR / "postgres",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 5),
        statement_timeout=env_int("DATABASE_STATEMENT_TIMEOUT", 15000),
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
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
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
# The licence under which the directory's data may be reused, linked from every page's footer.
DATA_LICENCE_NAME = env_str("DATA_LICENCE_NAME", "CC BY 4.0")
DATA_LICENCE_URL = env_str(
    "DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/deed.fr"
)

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"


# --- Operations: HTTPS, security headers, logs, backups ---------------------------------------
# Production defaults pass `manage.py check --deploy`; see docs/operations.md.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers and the container's health check ask for /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Only behind a proxy that sets X-Forwarded-Proto itself (and strips the client's).
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"


def _tile_source(url: str) -> str:
    """The CSP source of the map's tile server: `{s}.tile.example` becomes `*.tile.example`."""
    scheme, separator, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    host = re.sub(r"\{[a-z]+\}", "*", host)
    if not separator or not scheme or not host:
        raise ImproperlyConfigured(f"MAP_TILE_URL must be an absolute URL, not {url!r}.")
    return f"{scheme}://{host}"


# No inline script or style anywhere: every script and stylesheet is a static file.
# Written by django-csp's middleware; a view that needs another policy says so with
# its decorators (`/api/docs/`: chantier/api.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", _tile_source(MAP_TILE_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The header django-csp does not write (chantier.middleware.PermissionsPolicyMiddleware).
# Geolocation only for the portal's own pages: the directory's "use my position" button.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=(self)" if feature == "geolocation" else f"{feature}=()"
    for feature in [
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
)

# One JSON object per line on standard error, each with the request's id
# (LOG_FORMAT=text for plain lines when reading them by eye in development).
LOG_FORMAT = env_str("LOG_FORMAT", "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
# ---------------------------------------------------------------- partner API
# Reading is open and limited per client IP; partner keys (X-API-Key header,
# managed in the admin) get their own, higher limit. Rates: "N/second|minute|hour|day".


def env_rate(name: str, default: str) -> str:
    value = env_str(name) or default
    if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", value):
        raise ImproperlyConfigured(f"{name} must look like 120/minute (second, minute, hour, day).")
    return value


API_RATE_ANONYMOUS = env_rate("API_RATE_ANONYMOUS", "120/minute")
API_RATE_KEY = env_rate("API_RATE_KEY", "1200/minute")
# Proxies in front of the portal that append to X-Forwarded-For (0: use the peer address).
# The API rate limit, the public forms' limits and the sign-in lock-out all read the
# visitor's address through common.client_address with it.
API_NUM_PROXIES = env_int("API_NUM_PROXIES", 0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "chantier.api_access.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [
        "chantier.api_access.AnonymousRateThrottle",
        "chantier.api_access.ApiKeyRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anonymous": API_RATE_ANONYMOUS, "key": API_RATE_KEY},
    "NUM_PROXIES": API_NUM_PROXIES,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "common.api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "common.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Where partners reach the API (the schema's `servers`; "/" is the portal the schema came from).
API_SERVER_URL = env_str("API_SERVER_URL", "/")
# Whom partners write to about the API (the schema's `contact`).
API_CONTACT_EMAIL = env_str("API_CONTACT_EMAIL")
SPECTACULAR_SETTINGS = {
    # English: a generated client takes its package name from the title.
    "TITLE": "Quebec Social Economy Portal API",
    "DESCRIPTION": (
        "Read-only API of the Québec social economy directory (Portail de l'économie "
        "sociale du Québec): enterprises, regional poles, regions, sectors, events and "
        "organizations. See docs/api.md for a guide."
    ),
    "VERSION": "1.0.0",
    "CONTACT": {
        "name": "Chantier de l'économie sociale",
        **({"email": API_CONTACT_EMAIL} if API_CONTACT_EMAIL else {}),
    },
    "LICENSE": {
        "name": "Creative Commons Attribution 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    },
    "SERVERS": [{"url": API_SERVER_URL, "description": "This portal"}],
    "TAGS": [
        {"name": "enterprises", "description": "The directory of collective enterprises."},
        {"name": "poles", "description": "The regional poles of social economy."},
        {"name": "regions", "description": "Québec's 17 administrative regions."},
        {"name": "sectors", "description": "Sectors of activity."},
        {"name": "events", "description": "International events, missions, milestones."},
        {"name": "organizations", "description": "Partner and international organizations."},
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.api.schema.oas303_strict",
        "common.api.schema.declare_http_semantics",
        "common.api.schema.refuse_null_characters",
        "chantier.api_schema.reference_enums",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# The data is public: any origin may read the API, and nothing else.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = [
    "accept",
    "accept-language",
    "if-none-match",
    "if-modified-since",
    "x-api-key",
]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Link",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "RateLimit-Policy",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "chantier.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "chantier.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers would print a second, unstructured copy.
        "django": {
            "handlers": ["console"],
            "level": env_str("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # The embedded server's library narrates every start and exit at INFO.
        "pgserver": {"level": "WARNING"},
    },
}

# Where `manage.py backup` (and `make backup`) writes its dumps.
BACKUP_DIR = Path(env_str("BACKUP_DIR") or BASE_DIR / "backups")
# A directory holding pg_dump and pg_restore; empty: the first on PATH recent
# enough for the server, else the embedded server's own.
PG_BIN_DIR = env_str("PG_BIN_DIR")
# --- Admin for pole staff: history, login protection, staff sessions, import ---
# Only staff sign in: after a sign-in whose `next` is refused (another site), the admin's index.
LOGIN_REDIRECT_URL = "admin:index"
AUTHENTICATION_BACKENDS = [
    "chantier.backends.LoginGuardBackend",
    # Reads permissions only, in one query instead of ModelBackend's two.
    "chantier.backends.PermissionsInOneQuery",
    # Django's ModelBackend, reading the signed-in user and their permissions in one query.
    "chantier.backends.SignedInUserInOneQuery",
]
# Lock-out after this many failed logins for one user name from one address.
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ADMIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures (passwords and second-factor codes alike) are forgotten only when a sign-in is
# complete (poles/two_factor.py): a right password alone must not reset the count.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "chantier.views.locked_out"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "common.client_address.client_address"
# The name authentication apps show beside the account (docs/operations.md, Two-factor sign-in).
OTP_TOTP_ISSUER = env_str("TWO_FACTOR_ISSUER", "Portail de l'économie sociale")
# Staff sessions (the public site keeps none) end after this many seconds, and with the browser.
SESSION_COOKIE_AGE = env_int("STAFF_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The admin's French/English tabs (modeltranslation reads this name): jQuery UI from our
# own static files, never a CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
# Largest spreadsheet the admin imports at once.
ENTERPRISE_IMPORT_MAX_ROWS = env_int("ENTERPRISE_IMPORT_MAX_ROWS", 20_000)
# The largest spreadsheet the import accepts, in bytes (an XLSX may unpack to ten times it).
ENTERPRISE_IMPORT_MAX_BYTES = env_int("ENTERPRISE_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# The largest logo or photo of an enterprise the admin accepts, in bytes.
ENTERPRISE_IMAGE_MAX_BYTES = env_int("ENTERPRISE_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
SIMPLE_HISTORY_REVERT_DISABLED = False
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
    # Created by migration chantier 0003_cache_table. Past MAX_ENTRIES, the entries that
    # expire soonest are culled first, never the public cache's generation.
    CACHES = {
        "default": {
            "BACKEND": "common.database_cache.ExpiryCulledDatabaseCache",
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
# After a change, the previous answer is served for at most this many seconds (counted
# from when it was made) while one request makes the fresh one; 0: never served stale.
PUBLIC_CACHE_STALE_SECONDS = env_int("PUBLIC_CACHE_STALE_SECONDS", 10)
# Bytes of cached answers each web process also keeps in its own memory, served without
# a round trip to the cache for a second after it last read the generation; 0: none.
PUBLIC_CACHE_LOCAL_BYTES = env_int("PUBLIC_CACHE_LOCAL_BYTES", 32_000_000)
# Seconds the search vocabulary ("did you mean") is used before one request makes it again,
# after its response: a word published or removed shows in suggestions at most this late
# (0: made for each request that needs it, a read of every search vector).
SEARCH_VOCABULARY_SECONDS = env_int("SEARCH_VOCABULARY_SECONDS", 300)
# Larger streamed responses (exports) are served but not cached; the size is the one kept:
# an answer sent uncompressed past it is kept compressed (common/public_cache_body.py).
PUBLIC_CACHE_MAX_BYTES = env_int("PUBLIC_CACHE_MAX_BYTES", 2_000_000)
# Never cached, whoever asks: the health check, the admin, the benchmark floor.
PUBLIC_CACHE_SKIP_PATHS = ["/healthz", "/admin/", "/bench/floor/"]
# Called with (request, response) on every cache hit: API answers count against the rate limit.
PUBLIC_CACHE_HIT_HOOK = "chantier.api_access.count_cached_answer"
# How long shared caches (a CDN, a reverse proxy) may keep a public API answer, then
# serve it while they fetch a fresh one.
API_CACHE_MAX_AGE = env_int("API_CACHE_MAX_AGE", 60)
API_STALE_WHILE_REVALIDATE = env_int("API_STALE_WHILE_REVALIDATE", 300)

# The map gets every enterprise up to this many, clusters past it.
MAP_POINT_LIMIT = env_int("MAP_POINT_LIMIT", 2000)

# The benchmark's floor: a minimal view at /bench/floor/ returning BENCH_FLOOR_BYTES of HTML.
# Off in every real deployment; `make bench` turns it on for its own server only.
BENCH_FLOOR = env_bool("BENCH_FLOOR", False)
BENCH_FLOOR_BYTES = env_int("BENCH_FLOOR_BYTES", 20000)

# -- Contributions: the public's reports and proposals, and their moderation ---------------
# How many a visitor may send, per address and per e-mail given (same format as the API's).
CONTRIBUTION_RATE_PER_ADDRESS = env_rate("CONTRIBUTION_RATE_PER_ADDRESS", "10/hour")
CONTRIBUTION_RATE_PER_EMAIL = env_rate("CONTRIBUTION_RATE_PER_EMAIL", "5/hour")
# A form sent sooner than this after it was shown is refused (robots fill forms at once),
# and one shown longer ago than the maximum must be sent again.
CONTRIBUTION_MIN_FILL_SECONDS = env_int("CONTRIBUTION_MIN_FILL_SECONDS", 3)
CONTRIBUTION_FORM_MAX_AGE_SECONDS = env_int("CONTRIBUTION_FORM_MAX_AGE_SECONDS", 86400)
# How long an owner's sign-in link stays valid (it is used once).
OWNER_LINK_HOURS = env_int("OWNER_LINK_HOURS", 24)

# -- Background work and e-mail ----------------------------------------------------------------
# Jobs wait in PostgreSQL (procrastinate); `manage.py procrastinate worker` runs them. A job
# that fails is retried up to TASK_RETRY_ATTEMPTS times, waiting TASK_RETRY_BACKOFF_SECONDS,
# then its square, its cube... (5: 5 s, 25 s, 125 s, 10 min, 52 min).
TASK_RETRY_ATTEMPTS = env_int("TASK_RETRY_ATTEMPTS", 5)
TASK_RETRY_BACKOFF_SECONDS = env_int("TASK_RETRY_BACKOFF_SECONDS", 5)
# Webhooks (docs/api.md): each delivery is retried as any job; after WEBHOOK_MAX_FAILURES
# failed attempts in a row the webhook is turned off and its partner (and
# WEBHOOK_ALERT_EMAIL, when set) told by e-mail. WEBHOOK_POLL_SECONDS: how often changes
# that sent no signal (bulk actions, imports) are looked for while a webhook is active.
# Partners' addresses on private or local networks are refused unless
# WEBHOOK_ALLOW_PRIVATE_ADDRESSES (the tests only).
WEBHOOK_MAX_FAILURES = env_int("WEBHOOK_MAX_FAILURES", 10)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_POLL_SECONDS = env_int("WEBHOOK_POLL_SECONDS", 60)
WEBHOOK_ALERT_EMAIL = env_str("WEBHOOK_ALERT_EMAIL")
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
# E-mail: printed on the console in development, sent by SMTP otherwise.
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = (
    env_str("DEFAULT_FROM_EMAIL") or "Portail de l’économie sociale <ne-pas-repondre@localhost>"
)
# The portal's address as people reach it, for the links in e-mails.
SITE_URL = (env_str("SITE_URL") or "http://localhost:8000").rstrip("/")
