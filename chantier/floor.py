"""The benchmark's floor: the cheapest page Django can serve, of a chosen size.

`make bench` compares every route with it (and with a static file) on the same
server, so the numbers speak of the portal rather than of the machine. It is
routed only when `BENCH_FLOOR` is on, and it touches no database. `?bytes=N`
(up to 4 MB, the size of the API's streamed files too) sets the size;
BENCH_FLOOR_BYTES is the default.
"""

from django.conf import settings
from django.http import HttpResponse

PAGE = "<!doctype html><html lang=en><title>floor</title><p>{}</p></html>"
MAX_BYTES = 4_000_000


def floor_view(request):
    size = request.GET.get("bytes", "")
    size = int(size) if size.isdigit() else settings.BENCH_FLOOR_BYTES
    filler = "x" * max(min(size, MAX_BYTES) - len(PAGE) + 2, 0)
    return HttpResponse(PAGE.format(filler), content_type="text/html; charset=utf-8")
