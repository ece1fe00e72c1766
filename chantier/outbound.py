"""Requests the portal itself sends to partners' addresses (webhooks), and what guards them.

A partner chooses the address, so the portal must not be made to reach its own
network (SSRF): only http(s), and no private, loopback, link-local or reserved
address, checked when the address is registered and again before each request
(a name may resolve elsewhere later); redirects are never followed. The tests
receive on loopback: `WEBHOOK_ALLOW_PRIVATE_ADDRESSES` lets them, and is off
unless set.
"""

import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED_SCHEMES = ("http", "https")


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return []
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def _is_public(address) -> bool:
    return address.is_global and not address.is_multicast


def check_outbound_url(url: str) -> None:
    """Raise ValidationError unless `url` is http(s) to a public address (or tests allow)."""
    parts = urlsplit(url)
    if parts.scheme not in ALLOWED_SCHEMES or not parts.hostname:
        raise ValidationError(
            _("Give an address starting with https:// (or http://)."), code="scheme"
        )
    if parts.username or parts.password:
        raise ValidationError(
            _("The address cannot hold a user name or password."), code="credentials"
        )
    addresses = _addresses(parts.hostname)
    if not addresses:
        raise ValidationError(_("This address’s host name does not resolve."), code="unresolved")
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return
    if not all(_is_public(address) for address in addresses):
        raise ValidationError(
            _("This address is on a private or local network: give a public one."),
            code="private",
        )


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is the answer, not a new address to reach


_opener = urllib.request.build_opener(_NoRedirects)


def post_json(url: str, *, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST `body` as JSON to `url`; the answer's status, or what went wrong."""
    started = time.monotonic()

    def outcome(status, error=""):
        return Outcome(status, error[:1000], int((time.monotonic() - started) * 1000))

    try:
        check_outbound_url(url)
    except ValidationError as refused:
        return outcome(None, " ".join(refused.messages))
    request = urllib.request.Request(  # noqa: S310 — the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return outcome(response.status)
    except urllib.error.HTTPError as answer:
        return outcome(answer.code, f"HTTP {answer.code} {answer.reason}")
    except (urllib.error.URLError, OSError, ValueError) as error:
        return outcome(None, str(getattr(error, "reason", error)))
