"""Middleware of the whole portal: request ids, and the one security header no library sets."""

import logging
import re
import time
import uuid

from django.conf import settings

from chantier.logs import current_request_id

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
