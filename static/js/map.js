// The map of enterprises: Leaflet with marker clustering, fed by the GeoJSON of
// the directory's current search. The page lists the same results without it.
// Past a few thousand enterprises the server sends clusters (a count per cell of
// a grid) instead of points; the map then asks again for what is in view as it
// moves and zooms, until the server sends the points themselves.
// The list beside the map and the markers point at each other: hovering or
// focusing an item highlights its marker (or the cluster holding it); opening a
// marker marks its items in the list. Enterprises at one address share one marker.
// Where the map looks (lat, lon, z) is kept in the page's address as it moves, so a
// reload, a change of filter, the language switch and the list keep it; once moved,
// "Search this area" keeps only the results inside the visible box (`bbox`).
// Over 350 lines: the markers, the list, the address and "search this area" all work
// on one Leaflet map and its state, which files of their own would have to share
// through a global.
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || typeof L === "undefined" || !window.portalMap) {
    return;
  }
  element.classList.add("map-ready");
  var fallback = element.querySelector(".map-fallback");
  if (fallback) {
    fallback.remove();
  }
  var map = window.portalMap(element, { map: { preferCanvas: true } });
  var form = document.getElementById("directory-form");
  var area = boxBounds(element.dataset.bbox); // the area the results are limited to
  var asked = element.dataset.zoom
    ? { lat: Number(element.dataset.lat), lon: Number(element.dataset.lon), z: Number(element.dataset.zoom) }
    : null;
  var quiet = false; // moves the page makes itself, not the visitor
  var remembered = null; // the view last written into the address
  var chosen = Boolean(asked); // a view the visitor asked for, to keep across reloads

  function boxBounds(text) {
    var numbers = (text || "").split(",").map(Number);
    if (numbers.length !== 4 || numbers.some(isNaN)) {
      return null;
    }
    return L.latLngBounds([numbers[1], numbers[0]], [numbers[3], numbers[2]]);
  }

  function quietly(move) {
    quiet = true;
    try {
      move();
    } finally {
      quiet = false;
    }
  }

  quietly(function () {
    if (asked) {
      map.setView([asked.lat, asked.lon], asked.z, { animate: false });
    } else if (area) {
      map.fitBounds(area, { animate: false });
    } else {
      map.setView([47.5, -71.5], 5, { animate: false });
    }
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
    if (element.dataset.linkTarget) {
      // Framed by another site (the embeddable map): the portal's pages open outside it.
      link.target = element.dataset.linkTarget;
      link.rel = "noopener";
    }
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
    marker.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", element.dataset.closePopup);
        close.title = element.dataset.closePopup;
      }
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
      var box = [
        Math.max(bounds.getWest(), -180),
        Math.max(bounds.getSouth(), -90),
        Math.min(bounds.getEast(), 180),
        Math.min(bounds.getNorth(), 90),
      ];
      if (area) {
        // Only what is both in view and in the area searched.
        box = [
          Math.max(box[0], area.getWest()),
          Math.max(box[1], area.getSouth()),
          Math.min(box[2], area.getEast()),
          Math.min(box[3], area.getNorth()),
        ];
        box[2] = Math.max(box[2], box[0]);
        box[3] = Math.max(box[3], box[1]);
      }
      address.searchParams.set("bbox", boxText(box));
      address.searchParams.set("zoom", String(map.getZoom()));
    }
    return address.toString();
  }

  function boxText(box) {
    return box
      .map(function (value) {
        return value.toFixed(4);
      })
      .join(",");
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

  // The view in the address: replaced as the map moves, so going back still leaves the page.
  function currentView() {
    var centre = map.wrapLatLng(map.getCenter());
    return { lat: centre.lat.toFixed(5), lon: centre.lng.toFixed(5), z: String(map.getZoom()) };
  }

  function withView(href, view) {
    var address = new URL(href, window.location.href);
    address.searchParams.set("lat", view.lat);
    address.searchParams.set("lon", view.lon);
    address.searchParams.set("z", view.z);
    return address.toString();
  }

  // Every link that leaves for the same results elsewhere: the other language, the
  // list, a filter's removal.
  function carryView(view) {
    document
      .querySelectorAll(".language-switch a[hreflang], a[data-keeps-view], .active-filters a")
      .forEach(function (link) {
        link.href = withView(link.getAttribute("href"), view);
      });
    document.querySelectorAll("link[rel=alternate][hreflang]").forEach(function (link) {
      link.href = withView(link.getAttribute("href"), view);
    });
  }

  function remember() {
    var view = currentView();
    if (!quiet && remembered && view.z === remembered.z) {
      // A few pixels at the same zoom: the page resized (a phone's address bar), no move.
      var zoom = map.getZoom();
      var before = map.project([Number(remembered.lat), Number(remembered.lon)], zoom);
      if (before.distanceTo(map.project(map.getCenter(), zoom)) < 3) {
        return;
      }
    }
    remembered = view;
    if (quiet) {
      return;
    }
    chosen = true;
    window.history.replaceState(window.history.state, "", withView(window.location.href, view));
    carryView(view);
    searchArea.show();
  }

  // "Search this area": the form again, with the visible box as its area.
  var searchArea = L.control({ position: "topright" });
  searchArea.onAdd = function () {
    var button = L.DomUtil.create("button", "map-search-area");
    button.type = "button";
    button.hidden = true;
    button.textContent = element.dataset.searchArea;
    L.DomEvent.disableClickPropagation(button);
    L.DomEvent.on(button, "click", function () {
      var bounds = map.getBounds();
      var box = [
        Math.max(Math.floor(bounds.getWest() * 1e4) / 1e4, -180),
        Math.max(Math.floor(bounds.getSouth() * 1e4) / 1e4, -90),
        Math.min(Math.ceil(bounds.getEast() * 1e4) / 1e4, 180),
        Math.min(Math.ceil(bounds.getNorth() * 1e4) / 1e4, 90),
      ];
      field("bbox").value = boxText(box);
      try {
        // The directory's script brings the focus to the new results after the reload.
        var panel = document.getElementById("filters-panel");
        sessionStorage.setItem(
          "directory-focus",
          JSON.stringify({ focus: "map-list-title", panelOpen: Boolean(panel && panel.open) })
        );
      } catch (error) {
        // Without storage the focus starts at the top of the page.
      }
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
    this.button = button;
    return button;
  };
  searchArea.show = function () {
    if (this.button && form) {
      this.button.hidden = false;
    }
  };
  searchArea.addTo(map);

  // A hidden field of the form, made when first needed.
  function field(name) {
    var input = form.querySelector('input[type=hidden][name="' + name + '"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    return input;
  }

  if (form) {
    // A change of filter keeps the view the visitor chose; otherwise the map fits the results.
    form.addEventListener("submit", function () {
      if (!chosen) {
        return;
      }
      var view = currentView();
      field("lat").value = view.lat;
      field("lon").value = view.lon;
      field("z").value = view.z;
    });
  }

  var loaded = false;
  remembered = currentView();
  map.on("moveend", function () {
    if (loaded && !complete) {
      load(true);
    }
    remember();
  });
  load(false).then(function (bounds) {
    if (bounds && bounds.isValid()) {
      // The results decide the view unless the visitor chose one that shows some of them.
      var fit = asked ? !map.getBounds().intersects(bounds) : !chosen && !area;
      if (fit) {
        quietly(function () {
          map.fitBounds(bounds, { maxZoom: 12, animate: false });
        });
      }
    }
    loaded = true;
    if (!complete) {
      load(true);
    }
  });
})();
