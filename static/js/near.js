// The "near" field of a search form: town names offered as one types (fetched once,
// on first use), and a button that fills in the browser's position, asked for only
// when pressed. Without JavaScript the field takes a typed town or coordinates.
(function () {
  "use strict";
  document.querySelectorAll("[data-near]").forEach(function (group) {
    var form = group.closest("form");
    var input = group.querySelector("input[data-places]");
    var radius = group.querySelector("select[name=radius_km]");
    if (!form || !input) return;
    var list = document.getElementById(input.getAttribute("list"));
    var loaded = false;

    function loadPlaces() {
      if (loaded || !list || !window.fetch) return;
      loaded = true;
      fetch(input.dataset.places, { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (names) {
          var fragment = document.createDocumentFragment();
          names.forEach(function (name) {
            var option = document.createElement("option");
            option.value = name;
            fragment.appendChild(option);
          });
          list.appendChild(fragment);
        })
        .catch(function () {
          loaded = false; // try again on the next focus
        });
    }
    input.addEventListener("focus", loadPlaces);
    input.addEventListener("input", loadPlaces);

    // No place, no radius in the address.
    form.addEventListener("submit", function () {
      if (!input.value.trim()) {
        input.disabled = true;
        if (radius) radius.disabled = true;
      }
    });
    window.addEventListener("pageshow", function () {
      input.disabled = false;
      if (radius) radius.disabled = false;
    });
    // A new radius applies at once when a place is given (the directory reloads on change).
    if (radius) {
      radius.addEventListener("change", function (event) {
        if (!input.value.trim()) event.stopPropagation();
      });
    }

    var row = group.querySelector("[data-near-me-row]");
    var button = group.querySelector("[data-near-me]");
    var status = group.querySelector("[data-near-status]");
    if (!row || !button || !navigator.geolocation) return;
    row.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.locating;
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          input.value =
            position.coords.latitude.toFixed(4) + "," + position.coords.longitude.toFixed(4);
          status.textContent = "";
          form.requestSubmit ? form.requestSubmit() : form.submit();
        },
        function () {
          status.textContent = button.dataset.failed;
          button.disabled = false;
        },
        { maximumAge: 600000, timeout: 15000 }
      );
    });
  });
})();
