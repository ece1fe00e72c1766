import csv
import json
import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.generic import DetailView, ListView, TemplateView

from chantier import releases, selectors
from chantier.formatting import figure_display
from entreprises.forms import DirectoryForm
from entreprises.selectors import poles_with_counts
from poles.models import Pole
from poles.selectors import sorted_by_region


class HomeView(TemplateView):
    template_name = "chantier/home.html"

    def get_context_data(self, **kwargs):
        figures = selectors.published_figures()
        lists = selectors.home_lists(today=timezone.localdate())
        return super().get_context_data(
            key_figures=lists.key_figures,
            counts=figures.counts,
            form=DirectoryForm(),
            featured_sectors=lists.featured_sectors,
            regions=selectors.with_published_counts(lists.regions, figures),
            map_preview=selectors.map_preview(figures),
            upcoming_events=lists.upcoming_events,
            latest_events=lists.latest_events,
            **kwargs,
        )


class StatisticsView(TemplateView):
    template_name = "chantier/statistics.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            charts=selectors.statistics_charts(),
            counts=selectors.live_counts(),
            key_figures=selectors.key_figures(),
            coverage=selectors.coverage_by_region(),
            **kwargs,
        )


def _published_table():
    header = [_("Figure"), _("Value"), _("Year of the data"), _("Source")]
    return header, [
        [
            figure.label,
            figure_display(value=figure.value, unit=figure.unit, qualifier=figure.qualifier),
            figure.year or "",
            figure.source,
        ]
        for figure in selectors.key_figures()
    ]


def _coverage_table():
    header = [
        _("Region"),
        _("Published enterprises in the directory"),
        _("Published count of social economy enterprises"),
        _("Year of the published count"),
        _("Share in the directory (%)"),
    ]
    return header, [
        [
            row.region.name,
            row.directory,
            int(row.published.value) if row.published else "",
            (row.published.year or "") if row.published else "",
            "" if row.share is None else row.share,
        ]
        for row in selectors.coverage_by_region()
    ]


def _chart_table(key):
    def table():
        chart = next(chart for chart in selectors.statistics_charts() if chart.key == key)
        header = [_("Label"), _("Published enterprises")]
        return header, [[row.label, row.value] for row in chart.rows]

    return table


# Every table of the statistics page, as CSV: /fr/statistiques/<key>.csv.
STATISTICS_TABLES = {
    "published": _published_table,
    "coverage": _coverage_table,
    "region": _chart_table("region"),
    "pole": _chart_table("pole"),
    "sector": _chart_table("sector"),
    "legal_form": _chart_table("legal_form"),
}


def statistics_csv(request, table):
    if table not in STATISTICS_TABLES:
        raise Http404(_("There is no such table."))
    header, rows = STATISTICS_TABLES[table]()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{_('statistics')}-{table}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The byte order mark lets spreadsheet programs read the accents right.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


class PoleListView(ListView):
    template_name = "poles/list.html"
    context_object_name = "poles"
    paginate_by = 50

    def get_queryset(self):
        return sorted_by_region(poles_with_counts())


class PoleDetailView(DetailView):
    """A pole's territory and contact, its enterprises on a small map and by sector, and
    its latest changes; the directory lists them all."""

    template_name = "poles/detail.html"
    context_object_name = "pole"

    def get_queryset(self):
        return Pole.objects.prefetch_related("regions")

    def get_context_data(self, **kwargs):
        pole = self.object
        return super().get_context_data(
            counts=selectors.pole_counts(pole=pole),
            sectors=selectors.pole_sectors(pole=pole),
            latest=selectors.latest_changes(pole=pole),
            geojson_url=reverse("entreprises:map-data") + f"?pole={pole.slug}",
            tile_url=settings.MAP_TILE_URL,
            tile_attribution=settings.MAP_TILE_ATTRIBUTION,
            **kwargs,
        )


class AboutView(TemplateView):
    template_name = "chantier/about.html"


class AccessibilityView(TemplateView):
    template_name = "chantier/accessibility.html"


class OpenDataView(TemplateView):
    """The dated open-data releases, newest first, with their files and checksums."""

    template_name = "chantier/open_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(releases=releases.published_releases(), **kwargs)


class PrivacyView(TemplateView):
    template_name = "chantier/privacy.html"

    def get_context_data(self, **kwargs):
        tile_host = urlsplit(settings.MAP_TILE_URL.replace("{s}", "a")).hostname or ""
        return super().get_context_data(
            tile_host=tile_host.removeprefix("a."),
            session_hours=settings.SESSION_COOKIE_AGE // 3600,
            lockout_minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            **kwargs,
        )


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static icon."""
    return HttpResponseRedirect(static("img/favicon.ico"))


def web_manifest(request):
    """The web app manifest, with the icons' addresses as the static storage names them."""
    icons = [
        {"src": static(f"img/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    icons.append({"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"})
    manifest = {
        "name": "Portail de l’économie sociale du Québec",
        "short_name": "Économie sociale",
        "lang": "fr",
        "start_url": "/",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#073d38",
        "icons": icons,
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


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


# Error answers: under /api/ always JSON `{"detail": ...}` in the request's language
# (LocaleMiddleware has chosen it), elsewhere the bilingual pages of templates/.


def _is_api(request) -> bool:
    return request.path_info == "/api" or request.path_info.startswith("/api/")


def bad_request(request, exception):
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Bad request: the address could not be read.")}, status=400
        )
    return defaults.bad_request(request, exception)


def api_not_found(request):
    """Every address under /api/ no route serves, whatever the method and DEBUG.

    A route that matches everything left (rather than handler404) keeps these
    answers JSON with DEBUG on, and keeps APPEND_SLASH away: it cannot redirect a
    POST (with DEBUG on it raises). GET and HEAD are redirected here instead, and
    other methods learn the right address.
    """
    path = request.path_info
    if not path.endswith("/") and _served(f"{path}/"):
        if request.method in ("GET", "HEAD"):
            target = request.get_full_path(force_append_slash=True)
            # The body is JSON too: a client that does not follow redirects can read it.
            moved = _("Moved: addresses of the API end with a slash, as in %(path)s.") % {
                "path": target
            }
            return HttpResponsePermanentRedirect(
                target,
                content=json.dumps({"detail": moved}),
                content_type="application/json",
            )
        detail = _("Not found: addresses of the API end with a slash, as in %(path)s.") % {
            "path": f"{request.path}/"
        }
    else:
        detail = _("Not found: the API has no resource at this address.")
    return JsonResponse({"detail": detail}, status=404)


def _served(path: str) -> bool:
    try:
        return resolve(path).func is not api_not_found
    except Resolver404:
        return False


def server_error(request):
    """Django's 500 handler, except that a database that does not answer is a 503.

    Neither page touches the database nor says anything about the error: both are
    plain templates in French and English, rendered without a context (JSON under
    /api/).
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        if _is_api(request):
            response = JsonResponse(
                {"detail": _("The database is unavailable; please try again in a moment.")},
                status=503,
            )
        else:
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Server error: the request failed; please try again later.")},
            status=500,
        )
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def locked_out(request, response=None, credentials=None):
    """django-axes' lock-out answer, drawn in the admin's frame (its header and title)."""
    context = {
        **admin.site.each_context(request),
        "title": _("Account locked"),
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "admin/locked_out.html", context, status=429)
