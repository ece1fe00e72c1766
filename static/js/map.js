// The map of enterprises: Leaflet with marker clustering, fed by the GeoJSON of
// the directory's current search. The page lists the same results without it.
// Past a few thousand enterprises the server sends clusters (a count per cell of
// a grid) instead of points; the map then asks again for what is in view as it
// moves and zooms, until the server sends the points themselves.
// The list beside the map and the markers point at each other: hovering or
// focusing an item highlights its marker (or the cluster holding it); opening a
// marker marks its items in the list. Enterprises at one address share one marker.
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

  var listBox = document.querySelector(".map-list");
  var listItems = {}; // an enterprise's page address -> its item in the list
  var markerByUrl = {}; // an enterprise's page address -> its marker
  var highlighted = null;
  var marked = [];
  if (listBox) {
    listBox.querySelectorAll("li").forEach(function (item) {
      var link = item.querySelector("a");
      if (link) {
        listItems[link.getAttribute("href")] = item;
      }
    });
  }

  function groupLabel(count) {
    return (element.dataset.groupLabel || "{count}").replace("{count}", String(count));
  }

  function entry(properties) {
    var wrapper = document.createDocumentFragment();
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    wrapper.appendChild(link);
    if (properties.city) {
      wrapper.appendChild(document.createTextNode(" — " + properties.city));
    }
    return wrapper;
  }

  function popup(place) {
    var wrapper = document.createElement("div");
    if (place.length === 1) {
      wrapper.appendChild(entry(place[0]));
      return wrapper;
    }
    var heading = document.createElement("p");
    heading.className = "map-popup-heading";
    heading.textContent = groupLabel(place.length);
    var list = document.createElement("ul");
    list.className = "map-popup-list";
    place.forEach(function (properties) {
      var item = document.createElement("li");
      item.appendChild(entry(properties));
      list.appendChild(item);
    });
    wrapper.appendChild(heading);
    wrapper.appendChild(list);
    return wrapper;
  }

  // The marker itself, or the cluster that holds it at this zoom.
  function highlight(marker) {
    if (highlighted) {
      var previous = highlighted.getElement();
      if (previous) {
        previous.classList.remove("is-highlighted");
      }
      highlighted.setZIndexOffset(0);
      highlighted = null;
    }
    var shown = marker ? points.getVisibleParent(marker) : null;
    var icon = shown ? shown.getElement() : null;
    if (!icon) {
      return;
    }
    icon.classList.add("is-highlighted");
    shown.setZIndexOffset(1000);
    highlighted = shown;
  }

  function markItems(place) {
    marked.forEach(function (item) {
      item.classList.remove("is-current");
      item.querySelector("a").removeAttribute("aria-current");
    });
    marked = [];
    place.forEach(function (properties) {
      var item = listItems[properties.url];
      if (item) {
        item.classList.add("is-current");
        item.querySelector("a").setAttribute("aria-current", "true");
        marked.push(item);
      }
    });
    // Where the list scrolls on its own (wide screens), bring the first one into it.
    if (marked.length && listBox.scrollHeight > listBox.clientHeight + 1) {
      var offset = marked[0].getBoundingClientRect().top - listBox.getBoundingClientRect().top;
      listBox.scrollTop += offset - listBox.clientHeight / 3;
    }
  }

  function placeMarker(latlng, place) {
    var title = place.length === 1 ? place[0].name : groupLabel(place.length);
    var marker = L.marker(latlng, { title: title, alt: title });
    // Built when opened, not for every marker up front.
    marker.bindPopup(function () {
      return popup(place);
    });
    marker.on("popupopen", function () {
      markItems(place);
    });
    marker.on("popupclose", function () {
      markItems([]);
    });
    place.forEach(function (properties) {
      markerByUrl[properties.url] = marker;
    });
    return marker;
  }

  function itemMarker(target) {
    var item = target.closest ? target.closest("li") : null;
    var link = item ? item.querySelector("a") : null;
    return link ? markerByUrl[link.getAttribute("href")] || null : null;
  }

  if (listBox) {
    listBox.addEventListener("mouseover", function (event) {
      highlight(itemMarker(event.target));
    });
    listBox.addEventListener("mouseleave", function () {
      highlight(null);
    });
    listBox.addEventListener("focusin", function (event) {
      highlight(itemMarker(event.target));
    });
    listBox.addEventListener("focusout", function () {
      highlight(null);
    });
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
        var places = {}; // "longitude,latitude" -> the enterprises at that point
        var order = [];
        var shown = 0;
        var clustered = false;
        highlight(null);
        markerByUrl = {};
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
          var key = coordinates.join(",");
          if (!places[key]) {
            places[key] = { latlng: latlng, enterprises: [] };
            order.push(key);
          }
          places[key].enterprises.push(feature.properties);
        });
        order.forEach(function (key) {
          places[key].enterprises.sort(function (a, b) {
            return a.name.localeCompare(b.name, document.documentElement.lang);
          });
          markers.push(placeMarker(places[key].latlng, places[key].enterprises));
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
