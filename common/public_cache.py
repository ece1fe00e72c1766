"""The cache of anonymous public responses, for every route (pages and API alike).

One module, past the usual length, because the answers and the data derived per
generation share one generation, one staleness rule and one turn to refresh.

A response is kept per scheme, host, path, query string, language, `Accept` header
(absolute addresses in a page or an answer name the host asked) and compression (brotli,
gzip or none, as `chosen_coding` reads `Accept-Encoding`): it is kept as sent, already
compressed, so that a hit costs no compression. It is kept with the
generation number it was made under; any change to a record bumps the generation,
one cache write that makes every kept answer stale at once, on every web container
sharing the cache. A hit costs one round trip to the cache: the generation and the
answer are read together; none when this process read or made the answer less than a
second ago (`common.public_cache_local`).

A stale answer is not thrown away: for `PUBLIC_CACHE_STALE_SECONDS` after it was
made, it is served to every request, and the one that takes the turn (one per
answer, a lock in the cache) makes the fresh answer once its own response has been
sent, when the WSGI server closes it; past that, or with the setting at 0, a change
shows on the very next request. So a save by one pole's staff makes no visitor's
page wait for the database, and no answer shows data older than the setting. The
data derived per generation (facet counts, the home page's figures) follows the
same rule (`_staleness`), computed once per key at a time.

Only what anybody would be served is kept: GET requests without a session, CSRF
cookie or credentials, answered 200 without setting a cookie and without `private`
or `no-store`. Streamed responses are kept when they end under
`PUBLIC_CACHE_MAX_BYTES`, compressed if need be (`public_cache_body.py`).
"""

import contextvars
import hashlib
import logging
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string
from django.utils.translation import get_language, override

from common.after_response import after_response
from common.content_coding import chosen_coding
from common.public_cache_body import BodyKeeper, as_served, served_content
from common.public_cache_local import local_copies

logger = logging.getLogger(__name__)

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
# The entry (generation, made_at) of the answer being made: derived data served stale
# while it is made marks it as old as that data, so that it is not kept as fresh.
_entry_being_made: ContextVar[dict | None] = ContextVar("entry_being_made", default=None)
# The generation of an answer made with data out of date (`_made_out_of_date`): never
# the current one, which is a uuid4's hex.
OUT_OF_DATE = "out-of-date"


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
    in. Turning the page cache off (`PUBLIC_CACHE_SECONDS=0`) must not turn every such
    request into a scan of the directory. After a change, one request per key at a
    time computes it while the others use the previous value, if it was computed at
    most `PUBLIC_CACHE_STALE_SECONDS` ago (`_staleness`).
    """
    return _kept(name, parts, compute, DERIVED_DATA_SECONDS)


def derived_for(name: str, *, seconds: int, compute, meanwhile):
    """`compute()`, kept for `seconds` whatever changes meanwhile.

    For data derived from the whole directory that may follow changes a few minutes late
    and costs too much to make again after each one, or for any visitor to wait for: the
    search vocabulary, a read of every search vector. Once it is `seconds` old, or when
    the cache has none (never made, or culled), the one request that takes the turn
    makes it after its response is sent (`after_response`; outside a request, at once,
    and uses it); until then every request, that one included, uses the previous value,
    or `meanwhile` when there is none; an answer made with either is kept as stale
    (`_made_out_of_date`). Never several workers making it together. At `seconds` 0,
    made for each request that needs it (the test suite's setting, where data change
    between tests).
    """
    if seconds <= 0:
        return compute()
    key = kept_for_key(name)
    kept = cache.get(key)
    if kept is not None and time.time() - kept["made_at"] < seconds:
        return kept["value"]
    made = []
    if _take_turn(key):
        after_response(lambda: made.append(_made_for(key, seconds, compute)))
    if made:
        return made[0]
    _made_out_of_date()
    return meanwhile if kept is None else kept["value"]


def _made_for(key: str, seconds: int, compute):
    made_at = time.time()
    try:
        value = compute()
        # Kept past its time: while the one request making it again is at work.
        cache.set(key, {"made_at": made_at, "value": value}, seconds + DERIVED_DATA_SECONDS)
    finally:
        _end_turn(key)
    return value


def kept_for_key(name: str) -> str:
    # Not derived_key: its values have another shape, which another version reading
    # the same cache during a deployment would not understand.
    return f"public-cache:kept-for:{name}"


def derived_key(name: str, parts: tuple) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"public-cache:derived:{name}:{digest}"


def _kept(name: str, parts: tuple, compute, seconds: int):
    key = derived_key(name, parts)
    generation, kept = _generation_and(key)
    state = _staleness(key, kept, generation)
    if state == STALE:
        _made_with(kept)
    if state in (FRESH, STALE):
        return kept["value"]
    made_at = time.time()
    try:
        value = compute()
        cache.set(key, {"generation": generation, "made_at": made_at, "value": value}, seconds)
    finally:
        if state == TURN:
            _end_turn(key)
    return value


def _made_with(stale: dict) -> None:
    entry = _entry_being_made.get()
    if entry is not None and stale["made_at"] < entry["made_at"]:
        entry.update(generation=stale["generation"], made_at=stale["made_at"])


def _made_out_of_date() -> None:
    """The answer being made uses data kept for a time and past it, or none yet: kept as
    made under no generation, it is served stale while the next request that takes the
    turn makes it again, rather than as fresh until the next change. Its `made_at`
    stays: the data's own is older than the staleness window by design, which would
    make every request make the answer again."""
    entry = _entry_being_made.get()
    if entry is not None:
        entry["generation"] = OUT_OF_DATE


def data_version() -> str:
    """A token that changes whenever any public record changes (the cache's generation)."""
    return _generation()


def _new_generation() -> None:
    generation = uuid.uuid4().hex
    cache.set(GENERATION_KEY, generation, timeout=None)
    local_copies.note_generation(generation)


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
            # Kept compressed, as sent: a hit compresses nothing.
            chosen_coding(request),
        ]
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return f"public-cache:response:{digest}"


