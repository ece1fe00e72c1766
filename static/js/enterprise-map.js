// The enterprise page's small map: one marker at the enterprise's point. The address
// and the directions link beside it say the same without JavaScript.
(function () {
  "use strict";
  var element = document.getElementById("enterprise-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  element.classList.add("map-ready");
  // As on the map page: the images' addresses come from the page (hashed static names).
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: element.dataset.markerIcon,
    iconRetinaUrl: element.dataset.markerIcon2x,
    shadowUrl: element.dataset.markerShadow,
  });
  var point = [Number(element.dataset.lat), Number(element.dataset.lon)];
  var map = L.map(element, { zoomControl: false, scrollWheelZoom: false }).setView(point, 15);
  L.control
    .zoom({ zoomInTitle: element.dataset.zoomIn, zoomOutTitle: element.dataset.zoomOut })
    .addTo(map);
  L.tileLayer(element.dataset.tiles, {
    maxZoom: 18,
    attribution: element.dataset.attribution,
  }).addTo(map);
  L.marker(point, { alt: element.dataset.name, keyboard: false }).addTo(map);
})();
