from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from chantier import views
from chantier.floor import floor_view
from chantier.sitemaps import SITEMAPS
from entreprises.views import EmbedMapView

# A pole's page lists its enterprises: composed here, above both apps.
POLE_PAGES = [
    path("poles/", views.PoleListView.as_view(), name="list"),
    path("poles/<slug:slug>/", views.PoleDetailView.as_view(), name="detail"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("chantier.api")),
    # After the API's routes: every other address under /api/ is a JSON 404.
    re_path(r"^api(?:/[\s\S]*)?\Z", views.api_not_found),
    # For other sites to frame: outside the language prefix, in the visitor's language.
    path("embed/map/", EmbedMapView.as_view(), name="embed-map"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path(_("statistics/"), views.StatisticsView.as_view(), name="statistics"),
    path(_("statistics/<slug:table>.csv"), views.statistics_csv, name="statistics-csv"),
    path(_("about/"), views.AboutView.as_view(), name="about"),
    path(_("accessibility/"), views.AccessibilityView.as_view(), name="accessibility"),
    path(_("privacy/"), views.PrivacyView.as_view(), name="privacy"),
    path(_("open-data/"), views.OpenDataView.as_view(), name="open-data"),
    path("", include("entreprises.urls")),
    path("", include((POLE_PAGES, "poles"))),
    path("", include("evenements.urls")),
    path("", include("contributions.urls")),
)

handler400 = "chantier.views.bad_request"
handler500 = "chantier.views.server_error"
if settings.BENCH_FLOOR:
    # Only on the benchmark's own server (see chantier/floor.py).
    urlpatterns += [path("bench/floor/", floor_view, name="bench-floor")]
