/* The Service Model Canvas page: inline editing through htmx (see
   stuurwiel/services/views/canvas.py). The page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("canvas-js");

  // htmx 2 does not swap error answers; on the canvas a refused save (400, with
  // the field error) and an edit conflict (409, their text beside yours) are
  // fragments to show in place, so nothing typed is lost.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var elt = event.detail.elt;
    if ((status === 400 || status === 409) && elt && elt.closest && elt.closest(".canvas")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // In an inline editor: Ctrl+Enter (Cmd+Enter) saves, Escape cancels.
  document.addEventListener("keydown", function (event) {
    var form = event.target.closest && event.target.closest(".canvas-editor");
    if (!form) return;
    if (event.key === "Escape") {
      var cancel = form.querySelector("[data-cancel]");
      if (cancel) { event.preventDefault(); cancel.click(); }
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
})();
