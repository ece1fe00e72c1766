"""The security policies every response carries, as the tests expect them."""

STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: https://tile.openstreetmap.org",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS = (
    "accelerometer=(), camera=(), geolocation=(self), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


def directives(policy: str) -> dict[str, str]:
    """A policy's directives by name (django-csp writes them in no fixed order)."""
    pairs = [directive.strip().split(" ", 1) for directive in policy.split(";")]
    assert len({name for name, _ in pairs}) == len(pairs), policy
    return {name: sources for name, sources in pairs}
