"""The cache of anonymous public responses, for every route (pages and API alike).

A response is kept per scheme, host, path, query string, language and `Accept`
header (absolute addresses in a page or an answer name the host asked), under a
generation number that any change to a record bumps: one cache write forgets
every page at once, on every web container sharing the cache. Only what anybody
would be served is kept: GET requests without a session, CSRF cookie or
credentials, answered 200 without setting a cookie and without `private` or
`no-store`. Streamed responses are kept when they end under
`PUBLIC_CACHE_MAX_BYTES`.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string
from django.utils.translation import get_language

GENERATION_KEY = "public-cache:generation"
# Derived data outlives no generation; this only lets an idle cache forget it.
DERIVED_DATA_SECONDS = 24 * 3600
CREDENTIAL_HEADERS = ("HTTP_AUTHORIZATION", "HTTP_X_API_KEY")
# Headers a cached copy must not repeat to another visitor.
PER_RESPONSE_HEADERS = frozenset(
    {
        "set-cookie",
        "date",
        "x-request-id",
        "x-cache",
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
        "ratelimit-policy",
    }
)
# Every model whose changes show on a public page or in the API.
WATCHED_APPS = frozenset({"chantier", "entreprises", "poles", "evenements"})


def invalidate_public_cache() -> None:
    """Forget every cached public response, once the current transaction commits.

    Saving or deleting a record calls it through signals; call it after bulk writes
    (`QuerySet.update()`, `bulk_create()`, raw SQL), which send none. Inside a
    transaction the bump waits for the commit, once however many records change:
    other processes cannot see the new rows before then, and bumping earlier would
    hold a lock on the generation (a row of the database cache) for as long as
    the transaction runs, making every other writer wait.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _new_generation()
    elif not any(func is _new_generation for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_new_generation)


def cached_until_change(name: str, parts: tuple, compute):
    """`compute()`, kept in the cache until any public record changes.

    For results many requests share and that cost a scan to make, such as the
    directory's facet counts for one search state.
    """
    seconds = settings.PUBLIC_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    return _kept(name, parts, compute, seconds)


def derived_until_change(name: str, parts: tuple, compute):
    """`compute()`, kept until any public record changes, even with the page cache off.

    For data derived from the whole directory, like an index, that requests need
    rather than serve: the search vocabulary the "did you mean" pages look words up
    in. It is never stale (a change starts a new generation), so turning the page
    cache off (`PUBLIC_CACHE_SECONDS=0`) must not turn every such request into a
    scan of the directory.
    """
    return _kept(name, parts, compute, DERIVED_DATA_SECONDS)


def _kept(name: str, parts: tuple, compute, seconds: int):
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = f"public-cache:{_generation()}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def data_version() -> str:
    """A token that changes whenever any public record changes (the cache's generation)."""
    return _generation()


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        # Another worker may have set it meanwhile: keep theirs.
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def cacheable_request(request) -> bool:
    return (
        settings.PUBLIC_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.path.startswith(tuple(settings.PUBLIC_CACHE_SKIP_PATHS))
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and settings.CSRF_COOKIE_NAME not in request.COOKIES
        and not any(request.META.get(header) for header in CREDENTIAL_HEADERS)
    )


def cacheable_response(response) -> bool:
    if response.status_code != 200 or response.cookies:
        return False
    cache_control = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return not cache_control & {"private", "no-store", "no-cache"}


def response_key(request, generation: str) -> str:
    identity = "\n".join(
        [
            get_language() or "",
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            request.META.get("HTTP_ACCEPT", ""),
        ]
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return f"public-cache:{generation}:{digest}"


class PublicCacheMiddleware:
    """Serves anonymous public responses from the shared cache. After LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        key = response_key(request, _generation())
        cached = cache.get(key)
        if cached is not None:
            response = _rebuild(cached)
            if settings.PUBLIC_CACHE_HIT_HOOK:
                response = import_string(settings.PUBLIC_CACHE_HIT_HOOK)(request, response)
                if response.status_code != 200:
                    return response
            # A partner revalidating its copy gets 304 from the cache as from the view.
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                response=response,
            )
        response = self.get_response(request)
        if not cacheable_response(response):
            return response
        if response.streaming:
            response.streaming_content = _keep_when_complete(
                response, response.streaming_content, key
            )
        else:
            cache.set(key, _frozen(response, response.content), settings.PUBLIC_CACHE_SECONDS)
        response["X-Cache"] = "miss"
        return response


def _frozen(response, content: bytes) -> dict:
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in PER_RESPONSE_HEADERS
    ]
    return {"status": response.status_code, "headers": headers, "content": content}


def _rebuild(cached: dict) -> HttpResponse:
    response = HttpResponse(cached["content"], status=cached["status"])
    for name, value in cached["headers"]:
        response[name] = value
    response["X-Cache"] = "hit"
    return response


def _keep_when_complete(response: StreamingHttpResponse, chunks, key: str):
    kept, size = [], 0
    for chunk in chunks:
        if kept is not None:
            size += len(chunk)
            if size <= settings.PUBLIC_CACHE_MAX_BYTES:
                kept.append(chunk)
            else:
                kept = None
        yield chunk
    if kept is not None:
        cache.set(key, _frozen(response, b"".join(kept)), settings.PUBLIC_CACHE_SECONDS)


def forget_on_change(sender, **kwargs) -> None:
    """Signal receiver: a public record was saved, deleted or relinked."""
    if kwargs.get("raw"):  # loaddata
        return
    invalidate_public_cache()
