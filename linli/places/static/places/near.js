/* Places near me: a map of the places listed below it (data from json_script: the CSP forbids inline scripts),
   drawn on the tile server when one is set, else on the territory's own street lines (offline). The browser's
   position is used when the resident has already granted it (read silently) or taps "Nearest to me"; else the
   page measured from their home or a community centre. Every name reaches Leaflet as a text node. */
(function () {
  "use strict";

  function asText(value) {
    var span = document.createElement("span");
    span.textContent = value === undefined || value === null ? "" : String(value);
    return span;
  }

  function readScript(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function locate(form, status, button, quiet) {
    if (!navigator.geolocation) {
      if (!quiet) status.textContent = button.dataset.labelFailed;
      return;
    }
    if (!quiet) status.textContent = button.dataset.labelBusy;
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        form.elements.lng.value = pos.coords.longitude.toFixed(6);
        form.elements.lat.value = pos.coords.latitude.toFixed(6);
        form.submit();
      },
      function () {
        if (!quiet) status.textContent = button.dataset.labelFailed;
      },
      { timeout: 10000, maximumAge: 60000 }
    );
  }

  function popup(el, p) {
    var box = document.createElement("div");
    var strong = document.createElement("strong");
    var a = document.createElement("a");
    a.href = p.url;
    a.textContent = p.name;
    strong.appendChild(a);
    box.appendChild(strong);
    var line = document.createElement("div");
    var parts = [p.kind_label, p.open ? el.dataset.labelOpen : el.dataset.labelClosed];
    if (p.minutes !== null && p.minutes !== undefined) parts.push(p.minutes + " " + el.dataset.labelMinutes);
    line.textContent = parts.join(" · ");
    box.appendChild(line);
    var address = document.createElement("div");
    address.className = "small";
    address.textContent = p.address || "";
    box.appendChild(address);
    if (p.week) {
      var week = document.createElement("div");
      week.className = "small";
      week.textContent = p.week + " " + el.dataset.labelWeek;
      box.appendChild(week);
    }
    return box;
  }

  function drawRoads(map, data) {
    map.createPane("roads").style.zIndex = 350;
    L.geoJSON(data, {
      pane: "roads",
      interactive: false,
      style: function (f) {
        var wide = f.properties.kind === "arterial" ? 6 : f.properties.kind === "secondary" ? 4 : 2.5;
        return { color: "#c9ced6", weight: wide, opacity: 1, lineCap: "round" };
      },
    }).addTo(map);
  }

  function init(el) {
    var data = readScript(el.dataset.places) || { features: [] };
    window.Linli.leafletSetup();
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: !!el.dataset.tileUrl });
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }
    map.setView([39.9, 116.4], 14);
    var roads = el.dataset.tileUrl
      ? Promise.resolve(null)
      : fetch(el.dataset.roadsUrl, { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .catch(function () { return null; });
    roads.then(function (lines) {
      if (lines) drawRoads(map, lines);
      var near = L.latLngBounds([]);
      data.features.forEach(function (f, i) {
        var p = f.properties;
        var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        L.circleMarker(ll, {
          radius: 8, color: "#fff", weight: 2, fillColor: p.colour, fillOpacity: p.open ? 1 : 0.45,
          className: "pl-place" + (p.open ? " pl-open" : ""),
        }).bindPopup(popup(el, p)).bindTooltip(asText(p.name)).addTo(map);
        if (i < 6) near.extend(ll); // the nearest few frame the view
      });
      if (data.origin) {
        var here = [data.origin[1], data.origin[0]];
        L.circleMarker(here, { radius: 7, color: "#1f6fb2", weight: 3, fillColor: "#fff", fillOpacity: 1, className: "pl-origin" })
          .bindTooltip(asText(el.dataset.labelOrigin)).addTo(map);
        near.extend(here);
      }
      if (near.isValid()) map.fitBounds(near, { padding: [24, 24], maxZoom: 17, animate: false });
      el.dataset.ready = "1";
    });
  }

  var form = document.getElementById("near-form");
  var button = document.getElementById("locate-me");
  var status = document.getElementById("locate-status");
  if (form && button) {
    button.addEventListener("click", function () { locate(form, status, button, false); });
    ["near-open", "near-within"].forEach(function (id) {
      var box = document.getElementById(id);
      if (box) box.addEventListener("change", function () { form.submit(); });
    });
    // Already allowed: measure from where the resident is without asking again (never prompts).
    if (!form.elements.lng.value && navigator.permissions && navigator.permissions.query) {
      navigator.permissions.query({ name: "geolocation" }).then(function (state) {
        if (state.state === "granted") locate(form, status, button, true);
      }).catch(function () {});
    }
  }
  var el = document.getElementById("near-map");
  if (el && typeof L !== "undefined") init(el);
})();
