from django.urls import path
from django.utils.translation import gettext_lazy as _

from entreprises import feeds, views

app_name = "entreprises"

urlpatterns = [
    path(_("enterprises/"), views.DirectoryView.as_view(), name="directory"),
    path(_("enterprises/new.atom"), feeds.NewEnterprisesFeed(), name="feed"),
    path(_("enterprises/places.json"), views.PlacesView.as_view(), name="places"),
    path(_("enterprises/<slug:slug>/"), views.EnterpriseDetailView.as_view(), name="detail"),
    path(_("sectors/"), views.SectorListView.as_view(), name="sectors"),
    path(_("sectors/<slug:slug>/"), views.SectorDetailView.as_view(), name="sector"),
    path(_("sectors/<slug:slug>/new.atom"), feeds.SectorNewEnterprisesFeed(), name="sector-feed"),
    path(_("poles/<slug:slug>/new.atom"), feeds.PoleNewEnterprisesFeed(), name="pole-feed"),
    path(_("map/"), views.MapView.as_view(), name="map"),
    path(_("map/enterprises.geojson"), views.MapDataView.as_view(), name="map-data"),
]
