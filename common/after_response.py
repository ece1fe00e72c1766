"""Work a request leaves for after its response is sent, so that no visitor waits for it.

`after_response(work)` inside a request runs `work()` when the server closes the
response, once the body is written (gunicorn and runserver close it then, the test
client too: Django's `request_finished` signal); outside a request (a command, a job, a
test calling a selector) it runs at once. The worker is busy meanwhile, as for any
request. A database connection the work opens (after Django closed the request's) is
closed at the start of the worker's next request, as CONN_MAX_AGE says. The receivers
are connected in `chantier.apps`.
"""

import logging
from contextvars import ContextVar

logger = logging.getLogger(__name__)

_pending: ContextVar[list | None] = ContextVar("after_response", default=None)


def after_response(work) -> None:
    """`work()` once this request's response is sent; at once outside a request."""
    pending = _pending.get()
    if pending is None:
        work()
    else:
        pending.append(work)


def forget_pending() -> None:
    """Drop what a request left without its response being closed (a test whose request
    stopped half-way), so that later work in this thread runs at once again."""
    _pending.set(None)


def request_started(sender, **kwargs) -> None:
    _pending.set([])


def request_finished(sender, **kwargs) -> None:
    """Runs what the request left, each piece on its own: an error is logged, never raised
    (the response is sent already), and does not keep the others from running."""
    pending = _pending.get()
    _pending.set(None)
    if not pending:
        return
    for work in pending:
        try:
            work()
        except Exception:
            logger.exception("Work left for after a response failed.")
