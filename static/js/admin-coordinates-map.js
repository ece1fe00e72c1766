// The enterprise form's map (entreprises/admin_widgets.py): a click places the marker,
// dragging moves it, and both fill the latitude and longitude fields; typing in the
// fields moves the marker. Opens on the record's position, else on the pole's territory.
// The admin loads its form's scripts in the head: the map starts once the page is read.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var element = document.getElementById("coordinates-map");
  if (!element || typeof L === "undefined" || !window.portalMap) {
    return;
  }
  var latitude = document.getElementById(element.dataset.latitude);
  var longitude = document.getElementById(element.dataset.longitude);
  if (!latitude || !longitude) {
    return;
  }
  var map = window.portalMap(element, { maxZoom: 19 });
  var marker = null;

  function typed() {
    var lat = parseFloat(latitude.value.replace(",", "."));
    var lon = parseFloat(longitude.value.replace(",", "."));
    return isNaN(lat) || isNaN(lon) ? null : L.latLng(lat, lon);
  }

  function fill(latlng) {
    latitude.value = latlng.lat.toFixed(6);
    longitude.value = latlng.lng.toFixed(6);
    [latitude, longitude].forEach(function (input) {
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function place(latlng) {
    if (marker) {
      marker.setLatLng(latlng);
      return;
    }
    var label = element.dataset.markerLabel;
    marker = L.marker(latlng, { draggable: true, title: label, alt: label }).addTo(map);
    marker.on("dragend", function () {
      fill(marker.getLatLng());
    });
  }

  var start = typed();
  if (start) {
    place(start);
    map.setView(start, 14);
  } else {
    var b = element.dataset.bounds.split(",").map(Number);
    map.fitBounds(b.length === 4 ? [[b[0], b[1]], [b[2], b[3]]] : [[45, -79.8], [62.6, -57.1]], {
      padding: [20, 20],
      maxZoom: 13,
    });
  }
  map.on("click", function (event) {
    place(event.latlng);
    fill(event.latlng);
  });
  [latitude, longitude].forEach(function (input) {
    input.addEventListener("input", function () {
      var latlng = typed();
      if (latlng) {
        place(latlng);
        map.panTo(latlng);
      }
    });
  });
});
