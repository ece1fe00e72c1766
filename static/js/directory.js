// The directory and the map: a change of facet or order applies at once; the filters
// panel is open on wide screens and stays as it was across the reload a change causes.
(function () {
  "use strict";
  var form = document.getElementById("directory-form");
  var panel = document.getElementById("filters-panel");
  if (!form || !panel) return;
  var wide = window.matchMedia("(min-width: 48rem)");
  var KEY = "directory-focus";

  document.querySelectorAll(".without-js").forEach(function (element) {
    element.hidden = true;
  });

  var kept = null;
  try {
    kept = JSON.parse(sessionStorage.getItem(KEY) || "null");
    sessionStorage.removeItem(KEY);
  } catch (error) {
    kept = null;
  }
  panel.open = wide.matches || Boolean(kept && kept.panelOpen);
  wide.addEventListener("change", function (event) {
    if (event.matches) panel.open = true;
  });
  if (kept && kept.focus) {
    var target = document.getElementById(kept.focus);
    if (target) {
      var more = target.closest("details.facet-more");
      if (more) more.open = true;
      target.focus();
    }
  }

  function applyNow(event) {
    var field = event.target;
    if (field.type !== "checkbox" && field.name !== "sort" && field.name !== "radius_km") return;
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ focus: field.id, panelOpen: panel.open }));
    } catch (error) {
      // Without storage the page still updates; only the focus is not kept.
    }
    // A new filter or order starts from the first page (the form holds no page number).
    form.requestSubmit ? form.requestSubmit() : form.submit();
  }
  var sort = document.getElementById("sort");
  form.addEventListener("change", applyNow);
  // An empty search and the default order stay out of the address.
  form.addEventListener("submit", function () {
    var q = form.elements.q;
    if (q && !q.value) q.disabled = true;
    if (sort && !sort.value) sort.disabled = true;
  });
  // Back from the next page, the browser may show this one as it was left: searchable again.
  window.addEventListener("pageshow", function () {
    if (form.elements.q) form.elements.q.disabled = false;
    if (sort) sort.disabled = false;
  });
  if (sort) sort.addEventListener("change", applyNow);
})();
