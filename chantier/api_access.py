"""Who may read the API, and how fast: open reading per IP, partner keys, staff sessions."""

import math
from dataclasses import dataclass
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

    The cache holds two numbers per caller, when the window opened and how many requests
    it has counted, whatever the limit. (DRF's own throttle keeps the time of every
    request in the window, 1,200 of them for a partner's key, read and written back at
    each request.) As with DRF's, two requests at the same instant may be counted once.
    The rate is read from the settings at each request, not once at import, and where
    the caller stands is noted on `request.rate_limit` (common/api/views.py turns it into
    RateLimit headers).
    """

    # Not DRF's key: what DRF's throttle kept there (a list of times) must never be read
    # as a window.
    cache_format = "throttle-window_%(scope)s_%(ident)s"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        opened, count = self.cache.get(self.key) or (self.now, 0)
        if self.now - opened >= self.duration:
            opened, count = self.now, 0
        self.closes_at = opened + self.duration
        allowed = count < self.num_requests
        if allowed:
            count += 1
            self.cache.set(self.key, (opened, count), math.ceil(self.closes_at - self.now))
        request.rate_limit = RateLimit(
            limit=self.num_requests,
            # Never below 0, even when the limit was lowered during the window.
            remaining=max(0, self.num_requests - count),
            reset=math.ceil(self.closes_at - self.now),
            window=int(self.duration),
        )
        return allowed

    def wait(self):
        return max(0.0, self.closes_at - self.now)


class AnonymousRateThrottle(ConfiguredRateThrottle):
    """Reading without a key: a limit per client IP address."""

    scope = "anonymous"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey) or request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


class ApiKeyRateThrottle(ConfiguredRateThrottle):
    """A partner key (or a signed-in staff member): its own, higher limit."""

    scope = "key"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey):
            ident = f"key-{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


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
