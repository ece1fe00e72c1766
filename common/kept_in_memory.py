"""What a web process keeps in its own memory, bounded by the total size of the values."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class KeptInMemory:
    """A mapping of at most `limit` (given at each `keep`) in total size, `size_of` each
    value; the least recently read or kept value is forgotten first. Thread-safe."""

    def __init__(self, size_of: Callable[[object], int]):
        self._size_of = size_of
        self._lock = threading.Lock()
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self.size = 0

    def get(self, key: Hashable):
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def keep(self, key: Hashable, value, *, limit: int) -> None:
        size = self._size_of(value)
        if limit <= 0 or size > limit:
            return
        with self._lock:
            previous = self._values.pop(key, None)
            if previous is not None:
                self.size -= self._size_of(previous)
            self._values[key] = value
            self.size += size
            while self.size > limit:
                _, dropped = self._values.popitem(last=False)
                self.size -= self._size_of(dropped)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._values)
