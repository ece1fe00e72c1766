"""Template fragments rendered once per set of values, kept in this process's memory.

A fragment is rendered from the values it is given and nothing else (no object, no
request): those values and the language are its key, so a change to any of them
renders it again and nothing is ever shown stale. Worth it for what many requests show
alike and a page shows many times: the directory's cards, the values of its facets.
At most FRAGMENTS_KEPT_CHARS characters of them are kept per process, the least
recently used forgotten first. With DEBUG on nothing is kept, so that an edited
template shows at once.
"""

import threading
from collections import OrderedDict

from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

# A card is about 500 characters, a facet's values up to a few thousand: some
# thousands of cards, a few megabytes.
FRAGMENTS_KEPT_CHARS = 4_000_000

_kept: OrderedDict[tuple, SafeString] = OrderedDict()
_kept_chars = 0
_lock = threading.Lock()


def rendered(template_name: str, **values) -> SafeString:
    """`template_name` rendered with `values` (hashable: strings, numbers, tuples, frozen
    dataclasses), from memory when it was rendered with the same ones already."""
    if settings.DEBUG:
        return get_template(template_name).render(values)
    key = (template_name, get_language(), *sorted(values.items()))
    with _lock:
        html = _kept.get(key)
        if html is not None:
            _kept.move_to_end(key)
            return html
    global _kept_chars
    html = get_template(template_name).render(values)
    with _lock:
        if key not in _kept:
            _kept[key] = html
            _kept_chars += len(html)
        while _kept_chars > FRAGMENTS_KEPT_CHARS:
            _kept_chars -= len(_kept.popitem(last=False)[1])
    return html


def kept_count() -> tuple[int, int]:
    """How many fragments are kept, and their characters."""
    return len(_kept), _kept_chars
