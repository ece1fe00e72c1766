"""The portal's URLs plus two views that fail, to see the error pages as a visitor would."""

from django.db.utils import OperationalError
from django.urls import path

from chantier.urls import handler500, urlpatterns


def broken_view(request):
    raise RuntimeError("secret detail that must never reach the visitor")


def database_gone_view(request):
    raise OperationalError("connection to server on socket failed: No such file or directory")


# First: the portal answers every other address under /api/ itself.
urlpatterns = [
    path("broken", broken_view),
    path("database-gone", database_gone_view),
    path("api/database-gone", database_gone_view),
    path("api/broken", broken_view),
    *urlpatterns,
]
__all__ = ["handler500", "urlpatterns"]
