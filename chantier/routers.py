"""Reads to the PostgreSQL replica, writes to the primary (`DATABASE_REPLICA_URL`).

Only the reads of a request that cannot change anything go to the replica: a
GET or HEAD without a session cookie (an anonymous visitor, a partner reading the
API). Everything else reads the primary, so nobody ever misses their own write
because of replication lag: requests that may write (POST, PUT, PATCH, DELETE),
requests of someone logged in, reads inside a transaction, reads after the
request wrote anything, and all work outside a request (commands, the shell).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Tables whose reads must see the latest write: sessions and the shared cache.
PRIMARY_ONLY_APPS = frozenset({"sessions", "django_cache"})

_replica_allowed: ContextVar[bool] = ContextVar("replica_allowed", default=False)


@contextmanager
def replica_reads():
    """Within this block (and until something is written) reads may use the replica."""
    token = _replica_allowed.set(True)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


def may_read_replica(request) -> bool:
    return request.method in SAFE_METHODS and settings.SESSION_COOKIE_NAME not in request.COOKIES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            not _replica_allowed.get()
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        # Once a request has written, its later reads must see that write.
        _replica_allowed.set(False)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both databases hold the same rows: the replica is a copy of the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaRoutingMiddleware:
    """Lets the reads of anonymous safe requests go to the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_read_replica(request):
            return self.get_response(request)
        with replica_reads():
            response = self.get_response(request)
            if response.streaming:
                # A streamed body is read from the database after this returns.
                response.streaming_content = _replica_stream(response.streaming_content)
            return response


def _replica_stream(chunks):
    with replica_reads():
        yield from chunks
