// One language switch per admin form: the rows of translated fields (modeltranslation
// marks their widgets "mt-field-<name>-<language>") show in the language chosen. A row
// with an error in the other language opens that language first.
// Loaded in the head with the form's media: it waits for the form.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var switcher = document.querySelector(".language-switch");
  if (!switcher) {
    return;
  }
  var rows = {};
  document.querySelectorAll("[class*='mt-field-']").forEach(function (widget) {
    var match = /(?:^|\s)mt-field-\S+-([a-z]{2})(?:\s|$)/.exec(widget.className);
    var row = widget.closest(".form-row");
    if (!match || !row) {
      return;
    }
    (rows[match[1]] = rows[match[1]] || []).push(row);
  });
  var buttons = switcher.querySelectorAll("button[data-language]");
  if (Object.keys(rows).length < 2) {
    return;
  }
  function show(language) {
    Object.keys(rows).forEach(function (code) {
      rows[code].forEach(function (row) {
        row.hidden = code !== language;
      });
    });
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.language === language));
    });
  }
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      show(button.dataset.language);
    });
  });
  var first = buttons[0].dataset.language;
  Object.keys(rows).forEach(function (code) {
    if (rows[code].some(function (row) { return row.querySelector(".errorlist"); })) {
      first = rows[first].some(function (row) { return row.querySelector(".errorlist"); })
        ? first
        : code;
    }
  });
  switcher.hidden = false;
  show(first);
});