def _generation_and(key: str) -> tuple[str, dict | None]:
    """The current generation and what is kept under `key`, in one round trip."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or _generation()
    local_copies.note_generation(generation)
    return generation, found.get(key)


def _generation_and_answer(key: str) -> tuple[str, dict | None]:
    """The current generation and the answer kept under `key`: from this process's
    memory when it holds both, else in one round trip (and then kept in memory)."""
    held = local_copies.answer(key)
    if held is not None:
        return held
    generation, kept = _generation_and(key)
    if kept is not None and kept["generation"] == generation:
        kept = as_served(kept)
        local_copies.keep(key, kept)
    return generation, kept


def _keep_answer(key: str, kept: dict) -> None:
    cache.set(key, kept, _kept_seconds())
    local_copies.keep(key, as_served(kept))


# What a request may do with what is kept under a key, see `_staleness`.
FRESH = "fresh"
STALE = "stale"
TURN = "turn"
TOO_OLD = "too old"


def _staleness(key: str, kept: dict | None, generation: str) -> str:
    """The one rule of staleness, for cached answers and derived data alike.

    FRESH: made under the current generation, use it. STALE: made under an older one
    at most PUBLIC_CACHE_STALE_SECONDS ago, and another request is making the fresh
    one: use it. TURN: the same, but this request took the turn to make the fresh one
    (and must end it). TOO_OLD: nothing kept, or older than that: make it now, whoever
    else is making it, rather than wait for them or serve older data.
    """
    if kept is None:
        return TOO_OLD
    if kept["generation"] == generation:
        return FRESH
    if time.time() - kept.get("made_at", 0) >= settings.PUBLIC_CACHE_STALE_SECONDS:
        return TOO_OLD
    return TURN if _take_turn(key) else STALE


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
        _entry_being_made.set(None)
        if not cacheable_request(request):
            return self.get_response(request)
        key = response_key(request)
        generation, kept = _generation_and_answer(key)
        state = _staleness(key, kept, generation)
        if state == TOO_OLD:
            return self.made(request, key, generation)
        response = self.served(request, kept, "hit" if state == FRESH else "stale")
        if state == TURN:
            self.refresh_once_sent(response, request, key, generation)
        return response

    def made(self, request, key: str, generation: str):
        entry = {"generation": generation, "made_at": time.time()}
        # Not reset on return: a streamed body is made as the server reads it.
        _entry_being_made.set(entry)
        response = self.get_response(request)
        if not cacheable_response(response):
            return response
        if response.streaming:
            response.streaming_content = _keep_when_complete(
                response, response.streaming_content, key, entry
            )
        else:
            _keep_answer(key, _frozen(response, response.content, entry))
        response["X-Cache"] = "miss"
        return response

    def refresh_once_sent(self, response, request, key: str, generation: str) -> None:
        """Makes the fresh answer when the server closes `response`, after sending it.

        gunicorn and runserver call close() once the body is written (the test client
        does too); Django keeps its own closers in `_resource_closers` the same way.
        The request's context (its id on log lines, replica reads) goes along.
        """
        refresh = contextvars.copy_context().run
        language = get_language()
        response._resource_closers.append(
            lambda: refresh(self.refresh, request, key, generation, language)
        )

    def refresh(self, request, key: str, generation: str, language: str) -> None:
        """Never raises: on an error the stale answer stays, and the turn is ended so
        that the next request tries again."""
        entry = {"generation": generation, "made_at": time.time()}
        _entry_being_made.set(entry)
        try:
            with override(language):
                response = self.get_response(request)
            try:
                if response.status_code >= 500:
                    logger.error(
                        "The fresh answer of %s failed (status %s); the stale one stays.",
                        request.get_full_path(),
                        response.status_code,
                    )
                    return
                kept = _whole_content(response) if cacheable_response(response) else None
                if kept is None:
                    # Gone, moved, personal or too large: the next request gets the view's answer.
                    cache.delete(key)
                    return
                content, packed = kept
                _keep_answer(key, _frozen(response, content, entry, packed=packed))
            finally:
                response.close()
        except Exception:
            logger.exception(
                "The fresh answer of %s failed; the stale one stays.", request.get_full_path()
            )
        finally:
            _end_turn(key)

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


def _frozen(response, content: bytes, entry: dict, *, packed: bool = False) -> dict:
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in PER_RESPONSE_HEADERS
    ]
    return {
        **entry,
        "status": response.status_code,
        "headers": headers,
        "content": content,
        "packed": packed,
    }


def _rebuild(kept: dict, state: str) -> HttpResponse:
    content = served_content(kept)
    response = HttpResponse(content, status=kept["status"])
    for name, value in kept["headers"]:
        response[name] = value
    response["X-Cache"] = state
    # The client then knows the answer is whole without waiting for the connection to
    # close, which waits for the refresh made after it (an answer once streamed has none).
    response["Content-Length"] = str(len(content))
    return response


def _body_keeper(response) -> BodyKeeper:
    return BodyKeeper(
        limit=settings.PUBLIC_CACHE_MAX_BYTES,
        packable=not response.has_header("Content-Encoding"),
    )


def _keep_when_complete(response: StreamingHttpResponse, chunks, key: str, entry: dict):
    keeper = _body_keeper(response)
    for chunk in chunks:
        keeper.add(chunk)
        yield chunk
    kept = keeper.kept()
    if kept is not None:
        content, packed = kept
        _keep_answer(key, _frozen(response, content, entry, packed=packed))


def _whole_content(response) -> tuple[bytes, bool] | None:
    """(content, packed) to keep of a response, or None when a streamed one passes
    PUBLIC_CACHE_MAX_BYTES even compressed (see common/public_cache_body.py)."""
    if not response.streaming:
        return response.content, False
    keeper = _body_keeper(response)
    for chunk in response.streaming_content:
        keeper.add(chunk)
    return keeper.kept()


def forget_on_change(sender, **kwargs) -> None:
    """Signal receiver: a public record was saved, deleted or relinked."""
    if kwargs.get("raw"):  # loaddata
        return
    invalidate_public_cache()
