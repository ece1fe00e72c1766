// The page of an import that waits or runs: every few seconds, its status block is read
// again and replaced, until the import has ended (the block then has no refresh delay).
// Without JavaScript, the page's "Check again" link does the same by hand.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  function check() {
    var current = document.getElementById("import-status");
    var seconds = current && Number(current.dataset.refreshSeconds);
    if (!seconds) {
      return;
    }
    window.setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          var fresh = new DOMParser()
            .parseFromString(html, "text/html")
            .getElementById("import-status");
          if (fresh) {
            current.replaceWith(fresh);
          }
          check();
        })
        .catch(check);
    }, seconds * 1000);
  }
  check();
});
