"""The form of partner API keys: a random token, known by its prefix, kept as a digest."""

import hashlib
import secrets

KEY_PREFIX = "pes_"
# The header partners send their key in (documented in docs/api.md).
API_KEY_HEADER = "X-API-Key"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> tuple[str, str, str]:
    """A new key, its displayable prefix, and the digest to store."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    return key, key[:12], digest(key)
