"""The enterprise form's map: staff click it or drag its marker, and the latitude and
longitude fields fill themselves (static/js/admin-coordinates-map.js); they stay editable."""

from django import forms
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext


class CoordinatesMapWidget(forms.Widget):
    """A map beside the latitude and longitude inputs; it holds no value of its own.

    `bounds` (south, west, north, east) is where it opens when the record has no position.
    """

    bounds: tuple[float, float, float, float] | None = None

    class Media:
        css = {"all": ["vendor/leaflet/leaflet.css"]}
        js = ["vendor/leaflet/leaflet.js", "js/map-base.js", "js/admin-coordinates-map.js"]

    def render(self, name, value, attrs=None, renderer=None):
        bounds = ",".join(f"{number:.5f}" for number in self.bounds or ())
        return format_html(
            '<div id="coordinates-map" class="coordinates-map" role="region" aria-label="{}"'
            ' data-latitude="id_latitude" data-longitude="id_longitude" data-bounds="{}"'
            ' data-tiles="{}" data-attribution="{}" data-marker-icon="{}"'
            ' data-marker-icon-2x="{}" data-marker-shadow="{}" data-marker-label="{}"'
            ' data-zoom-in="{}" data-zoom-out="{}"></div>',
            gettext("Map to place the enterprise"),
            bounds,
            settings.MAP_TILE_URL,
            settings.MAP_TILE_ATTRIBUTION,
            static("vendor/leaflet/images/marker-icon.png"),
            static("vendor/leaflet/images/marker-icon-2x.png"),
            static("vendor/leaflet/images/marker-shadow.png"),
            gettext("The enterprise's position: drag it to move it"),
            gettext("Zoom in"),
            gettext("Zoom out"),
        )

    def value_from_datadict(self, data, files, name):
        return None

    def use_required_attribute(self, initial):
        return False
