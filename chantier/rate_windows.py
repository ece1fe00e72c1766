"""The API's rate windows in PostgreSQL (chantier.models.RateWindow): one statement counts a
request, exactly, however many requests of one caller arrive at once; a periodic job
deletes the windows that have closed."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.db import connections

from chantier.models import RateWindow

# Not through the database router: a write routed there would send the rest of an
# anonymous request's reads to the primary too (chantier.routers).
PRIMARY = "default"

# A window that closed (`window` after it opened) is replaced by one opening now; else the
# request is counted in it. The row is locked for this one statement only, and a request
# arriving meanwhile counts on top of it: two requests are never counted once.
COUNT_REQUEST = """INSERT INTO chantier_ratewindow AS stored (key, opened_at, count)
VALUES (%(key)s, %(now)s, 1)
ON CONFLICT (key) DO UPDATE SET
    opened_at = CASE WHEN stored.opened_at + %(window)s <= %(now)s
        THEN %(now)s ELSE stored.opened_at END,
    count = CASE WHEN stored.opened_at + %(window)s <= %(now)s
        THEN 1 ELSE stored.count + 1 END
RETURNING opened_at, count
"""


def window_key(*, scope: str, ident: str) -> str:
    return f"{scope}:{ident}"


def count_request(
    *, scope: str, ident: str, now: datetime, window: timedelta
) -> tuple[datetime, int]:
    """Count a request of `ident` against its limit in `scope`. Returns when its window
    opened and how many requests the window has counted, this one included."""
    params = {"key": window_key(scope=scope, ident=ident), "now": now, "window": window}
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute(COUNT_REQUEST, params)
        opened_at, count = cursor.fetchone()
    return opened_at, count


def delete_closed_windows(*, now: datetime, windows: Mapping[str, timedelta]) -> int:
    """Delete the windows closed by `now`, `windows` giving each scope's length (a scope
    not named is left alone). Returns how many were deleted."""
    deleted = 0
    for scope, window in windows.items():
        closed = RateWindow.objects.using(PRIMARY).filter(
            key__startswith=window_key(scope=scope, ident=""), opened_at__lte=now - window
        )
        deleted += closed.delete()[0]
    return deleted
