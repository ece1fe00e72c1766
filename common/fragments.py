"""Template fragments rendered once per set of values, kept in this process's memory.

A fragment is rendered from the values it is given and nothing else (no object, no
request): those values and the language are its key, so a change to any of them
renders it again and nothing is ever shown stale. Worth it for what many requests show
alike and a page shows many times: the directory's cards, the values of its facets.
At most FRAGMENTS_KEPT_CHARS characters of them are kept per process, the least
recently used forgotten first. With DEBUG on nothing is kept, so that an edited
template shows at once.
"""

from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from common.kept_in_memory import KeptInMemory

# A card is about 500 characters, a facet's values up to a few thousand: some
# thousands of cards, a few megabytes.
FRAGMENTS_KEPT_CHARS = 4_000_000

_kept = KeptInMemory(len)


def rendered(template_name: str, **values) -> SafeString:
    """`template_name` rendered with `values` (hashable: strings, numbers, tuples, frozen
    dataclasses), from memory when it was rendered with the same ones already."""
    if settings.DEBUG:
        return get_template(template_name).render(values)
    key = (template_name, get_language(), *sorted(values.items()))
    html = _kept.get(key)
    if html is None:
        html = get_template(template_name).render(values)
        _kept.keep(key, html, limit=FRAGMENTS_KEPT_CHARS)
    return html


def kept_count() -> tuple[int, int]:
    """How many fragments are kept, and their characters."""
    return len(_kept), _kept.size
