/* Service places on a map: each place's walking circles (5, 10, 15 minutes on foot along the roads), the roads
   under them, and on the coverage page the buildings no place of a kind reaches and the suggested new place.
   A static file: the Content-Security-Policy forbids inline scripts; data comes from json_script or a URL. */
(function () {
  // Leaflet inserts a string as HTML: names people typed are handed over as a text node inside a span.
  function asText(value) {
    var span = document.createElement("span");
    span.textContent = value === undefined || value === null ? "" : String(value);
    return span;
  }
  "use strict";
  var RINGS = [
    { minutes: "15", colour: "#1f6fb2", opacity: 0.12 },
    { minutes: "10", colour: "#1f6fb2", opacity: 0.18 },
    { minutes: "5", colour: "#1f6fb2", opacity: 0.26 },
  ];

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }

  function readScript(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function drawRoads(map, data) {
    map.createPane("roads").style.zIndex = 350;
    L.geoJSON(data, {
      pane: "roads", interactive: false,
      style: function (f) {
        var wide = f.properties.kind === "arterial" ? 6 : f.properties.kind === "secondary" ? 4 : 2.5;
        return { color: "#c9ced6", weight: wide, opacity: 1, lineCap: "round" };
      },
    }).addTo(map);
  }

  function popup(el, p) {
    var box = document.createElement("div");
    var a = document.createElement("a");
    a.href = p.url; a.textContent = p.name;
    var strong = document.createElement("strong"); strong.appendChild(a); box.appendChild(strong);
    var line = document.createElement("div");
    line.textContent = p.kind_label + " · " + (p.open ? el.dataset.labelOpen : el.dataset.labelClosed);
    box.appendChild(line);
    return box;
  }

  function drawPlaces(map, el, features) {
    var bounds = L.latLngBounds([]);
    map.createPane("circles").style.zIndex = 380;
    features.forEach(function (f) {
      var p = f.properties;
      RINGS.forEach(function (ring) {
        var shape = p.circles && p.circles[ring.minutes];
        if (!shape) return;
        var layer = L.geoJSON(shape, {
          pane: "circles", interactive: false,
          style: { color: ring.colour, weight: 1, opacity: 0.5, fillColor: ring.colour, fillOpacity: ring.opacity, className: "pl-ring pl-ring-" + ring.minutes },
        }).addTo(map);
        bounds.extend(layer.getBounds());
      });
      var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      L.circleMarker(ll, { radius: 7, color: "#fff", weight: 2, fillColor: p.colour, fillOpacity: 1, className: "pl-place" })
        .bindPopup(popup(el, p)).bindTooltip(asText(p.name)).addTo(map);
      bounds.extend(ll);
    });
    return bounds;
  }

  function drawUncovered(map, el, bounds) {
    var points = readScript(el.dataset.uncovered);
    if (points) {
      L.geoJSON(points, {
        pointToLayer: function (f, ll) {
          bounds.extend(ll);
          return L.circleMarker(ll, { radius: 4, color: "#c8102e", weight: 1, fillColor: "#c8102e", fillOpacity: 0.7, className: "pl-uncovered" })
            .bindTooltip(asText(f.properties.name + " · " + f.properties.households + " " + el.dataset.labelHouseholds));
        },
      }).addTo(map);
    }
    var star = readScript(el.dataset.suggestion);
    if (star) {
      var icon = L.divIcon({ className: "pl-suggestion", html: "★", iconSize: [28, 28] });
      L.marker([star[1], star[0]], { icon: icon, title: el.dataset.labelSuggestion }).bindTooltip(asText(el.dataset.labelSuggestion)).addTo(map);
      bounds.extend([star[1], star[0]]);
    }
  }

  var keepFramed = window.Linli.keepFramed;

  function init(el) {
    window.Linli.leafletSetup();
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: !!el.dataset.tileUrl });
    if (el.dataset.tileUrl) L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    map.setView([39.9, 116.4], 14);
    var single = readScript(el.dataset.feature);
    var places = single ? Promise.resolve({ features: [single] }) : getJSON(el.dataset.placesUrl);
    var roads = el.dataset.tileUrl ? Promise.resolve(null) : getJSON(el.dataset.roadsUrl).catch(function () { return null; });
    Promise.all([places, roads]).then(function (both) {
      if (both[1]) drawRoads(map, both[1]);
      var only = el.dataset.onlyKind;
      var features = (both[0].features || []).filter(function (f) { return !only || f.properties.kind === only; });
      var bounds = drawPlaces(map, el, features);
      drawUncovered(map, el, bounds);
      var frame = function () {
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17, animate: false });
      };
      frame();
      keepFramed(map, el, frame);
      el.dataset.ready = "1";
    }).catch(function () {
      el.dataset.ready = "error";
    });
  }

  document.querySelectorAll("#places-map").forEach(init);
})();
