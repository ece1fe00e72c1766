"""What keeps robots and floods out of the public forms: a signed start time (a form sent
faster than a person could fill it is refused), and limits per address and per e-mail
counted in the shared cache, so every web process counts together."""

import hashlib
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import connection, transaction

TOKEN_SALT = "contributions.form-started"  # noqa: S105 (a salt, not a secret)
PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def form_token(*, issued_at: float | None = None) -> str:
    """The signed moment a form was shown, sent back with it."""
    return signing.dumps(int(issued_at if issued_at is not None else time.time()), salt=TOKEN_SALT)


def token_problem(token: str) -> str | None:
    """None when the form was shown long enough ago, and not too long: else why not."""
    try:
        issued_at = signing.loads(
            token, salt=TOKEN_SALT, max_age=settings.CONTRIBUTION_FORM_MAX_AGE_SECONDS
        )
    except signing.SignatureExpired:
        return "expired"
    except (signing.BadSignature, ValueError, TypeError):
        return "invalid"
    if not isinstance(issued_at, int):
        return "invalid"
    age = time.time() - issued_at
    if age > settings.CONTRIBUTION_FORM_MAX_AGE_SECONDS:
        return "expired"
    if age < settings.CONTRIBUTION_MIN_FILL_SECONDS:
        return "too_fast"
    return None


def within_limit(*, scope: str, ident: str, rate: str) -> bool:
    """Counts one more request of `ident` in the current window; False past `rate`.

    A fixed window per rate ("10/hour"). The identity is kept only as a digest.
    """
    count, period = rate.split("/")
    seconds = PERIODS[period]
    window = int(time.time() // seconds)
    digest = hashlib.sha256(f"{scope}:{ident}".encode()).hexdigest()[:32]
    key = f"contributions:rate:{scope}:{digest}:{window}"
    # The database cache's increment is a read then a write: requests arriving together
    # would all read the same count. A transaction-scoped advisory lock on the key makes
    # them take turns (Redis's own increment is atomic; the lock then costs one query).
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(digest[:15], 16)])
        cache.add(key, 0, timeout=seconds + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, timeout=seconds + 1)
            used = 1
    return used <= int(count)
