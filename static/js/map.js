// The map of enterprises: Leaflet with marker clustering, fed by the GeoJSON of
// the directory's current search. The page lists the same results without it.
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || typeof L === "undefined") {
    return;
  }
  element.classList.add("map-ready");
  var fallback = element.querySelector(".map-fallback");
  if (fallback) {
    fallback.remove();
  }
  var map = L.map(element, { preferCanvas: true }).setView([47.5, -71.5], 5);
  L.tileLayer(element.dataset.tiles, {
    maxZoom: 18,
    attribution: element.dataset.attribution,
  }).addTo(map);
  // Markers are added in chunks so the page stays responsive; the map says it
  // is ready (data-loaded) once the last chunk is in.
  var clusters = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    chunkProgress: function (processed, total) {
      if (total > 0 && processed === total) {
        element.dataset.loaded = String(total);
      }
    },
  });
  map.addLayer(clusters);

  function popup(properties) {
    var wrapper = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    wrapper.appendChild(link);
    if (properties.city) {
      wrapper.appendChild(document.createTextNode(" — " + properties.city));
    }
    return wrapper;
  }

  fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    })
    .then(function (collection) {
      var markers = collection.features.map(function (feature) {
        var coordinates = feature.geometry.coordinates;
        var marker = L.marker([coordinates[1], coordinates[0]], {
          title: feature.properties.name,
          alt: feature.properties.name,
        });
        // Built when opened, not for every marker up front.
        marker.bindPopup(function () {
          return popup(feature.properties);
        });
        return marker;
      });
      if (!markers.length) {
        element.dataset.loaded = "0";
        return;
      }
      map.fitBounds(
        L.latLngBounds(markers.map(function (marker) { return marker.getLatLng(); })),
        { maxZoom: 12 }
      );
      clusters.addLayers(markers);
    })
    .catch(function (error) {
      element.dataset.loaded = "error";
      console.error("map:", error);
    });
})();
