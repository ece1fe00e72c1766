// What every Leaflet map of the portal sets up alike (the map page and its embed, the
// small maps of pole and enterprise pages, the admin's coordinate picker), read from
// the map element's data attributes: marker images, zoom buttons with translated
// titles, the tile layer, and a notice when its tiles fail to load.
// Load it after leaflet.js and before the script that draws the map.
window.portalMap = function (element, options) {
  "use strict";
  // Leaflet guesses its images' folder from leaflet.css, which fails once static file
  // names carry a hash (production): it then asks the page's own folder. The page
  // gives the images' URLs instead.
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: element.dataset.markerIcon,
    iconRetinaUrl: element.dataset.markerIcon2x,
    shadowUrl: element.dataset.markerShadow,
  });
  var map = L.map(element, L.extend({}, options && options.map, { zoomControl: false }));
  L.control
    .zoom({ zoomInTitle: element.dataset.zoomIn, zoomOutTitle: element.dataset.zoomOut })
    .addTo(map);
  var tiles = L.tileLayer(element.dataset.tiles, {
    maxZoom: (options && options.maxZoom) || 18,
    attribution: element.dataset.attribution,
  }).addTo(map);
  // Without its tiles the map is a grey box: say so rather than leave it silent
  // (where the page gives the words for it).
  var tileNotice = null;
  tiles.on("tileerror", function () {
    if (tileNotice || !element.dataset.tileError) {
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
  return map;
};
