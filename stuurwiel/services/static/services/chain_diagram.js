// "Download PNG": the standalone SVG drawn on a canvas at twice its size, saved as PNG.
// Made in the browser, so the server needs no rasteriser (and no system package).
(function () {
  "use strict";
  var button = document.querySelector("[data-chain-png]");
  if (!button || !window.HTMLCanvasElement || !HTMLCanvasElement.prototype.toBlob) return;
  button.hidden = false;

  function fail() {
    var error = document.querySelector(".chain-png-error");
    if (error) { error.textContent = button.dataset.failed; error.hidden = false; }
    button.disabled = false;
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    fetch(button.dataset.chainPng, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (svg) {
        var doc = new DOMParser().parseFromString(svg, "image/svg+xml");
        var root = doc.documentElement;
        var width = parseFloat(root.getAttribute("width"));
        var height = parseFloat(root.getAttribute("height"));
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
            if (!blob) return fail();
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
        image.onerror = fail;
        image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
      })
      .catch(fail);
  });
})();
