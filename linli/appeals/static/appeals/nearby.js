/* Linli appeals, reporting page: the place search moves the pin (el.apPlace of web/map.js), and the open
 * public appeals listed under the map (partials/nearby.html, loaded by htmx) are drawn as pins on the map.
 * No inline script (CSP); no external geocoder: the places come from the territory (appeals:places).
 */
(function () {
  "use strict";
  // Leaflet inserts a string as HTML: names people typed go in as a text node (site.js).
  var asText = window.Linli.asText;

  var layer = null;

  function mapEl() {
    return document.getElementById("appeal-map");
  }

  function drawNearby(root) {
    var el = mapEl();
    if (!el || !el.apMap || typeof L === "undefined") return;
    var list = root.querySelector ? root.querySelector("[data-nearby]") : null;
    if (!list) return;
    if (layer) layer.remove();
    layer = L.layerGroup().addTo(el.apMap);
    list.querySelectorAll("[data-nearby-item]").forEach(function (item) {
      var lat = parseFloat(item.dataset.lat), lng = parseFloat(item.dataset.lng);
      if (isNaN(lat) || isNaN(lng)) return;
      L.circleMarker([lat, lng], { radius: 8, color: "#fff", weight: 2, fillColor: "#b45309", fillOpacity: 0.9 })
        .bindTooltip(asText(item.dataset.label))
        .on("click", function () {
          item.scrollIntoView({ behavior: "smooth", block: "center" });
        })
        .addTo(layer);
    });
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("[data-place]") : null;
    if (!button) return;
    var el = mapEl();
    var lat = parseFloat(button.dataset.lat), lng = parseFloat(button.dataset.lng);
    if (el && el.apPlace && !isNaN(lat) && !isNaN(lng)) {
      el.apPlace(lat, lng);
      el.scrollIntoView({ behavior: "smooth", block: "center" });
    }
    var results = document.getElementById("place-results");
    if (results) results.innerHTML = "";
  });

  // Enter in the search box searches; it must not submit the appeal.
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target && e.target.id === "place-search") {
      e.preventDefault();
      e.target.dispatchEvent(new Event("search", { bubbles: true }));
    }
  });

  document.addEventListener("htmx:afterSettle", function (e) {
    drawNearby(e.target);
  });
})();
