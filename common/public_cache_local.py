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
from collections import OrderedDict

from django.conf import settings

# How long the generation read from the shared cache is trusted without reading it again.
GENERATION_SECONDS = 1.0


class LocalCopies:
    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self._generation: str | None = None
            self._read_at = 0.0
            self._answers: OrderedDict[str, dict] = OrderedDict()
            self._size = 0

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
            if time.monotonic() - self._read_at >= self._trusted_for():
                return None
            kept = self._answers.get(key)
            if kept is None or kept["generation"] != self._generation:
                return None
            self._answers.move_to_end(key)
            return self._generation, kept

    def keep(self, key: str, kept: dict) -> None:
        limit = settings.PUBLIC_CACHE_LOCAL_BYTES
        size = len(kept["content"])
        if limit <= 0 or size > limit:
            return
        with self._lock:
            previous = self._answers.pop(key, None)
            if previous is not None:
                self._size -= len(previous["content"])
            self._answers[key] = kept
            self._size += size
            while self._size > limit:
                _, dropped = self._answers.popitem(last=False)
                self._size -= len(dropped["content"])

    def __len__(self) -> int:
        return len(self._answers)


local_copies = LocalCopies()
