"""What the public cache keeps of an answer's body, and how it gives it back.

An answer is kept as sent (compressed when the client asked for it, so that a hit
compresses nothing) while that stays within PUBLIC_CACHE_MAX_BYTES. An answer sent
uncompressed past that size, such as the API's GeoJSON or CSV of a pole's sector (two
or three megabytes, 150 to 250 kB compressed), is kept compressed with brotli and
decompressed when served: the limit is on what the cache holds, not on what a client
that accepts no compression is sent. Past the limit even compressed, nothing is kept.
"""

import brotli

# Decompressed in 1.5-3 ms for 2-3 MB, against 4-5 ms at quality 1 (which compresses in
# 5-8 ms rather than 14-25: paid once per answer made, the decompression on every hit).
QUALITY = 4


class BodyKeeper:
    """Takes a body chunk by chunk, as it is sent; `kept()` then says what to keep."""

    def __init__(self, *, limit: int, packable: bool):
        self.limit = limit
        # An answer already encoded (brotli, gzip) is kept as sent or not at all.
        self.packable = packable
        self.chunks: list[bytes] | None = []
        self.size = 0
        self.compressor = None

    def add(self, chunk: bytes) -> None:
        if self.chunks is None:
            return
        if self.compressor is not None:
            chunk = self.compressor.process(chunk)
        self.chunks.append(chunk)
        self.size += len(chunk)
        if self.size > self.limit:
            self._past_the_limit()

    def _past_the_limit(self) -> None:
        if not self.packable or self.compressor is not None:
            self.chunks = None
            return
        self.compressor = brotli.Compressor(quality=QUALITY)
        packed = self.compressor.process(b"".join(self.chunks))
        self.chunks, self.size = [packed], len(packed)
        if self.size > self.limit:
            self.chunks = None

    def kept(self) -> tuple[bytes, bool] | None:
        """(content, packed) to keep, or None when it passes the limit."""
        if self.chunks is None:
            return None
        if self.compressor is not None:
            self.chunks.append(self.compressor.finish())
            self.size += len(self.chunks[-1])
            if self.size > self.limit:
                return None
        return b"".join(self.chunks), self.compressor is not None


def as_served(kept: dict) -> dict:
    """What the cache kept, with the body as served: the copy a web process keeps in its
    own memory, decompressed once rather than at each hit (common/public_cache_local.py)."""
    if not kept.get("packed"):
        return kept
    return {**kept, "content": served_content(kept), "packed": False}


def served_content(kept: dict) -> bytes:
    """The body as the client is sent it, from what the cache kept."""
    if kept.get("packed"):
        return brotli.decompress(kept["content"])
    return kept["content"]
