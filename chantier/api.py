"""The one router of the partner API: every resource under /api/v1/, its schema and docs."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import include, path
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from chantier.api_releases import ReleaseViewSet
from chantier.api_webhooks import WebhookViewSet
from common.api.views import JsonErrorsMixin
from entreprises.api.views import (
    EnterpriseCSVViewSet,
    EnterpriseGeoJSONViewSet,
    EnterpriseJSONLDViewSet,
    EnterpriseViewSet,
    SectorViewSet,
)
from evenements.api.views import EventViewSet, OrganizationViewSet
from poles.api.views import PoleViewSet, RegionViewSet


class ApiRouter(DefaultRouter):
    include_format_suffixes = False


class SchemaView(JsonErrorsMixin, SpectacularAPIView):
    """The schema in English unless `?lang=` asks otherwise: titles and labels name
    what a generated client's classes and parameters are called."""

    def _get_schema_response(self, request):
        if request.GET.get("lang"):  # already in that language (SpectacularAPIView.get)
            return super()._get_schema_response(request)
        with translation.override("en"):
            return super()._get_schema_response(request)


class DocsView(JsonErrorsMixin, SpectacularSwaggerSplitView):
    pass


router = ApiRouter(trailing_slash=True)
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("poles", PoleViewSet, basename="pole")
router.register("regions", RegionViewSet, basename="region")
router.register("sectors", SectorViewSet, basename="sector")
router.register("events", EventViewSet, basename="event")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("releases", ReleaseViewSet, basename="release")

app_name = "api"

# Swagger UI sets styles from its scripts and shows data: images; its scripts stay 'self'.
api_docs = csp_replace(
    {"style-src": [SELF, UNSAFE_INLINE], "img-src": [SELF, "data:"], "font-src": None}
)(DocsView.as_view(url_name="api:schema", throttle_classes=[]))

# The enterprise list in one format per address, for generated clients (entreprises/api/views.py).
ONE_FORMAT_LISTS = [
    path(
        f"v1/enterprises.{view.renderer_classes[0].format}",
        view.as_view({"get": "list"}, basename="enterprise", detail=False),
    )
    for view in (EnterpriseCSVViewSet, EnterpriseGeoJSONViewSet, EnterpriseJSONLDViewSet)
]

# Partners' own webhooks: not a public resource, so not in the index (docs/api.md).
webhooks = ApiRouter(trailing_slash=True)
webhooks.include_root_view = False
webhooks.register("webhooks", WebhookViewSet, basename="webhook")

urlpatterns = [
    path("v1/", include(webhooks.urls)),
    path("v1/", include(router.urls)),
    *ONE_FORMAT_LISTS,
    # The documentation is the same for everybody and reads no data: never rate-limited.
    path("schema/", SchemaView.as_view(throttle_classes=[]), name="schema"),
    path("docs/", api_docs, name="docs"),
]
