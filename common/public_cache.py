"""The cache of anonymous public responses, for every route (pages and API alike).

A response is kept per scheme, host, path, query string, language and `Accept`
header (absolute addresses in a page or an answer name the host asked), with the
generation number it was made under; any change to a record bumps the generation,
one cache write that makes every kept answer stale at once, on every web container
sharing the cache. A hit costs one round trip to the cache: the generation and the
answer are read together.

A stale answer is not thrown away: for `PUBLIC_CACHE_STALE_SECONDS` after it was
made, it is served while one request (one per answer, whichever takes the lock)
makes the fresh one; past that, or with the setting at 0, a change shows on the
very next request. So a save by one pole's staff does not make every visitor's
next page wait for the database, and no answer shows data older than the setting.

Only what anybody would be served is kept: GET requests without a session, CSRF
cookie or credentials, answered 200 without setting a cookie and without `private`
or `no-store`. Streamed responses are kept when they end under
`PUBLIC_CACHE_MAX_BYTES`.
"""

import hashlib
import time
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
# How long the request making a fresh answer holds its turn: past it (the request
# failed), the next request of that answer makes it.
RECOMPUTE_TURN_SECONDS = 30
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
    key = f"public-cache:derived:{name}:{digest}"
    generation, kept = _generation_and(key)
    if kept is not None and kept["generation"] == generation:
        return kept["value"]
    value = compute()
    cache.set(key, {"generation": generation, "value": value}, seconds)
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


def response_key(request) -> str:
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
    return f"public-cache:response:{digest}"


def _generation_and(key: str) -> tuple[str, dict | None]:
    """The current generation and the answer kept under `key`, in one round trip."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or _generation()
    return generation, found.get(key)


def _servable_stale(kept: dict) -> bool:
    return time.time() - kept["made_at"] <= settings.PUBLIC_CACHE_STALE_SECONDS


def _take_turn(key: str) -> bool:
    """Whether this request makes the fresh answer (no other request is making it)."""
    return cache.add(f"{key}:turn", 1, RECOMPUTE_TURN_SECONDS)


def _end_turn(key: str) -> None:
    cache.delete(f"{key}:turn")


class PublicCacheMiddleware:
    """Serves anonymous public responses from the shared cache. After LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        key = response_key(request)
        generation, kept = _generation_and(key)
        turn = False
        if kept is not None:
            if kept["generation"] == generation:
                return self.served(request, kept, "hit")
            if _servable_stale(kept):
                turn = _take_turn(key)
                if not turn:
                    return self.served(request, kept, "stale")
        made_at = time.time()
        try:
            response = self.get_response(request)
        except BaseException:
            if turn:
                _end_turn(key)
            raise
        if not cacheable_response(response):
            if turn:
                _end_turn(key)
            return response
        entry = {"generation": generation, "made_at": made_at}
        if response.streaming:
            response.streaming_content = _keep_when_complete(
                response, response.streaming_content, key, entry, turn
            )
        else:
            cache.set(key, _frozen(response, response.content, entry), _kept_seconds())
            if turn:
                _end_turn(key)
        response["X-Cache"] = "miss"
        return response

    def served(self, request, kept: dict, state: str):
        response = _rebuild(kept, state)
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


def _kept_seconds() -> int:
    # A stale answer stays available for the whole of its staleness window.
    return settings.PUBLIC_CACHE_SECONDS + settings.PUBLIC_CACHE_STALE_SECONDS


def _frozen(response, content: bytes, entry: dict) -> dict:
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in PER_RESPONSE_HEADERS
    ]
    return {**entry, "status": response.status_code, "headers": headers, "content": content}


def _rebuild(kept: dict, state: str) -> HttpResponse:
    response = HttpResponse(kept["content"], status=kept["status"])
    for name, value in kept["headers"]:
        response[name] = value
    response["X-Cache"] = state
    return response


def _keep_when_complete(response: StreamingHttpResponse, chunks, key: str, entry: dict, turn: bool):
    kept, size = [], 0
    try:
        for chunk in chunks:
            if kept is not None:
                size += len(chunk)
                if size <= settings.PUBLIC_CACHE_MAX_BYTES:
                    kept.append(chunk)
                else:
                    kept = None
            yield chunk
        if kept is not None:
            cache.set(key, _frozen(response, b"".join(kept), entry), _kept_seconds())
    finally:
        if turn:
            _end_turn(key)


def forget_on_change(sender, **kwargs) -> None:
    """Signal receiver: a public record was saved, deleted or relinked."""
    if kwargs.get("raw"):  # loaddata
        return
    invalidate_public_cache()
