// The enterprise page's small map: one marker at the enterprise's point. The address
// and the directions link beside it say the same without JavaScript.
(function () {
  "use strict";
  var element = document.getElementById("enterprise-map");
  if (!element || typeof L === "undefined" || !window.portalMap) {
    return;
  }
  element.classList.add("map-ready");
  var point = [Number(element.dataset.lat), Number(element.dataset.lon)];
  var map = window.portalMap(element, { map: { scrollWheelZoom: false } }).setView(point, 15);
  L.marker(point, { alt: element.dataset.name, keyboard: false }).addTo(map);
})();
