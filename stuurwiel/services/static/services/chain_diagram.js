// "Download PNG": the standalone SVG drawn on a canvas at twice its size, saved as PNG.
// Made in the browser, so the server needs no rasteriser (and no system package).
// Delegated from the document: a button that HTMX swaps in (the model graph's
// figure after a filter change) works like the one the page came with.
(function () {
  "use strict";
  if (!window.HTMLCanvasElement || !HTMLCanvasElement.prototype.toBlob) return;

  function reveal() {
    document.querySelectorAll("[data-chain-png]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function fail(button) {
    var error = document.querySelector(".chain-png-error");
    if (error) { error.textContent = button.dataset.failed; error.hidden = false; }
    button.disabled = false;
  }

  function save(button, svg) {
    var doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    var root = doc.documentElement;
    var box = (root.getAttribute("viewBox") || "").split(/[\s,]+/).map(parseFloat);
    var width = parseFloat(root.getAttribute("width")) || box[2];
    var height = parseFloat(root.getAttribute("height")) || box[3];
    if (!width || !height) return fail(button);
    var image = new Image();
    image.onload = function () {
      var scale = 2;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      var context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        if (!blob) return fail(button);
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = button.dataset.filename;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
        button.disabled = false;
      }, "image/png");
    };
    image.onerror = function () { fail(button); };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-chain-png]") : null;
    if (!button || button.disabled) return;
    button.disabled = true;
    fetch(button.dataset.chainPng, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (svg) { save(button, svg); })
      .catch(function () { fail(button); });
  });
  reveal();
  document.addEventListener("htmx:afterSwap", reveal);
})();
