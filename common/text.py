"""Text helpers shared by the apps."""

import unicodedata


def sort_key(text: str) -> str:
    """A name without accents or case, so « Économie » sorts with the E's in both languages."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
