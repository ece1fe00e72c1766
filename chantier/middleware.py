"""Middleware of the whole portal: request ids, the one security header no library sets,
compression (brotli or gzip) of what holds no secret, and the second factor staff sessions owe."""

import logging
import re
import time
import uuid
from urllib.parse import urlencode

import brotli
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from chantier.logs import current_request_id
from common.content_coding import BROTLI, IDENTITY, chosen_coding
from poles.two_factor import second_factor_step

logger = logging.getLogger("chantier.requests")

# An id given by a proxy is kept when it is short and plain; anything else is replaced.
_ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIdMiddleware:
    """Gives each request an id, sets it on every log line and the X-Request-ID header.

    First in MIDDLEWARE, so the id covers everything the request does, and each
    request ends with one log line (method, path, status, duration).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _ACCEPTABLE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response: the one security header nobody else writes.

    Django's SecurityMiddleware writes the others, django-csp the Content-Security-Policy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SecretFreeCompressionMiddleware(GZipMiddleware):
    """brotli or gzip, streamed answers included, for answers that hold no secret.

    BREACH recovers a secret from the size of compressed answers that also echo
    what an attacker sends; so nothing is compressed that carries a CSRF token
    or is meant for one signed-in person (or says `private`). The public site
    and the API, read anonymously or with a partner key, are compressed: with
    brotli when the client accepts it (smaller), else with Django's gzip.
    """

    def process_response(self, request, response):
        if not holds_no_secret(request, response):
            return response
        coding = chosen_coding(request)
        if coding == BROTLI and not (response.streaming and response.is_async):
            return brotli_compressed(response)
        if coding == IDENTITY:
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        return super().process_response(request, response)


def brotli_compressed(response):
    """What GZipMiddleware does, with brotli: short or already-encoded answers unchanged."""
    if response.has_header("Content-Encoding"):
        return response
    if not response.streaming and len(response.content) < 200:
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    if response.streaming:
        response.streaming_content = _brotli_stream(response.streaming_content)
        del response.headers["Content-Length"]
    else:
        compressed = brotli.compress(response.content, quality=5)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response.headers["ETag"] = "W/" + etag
    response.headers["Content-Encoding"] = "br"
    return response


# A streamed answer is a download of megabytes (the API's GeoJSON or CSV of a pole's
# sector, 3 MB): brotli's quality 1 compresses 3 MB of GeoJSON in 9 ms against 65 ms at
# quality 5, for a result 9 % larger (267 against 245 kB). Pages, far smaller, keep 5.
STREAM_QUALITY = 1


def _brotli_stream(chunks):
    compressor = brotli.Compressor(quality=STREAM_QUALITY)
    for chunk in chunks:
        data = compressor.process(chunk)
        if data:
            yield data
    yield compressor.finish()


def holds_no_secret(request, response) -> bool:
    # get_token() ran (a token is in the page) whenever the key exists: Django sets it to
    # False again once CsrfViewMiddleware, below this one, has written the cookie.
    if "CSRF_COOKIE_NEEDS_UPDATE" in request.META or settings.CSRF_COOKIE_NAME in response.cookies:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return "private" not in cache_control and "no-store" not in cache_control


class SecondFactorMiddleware:
    """A staff session that still owes a second factor (poles/two_factor.py) reaches only
    the page that takes it, the sign-in and the sign-out; the rest of the admin sends it
    there, and the public site and the API see an anonymous visitor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = second_factor_step(request.user)
        if step is None:
            return self.get_response(request)
        open_paths = {reverse(step), reverse("admin:login"), reverse("admin:logout")}
        if request.path in open_paths:
            return self.get_response(request)
        if request.path.startswith(reverse("admin:index")):
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        request.user = AnonymousUser()
        return self.get_response(request)
