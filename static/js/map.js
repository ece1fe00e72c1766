// The map of enterprises: Leaflet with marker clustering, fed by the GeoJSON of
// the directory's current search. The page lists the same results without it.
// Past a few thousand enterprises the server sends clusters (a count per cell of
// a grid) instead of points; the map then asks again for what is in view as it
// moves and zooms, until the server sends the points themselves.
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
  // Leaflet guesses its images' folder from leaflet.css, which fails once static file
  // names carry a hash (production): it then asks the page's own folder. The page
  // gives the images' URLs instead.
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: element.dataset.markerIcon,
    iconRetinaUrl: element.dataset.markerIcon2x,
    shadowUrl: element.dataset.markerShadow,
  });
  var map = L.map(element, { preferCanvas: true }).setView([47.5, -71.5], 5);
  var tiles = L.tileLayer(element.dataset.tiles, {
    maxZoom: 18,
    attribution: element.dataset.attribution,
  }).addTo(map);
  // Without its tiles the map is a grey box: say so rather than leave it silent.
  var tileNotice = null;
  tiles.on("tileerror", function () {
    if (tileNotice) {
      return;
    }
    tileNotice = L.control({ position: "topright" });
    tileNotice.onAdd = function () {
      var notice = L.DomUtil.create("p", "map-notice");
      notice.setAttribute("role", "status");
      notice.textContent = element.dataset.tileError;
      L.DomEvent.disableClickPropagation(notice);
      return notice;
    };
    tileNotice.addTo(map);
  });
  var points = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
  var cells = L.featureGroup();
  map.addLayer(points);
  map.addLayer(cells);
  var complete = false; // every result is on the map: no need to ask again
  var latest = 0;

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

  function cellMarker(latlng, count) {
    var size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
    var label = (element.dataset.clusterLabel || "{count}").replace("{count}", String(count));
    var marker = L.marker(latlng, {
      icon: L.divIcon({
        html: "<div><span>" + String(count) + "</span></div>",
        className: "marker-cluster marker-cluster-" + size,
        iconSize: L.point(40, 40),
      }),
      title: label,
      alt: label,
    });
    marker.on("click", function () {
      map.setView(latlng, Math.min(map.getZoom() + 2, 18));
    });
    return marker;
  }

  function url(withView) {
    var address = new URL(element.dataset.geojson, window.location.href);
    if (withView) {
      var bounds = map.getBounds().pad(0.2);
      address.searchParams.set(
        "bbox",
        [
          Math.max(bounds.getWest(), -180),
          Math.max(bounds.getSouth(), -90),
          Math.min(bounds.getEast(), 180),
          Math.min(bounds.getNorth(), 90),
        ]
          .map(function (value) {
            return value.toFixed(4);
          })
          .join(",")
      );
      address.searchParams.set("zoom", String(map.getZoom()));
    }
    return address.toString();
  }

  function load(withView) {
    var request = ++latest;
    return fetch(url(withView), { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (collection) {
        if (request !== latest) {
          return null; // an answer to a view the map has already left
        }
        var markers = [];
        var shown = 0;
        var clustered = false;
        points.clearLayers();
        cells.clearLayers();
        collection.features.forEach(function (feature) {
          var coordinates = feature.geometry.coordinates;
          var latlng = [coordinates[1], coordinates[0]];
          if (feature.properties.cluster) {
            clustered = true;
            shown += feature.properties.count;
            cells.addLayer(cellMarker(latlng, feature.properties.count));
            return;
          }
          shown += 1;
          var marker = L.marker(latlng, {
            title: feature.properties.name,
            alt: feature.properties.name,
          });
          // Built when opened, not for every marker up front.
          marker.bindPopup(function () {
            return popup(feature.properties);
          });
          markers.push(marker);
        });
        points.addLayers(markers);
        if (!withView) {
          complete = !clustered;
        }
        element.dataset.loaded = String(shown);
        // From the markers themselves: the cluster group fills in chunks, later.
        var bounds = L.latLngBounds(
          markers.map(function (marker) {
            return marker.getLatLng();
          })
        );
        if (clustered) {
          bounds.extend(cells.getBounds());
        }
        return bounds;
      })
      .catch(function (error) {
        element.dataset.loaded = "error";
        console.error("map:", error);
        return null;
      });
  }

  load(false).then(function (bounds) {
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { maxZoom: 12 });
    }
    map.on("moveend", function () {
      if (!complete) {
        load(true);
      }
    });
  });
})();
