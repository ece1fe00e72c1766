"""Answers of the public cache kept in this process's memory as well, for a second.

A hit in the shared cache costs a round trip and the copy of the answer over it: a
quarter of a megabyte for a page of the API, sent base64-encoded by the database cache.
A process that has just read or made an answer keeps it here, beside the generation
it last read. For `GENERATION_SECONDS` after that read, a request for the answer is
served from here without any round trip. So a change made by another process shows
here at most that long after it was made (a change made by this process at once), and
never later than PUBLIC_CACHE_STALE_SECONDS allows: with 0, nothing is served from here.

At most PUBLIC_CACHE_LOCAL_BYTES of answers are kept per process, the least recently
served forgotten first; 0 turns the local copies off.
"""

import threading
import time

from django.conf import settings

from common.kept_in_memory import KeptInMemory

# How long the generation read from the shared cache is trusted without reading it again.
GENERATION_SECONDS = 1.0


class LocalCopies:
    def __init__(self):
        self._lock = threading.Lock()
        self._answers = KeptInMemory(lambda kept: len(kept["content"]))
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self._generation: str | None = None
            self._read_at = 0.0
        self._answers.clear()

    @staticmethod
    def _trusted_for() -> float:
        if settings.PUBLIC_CACHE_LOCAL_BYTES <= 0:
            return 0.0
        return min(GENERATION_SECONDS, settings.PUBLIC_CACHE_STALE_SECONDS)

    def note_generation(self, generation: str) -> None:
        """The generation just read from the shared cache, or just made by this process."""
        with self._lock:
            self._generation, self._read_at = generation, time.monotonic()

    def answer(self, key: str) -> tuple[str, dict] | None:
        """(generation, answer) when both are held here and may be served without a read."""
        with self._lock:
            generation, read_at = self._generation, self._read_at
        if time.monotonic() - read_at >= self._trusted_for():
            return None
        kept = self._answers.get(key)
        if kept is None or kept["generation"] != generation:
            return None
        return generation, kept

    def keep(self, key: str, kept: dict) -> None:
        self._answers.keep(key, kept, limit=settings.PUBLIC_CACHE_LOCAL_BYTES)

    def __len__(self) -> int:
        return len(self._answers)


local_copies = LocalCopies()
