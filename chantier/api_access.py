"""Who may read the API, and how fast: open reading per IP, partner keys, staff sessions."""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from chantier.apikeys import API_KEY_HEADER, digest
from chantier.models import ApiKey
from chantier.rate_windows import count_request
from common.client_address import client_address

# The rate-limited resources (the schema and its documentation are not).
RATE_LIMITED_PREFIX = "/api/v1/"
# How often `last_used_at` is written, at most: a key in steady use costs no write per request.
LAST_USED_RESOLUTION_SECONDS = 300


class ApiKeyAuthentication(BaseAuthentication):
    """A partner's key in the X-API-Key header. It raises limits; it opens nothing."""

    def authenticate(self, request):
        raw = request.headers.get(API_KEY_HEADER)
        if raw is None:
            return None
        api_key = ApiKey.objects.filter(hashed_key=digest(raw.strip())).first()
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("Unknown API key."))
        if not api_key.is_active:
            raise exceptions.AuthenticationFailed(_("This API key has been revoked."))
        now = timezone.now()
        if (
            api_key.last_used_at is None
            or (now - api_key.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
        ):
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        return AnonymousUser(), api_key

    def authenticate_header(self, request):
        # Makes a refused key a 401 (with this challenge) rather than a 403.
        return API_KEY_HEADER


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "chantier.api_access.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": API_KEY_HEADER}


@dataclass(frozen=True)
class RateLimit:
    """Where a caller stands against its limit, for the RateLimit headers."""

    limit: int
    remaining: int
    reset: int  # seconds until the window closes and the count starts again
    window: int

    def headers(self) -> dict[str, str]:
        # The IETF httpapi draft's fields, in the form most clients read today.
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
            "RateLimit-Policy": f"{self.limit};w={self.window}",
        }


class ConfiguredRateThrottle(SimpleRateThrottle):
    """At most `num_requests` per caller in a window of `duration` seconds opened by the
    caller's first request; the next request after it closes opens the next one.

    Each request is counted by one statement on the caller's row of the rate windows
    (chantier.rate_windows), exactly, even when several arrive at once; a refused request
    is counted too, and refused again until the window closes. The rate is read from the
    settings at each request, not once at import, and where the caller stands is noted on
    `request.rate_limit` (common/api/views.py turns it into RateLimit headers).
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident_for(self, request) -> str | None:
        """Who is counted: None when this limit is not the caller's."""
        raise NotImplementedError

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        ident = self.get_ident_for(request)
        if ident is None:
            return True
        # To the microsecond, as the database keeps it, so that both sides agree.
        now = datetime.fromtimestamp(self.timer(), tz=UTC)
        self.now = now.timestamp()
        opened_at, count = count_request(
            scope=self.scope, ident=ident, now=now, window=timedelta(seconds=self.duration)
        )
        self.closes_at = opened_at.timestamp() + self.duration
        request.rate_limit = RateLimit(
            limit=self.num_requests,
            # Never below 0: refused requests count too, and the limit may be lowered.
            remaining=max(0, self.num_requests - count),
            reset=math.ceil(self.closes_at - self.now),
            window=int(self.duration),
        )
        return count <= self.num_requests

    def wait(self):
        return max(0.0, self.closes_at - self.now)


def rate_windows_by_scope() -> dict[str, timedelta]:
    """How long a window lasts for each API limit in force (none for a limit turned off)."""
    throttles = [throttle() for throttle in api_settings.DEFAULT_THROTTLE_CLASSES]
    return {
        throttle.scope: timedelta(seconds=throttle.duration)
        for throttle in throttles
        if isinstance(throttle, ConfiguredRateThrottle) and throttle.rate is not None
    }


class AnonymousRateThrottle(ConfiguredRateThrottle):
    """Reading without a key: a limit per client IP address."""

    scope = "anonymous"

    def get_ident_for(self, request):
        if isinstance(request.auth, ApiKey) or request.user.is_authenticated:
            return None
        return client_address(request)


class ApiKeyRateThrottle(ConfiguredRateThrottle):
    """A partner key (or a signed-in staff member): its own, higher limit."""

    scope = "key"

    def get_ident_for(self, request):
        if isinstance(request.auth, ApiKey):
            return f"key-{request.auth.pk}"
        if request.user.is_authenticated:
            return f"user-{request.user.pk}"
        return None


def count_cached_answer(request, response):
    """A public API answer served from the cache counts against the limit as a fresh one.

    Called by common.public_cache (settings.PUBLIC_CACHE_HIT_HOOK) for every hit;
    only anonymous requests are served from the cache. Over the limit, the 429 a
    view would give.
    """
    if not request.path.startswith(RATE_LIMITED_PREFIX):
        return response
    throttle = AnonymousRateThrottle()
    caller = SimpleNamespace(
        auth=None, user=AnonymousUser(), META=request.META, headers=request.headers
    )
    if not throttle.allow_request(caller, None):
        wait = throttle.wait()
        response = JsonResponse({"detail": str(exceptions.Throttled(wait).detail)}, status=429)
        if wait is not None:
            response["Retry-After"] = str(math.ceil(wait))
    for name, value in caller.rate_limit.headers().items():
        response[name] = value
    return response
