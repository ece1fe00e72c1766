// A small map on a page (a pole's enterprises): the map page's GeoJSON, filtered the
// same way, drawn with Leaflet and marker clustering. It only shows: the full map and
// the directory, linked beside it, are where to search. Past the server's point limit
// the GeoJSON holds a count per cell instead of points; they are drawn as such.
(function () {
  "use strict";
  var element = document.getElementById("pole-map");
  if (!element || typeof L === "undefined" || !window.portalMap) {
    return;
  }
  element.classList.add("map-ready");
  var fallback = element.querySelector(".map-fallback");
  if (fallback) {
    fallback.remove();
  }
  // The page scrolls past the map: the wheel does not zoom it, the buttons do.
  var map = window.portalMap(element, { map: { scrollWheelZoom: false } });
  map.setView([47.5, -71.5], 5, { animate: false });
  // No animation: the small map is drawn once, and clusters fading in are unreadable meanwhile.
  var points = L.markerClusterGroup({ showCoverageOnHover: false, animate: false });
  map.addLayer(points);

  function pointMarker(latlng, properties) {
    var marker = L.marker(latlng, { title: properties.name, alt: properties.name });
    marker.bindPopup(function () {
      var wrapper = document.createElement("div");
      var link = document.createElement("a");
      link.href = properties.url;
      link.textContent = properties.name;
      wrapper.appendChild(link);
      if (properties.city) {
        wrapper.appendChild(document.createTextNode(" — " + properties.city));
      }
      return wrapper;
    });
    marker.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", element.dataset.closePopup);
        close.title = element.dataset.closePopup;
      }
    });
    return marker;
  }

  function cellMarker(latlng, count) {
    var size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
    var label = (element.dataset.clusterLabel || "{count}").replace("{count}", String(count));
    return L.marker(latlng, {
      icon: L.divIcon({
        html: "<div><span>" + String(count) + "</span></div>",
        className: "marker-cluster marker-cluster-" + size,
        iconSize: L.point(40, 40),
      }),
      title: label,
      alt: label,
    });
  }

  fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    })
    .then(function (collection) {
      var markers = [];
      var cells = [];
      var shown = 0;
      collection.features.forEach(function (feature) {
        var coordinates = feature.geometry.coordinates;
        var latlng = [coordinates[1], coordinates[0]];
        if (feature.properties.cluster) {
          shown += feature.properties.count;
          cells.push(cellMarker(latlng, feature.properties.count).addTo(map));
        } else {
          shown += 1;
          markers.push(pointMarker(latlng, feature.properties));
        }
      });
      points.addLayers(markers);
      var all = markers.concat(cells);
      if (all.length) {
        var bounds = L.latLngBounds(
          all.map(function (marker) {
            return marker.getLatLng();
          })
        );
        map.fitBounds(bounds, { maxZoom: 12, padding: [24, 24], animate: false });
      }
      element.dataset.loaded = String(shown);
    })
    .catch(function (error) {
      element.dataset.loaded = "error";
      console.error("map:", error);
    });
})();
