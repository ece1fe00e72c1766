"""gunicorn's settings for the portal, every one from the environment (see .env.example).

Read by `gunicorn -c gunicorn.conf.py chantier.wsgi`, before Django starts: it
must not import the project's settings (they would start the embedded database).
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, not {value!r}.") from None


bind = f"{os.environ.get('GUNICORN_BIND_HOST', '0.0.0.0')}:{_int('PORT', 8000)}"  # noqa: S104
workers = _int("GUNICORN_WORKERS", 3)
threads = _int("GUNICORN_THREADS", 1)
# A worker silent for this long is killed and replaced: kept above DATABASE_STATEMENT_TIMEOUT
# so that a slow query ends as an error page, not as a killed worker.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# No limit on the request line: a search pasted with thousands of characters gets the
# portal's own answer (a form error), not gunicorn's bare 414. Headers stay limited.
limit_request_line = 0
# Recycling workers now and then bounds the memory any slow leak can take.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None
# Each request is logged by the portal itself, as JSON with its request id.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "chantier.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
    },
}
