from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.views.generic import TemplateView

from chantier import selectors


class HomeView(TemplateView):
    template_name = "chantier/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            key_figures=selectors.key_figures(featured_only=True),
            counts=selectors.live_counts(),
            **kwargs,
        )


def healthz(request):
    """Whether the app and its database answer; says nothing else about them."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database_up = True
    except DatabaseError:
        database_up = False
    return JsonResponse(
        {"status": "ok" if database_up else "unavailable", "database": database_up},
        status=200 if database_up else 503,
    )
