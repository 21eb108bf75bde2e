/* Linli appeals: the public map of solved problems. The grid map is drawn by web/map.js (an .ap-map, data-mode="show");
 * this adds a pin per solved appeal from data-solved-url, each linking to its public page. No inline script. */
(function () {
  "use strict";

  function draw(el) {
    if (!el.apMap) return setTimeout(function () { draw(el); }, 100);
    fetch(el.dataset.solvedUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.ok ? r.json() : { items: [] };
      })
      .then(function (data) {
        var pins = [];
        (data.items || []).forEach(function (i) {
          if (i.lat === null || i.lng === null) return;
          var link = document.createElement("a");
          link.href = i.url;
          link.textContent = i.subject || i.category;
          var box = document.createElement("div");
          box.appendChild(link);
          box.appendChild(document.createElement("br"));
          box.appendChild(document.createTextNode(i.place + " · " + i.resolved));
          pins.push(L.circleMarker([i.lat, i.lng], { radius: 8, color: "#fff", weight: 2, fillColor: "#16a34a", fillOpacity: 0.9 }).bindPopup(box));
        });
        // The grid map (web/map.js) already shows the whole territory, every pin inside it.
        if (pins.length) L.featureGroup(pins).addTo(el.apMap);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("solved-map");
    if (el && typeof L !== "undefined") draw(el);
  });
})();
