// Names for the admin's form controls that Django's tabular inlines and select2 leave
// without one (axe-core: label, aria-input-field-name, empty-table-header): a control in
// a table takes its column's header; select2's box takes its select's label.
(function () {
  "use strict";

  function columnHeader(control) {
    var cell = control.closest("td");
    var table = cell && cell.closest("table");
    if (!table) {
      return "";
    }
    var header = table.querySelectorAll("thead th")[cell.cellIndex];
    return header ? header.textContent.trim() : "";
  }

  function nameOf(control) {
    var label = control.id && document.querySelector("label[for='" + control.id + "']");
    return (label && label.textContent.replace(/:\s*$/, "").trim()) || columnHeader(control);
  }

  function name(root) {
    root.querySelectorAll(".tabular input, .tabular select").forEach(function (control) {
      if (control.type !== "hidden" && !control.hasAttribute("aria-label")) {
        var text = nameOf(control);
        if (text) {
          control.setAttribute("aria-label", text);
        }
      }
    });
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var text = nameOf(select);
      var boxes = select.parentElement.querySelectorAll(
        ".select2-selection[role='combobox'], .select2-selection__rendered[role='textbox']"
      );
      boxes.forEach(function (box) {
        if (text) {
          // select2 names the box by its shown value, which is empty before a choice.
          box.removeAttribute("aria-labelledby");
          box.setAttribute("aria-label", text);
        }
      });
    });
    root.querySelectorAll(".tabular thead th.original").forEach(function (header) {
      // An empty header cell is no header: it becomes a plain cell.
      var cell = document.createElement("td");
      cell.className = header.className;
      header.replaceWith(cell);
    });
  }

  // Django's scripts draw the select2 boxes when jQuery is ready, which may come after the
  // page's load: every box drawn is named as it appears.
  document.addEventListener("DOMContentLoaded", function () {
    name(document);
    new MutationObserver(function (mutations) {
      var drawn = mutations.some(function (mutation) {
        return Array.prototype.some.call(mutation.addedNodes, function (node) {
          return node.classList && node.classList.contains("select2");
        });
      });
      if (drawn) {
        name(document);
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  document.addEventListener("formset:added", function (event) {
    window.setTimeout(function () {
      name(event.target);
    });
  });
})();
