/* Linli maps: the grid map (all visible grids coloured by community) and the small map on a grid's page.
   Loaded as a static file because the Content-Security-Policy forbids inline scripts. Works offline: without
   a configured tile URL the street network the territory keeps (its roads, data-roads-url) is drawn under the
   grid names, on a plain background; with tiles the roads are left to the tiles. */
(function () {
  "use strict";
  // Leaflet inserts a string as HTML: names people typed go in as a text node (site.js).
  var asText = window.Linli.asText;

  function addTiles(map, el) {
    var url = el.dataset.tileUrl;
    if (url) {
      L.tileLayer(url, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }
  }

  function makeMap(el, options) {
    var map = L.map(el, Object.assign({ zoomSnap: 0.25, attributionControl: !!el.dataset.tileUrl }, options || {}));
    addTiles(map, el);
    return map;
  }

  /* Road classes as a map draws them: line width (px) and colour over a grey casing. */
  var ROAD_STYLE = {
    arterial: { weight: 7, colour: "#f7c25c" },
    secondary: { weight: 5, colour: "#fbe3a6" },
    branch: { weight: 3.5, colour: "#ffffff" },
    lane: { weight: 2, colour: "#ffffff" },
  };
  var LABEL_ZOOM = { road: 14, grid: 15 };

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }

  /* The labels shown at the current zoom: road names from LABEL_ZOOM.road, grid names from LABEL_ZOOM.grid. */
  function labelZoom(map, el) {
    var update = function () {
      var z = map.getZoom();
      el.classList.toggle("show-road-labels", z >= LABEL_ZOOM.road);
      el.classList.toggle("show-grid-labels", z >= LABEL_ZOOM.grid);
    };
    map.on("zoomend", update);
    update();
  }

  /* The roads in a pane of their own above the grids' fill, not catching clicks (the grid under them does);
     each road's name once, on its longest stretch. */
  function drawRoads(map, el, data) {
    if (!map.getPane("roads")) {
      map.createPane("roads").style.zIndex = 450;
      map.getPane("roads").style.pointerEvents = "none";
    }
    var features = (data && data.features) || [];
    var order = { lane: 0, branch: 1, secondary: 2, arterial: 3 };
    features.sort(function (a, b) { return (order[a.properties.kind] || 0) - (order[b.properties.kind] || 0); });
    /* Widths as drawn at zoom 15, thinner when the whole street fits a phone, wider close up. */
    var scale = function () { return Math.min(1.6, Math.max(0.35, Math.pow(2, map.getZoom() - 15))); };
    var style = function (f, casing) {
      var s = ROAD_STYLE[f.properties.kind] || ROAD_STYLE.branch;
      var k = scale();
      return {
        pane: "roads", interactive: false, lineCap: "round", lineJoin: "round",
        color: casing ? "#b8c0cc" : s.colour, weight: casing ? (s.weight + 2) * k : s.weight * k, opacity: 1,
        className: casing ? "road-casing" : "road road-" + f.properties.kind,
      };
    };
    var casings = L.geoJSON(data, { style: function (f) { return style(f, true); } }).addTo(map);
    var lines = L.geoJSON(data, { style: function (f) { return style(f, false); } }).addTo(map);
    map.on("zoomend", function () {
      casings.setStyle(function (f) { return style(f, true); });
      lines.setStyle(function (f) { return style(f, false); });
    });
    var longest = {};
    features.forEach(function (f) {
      var name = f.properties.name;
      if (!longest[name] || f.properties.length_m > longest[name].properties.length_m) longest[name] = f;
    });
    Object.keys(longest).forEach(function (name) {
      var coords = longest[name].geometry.coordinates;
      var mid = coords[Math.floor(coords.length / 2)];
      if (coords.length === 2) mid = [(coords[0][0] + coords[1][0]) / 2, (coords[0][1] + coords[1][1]) / 2];
      L.tooltip({ permanent: true, direction: "center", className: "road-label", interactive: false })
        .setLatLng([mid[1], mid[0]]).setContent(asText(name)).addTo(map);
    });
    el.dataset.roads = String(features.length);
  }

  function loadRoads(map, el) {
    if (!el.dataset.roadsUrl || el.dataset.tileUrl) return Promise.resolve();
    return getJSON(el.dataset.roadsUrl)
      .then(function (data) { drawRoads(map, el, data); })
      .catch(function () { el.dataset.roads = "error"; });
  }

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  }

  function popupFor(props, el) {
    var box = document.createElement("div");
    box.className = "grid-popup";
    box.appendChild(text("strong", props.name, "grid-popup-name"));
    var dl = document.createElement("dl");
    dl.appendChild(text("dt", el.dataset.labelCode));
    dl.appendChild(text("dd", props.code));
    dl.appendChild(text("dt", el.dataset.labelCommunity));
    var community = props.community_name;
    if (props.org_node_name && props.org_node_name !== props.community_name) {
      community += " · " + props.org_node_name;
    }
    dl.appendChild(text("dd", community));
    box.appendChild(dl);
    var link = text("a", el.dataset.labelOpen + " →", "grid-popup-link");
    link.href = props.url;
    box.appendChild(link);
    return box;
  }

  function renderLegend(features) {
    var legend = document.getElementById("grid-legend");
    if (!legend) return;
    var seen = {};
    var order = [];
    features.forEach(function (f) {
      var p = f.properties;
      if (!seen[p.community_id]) {
        seen[p.community_id] = { name: p.community_name, colour: p.colour, count: 0 };
        order.push(p.community_id);
      }
      seen[p.community_id].count += 1;
    });
    legend.textContent = "";
    order.forEach(function (id) {
      var item = document.createElement("li");
      item.dataset.community = id;
      item.tabIndex = 0;
      item.title = seen[id].name;
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = seen[id].colour;
      item.appendChild(swatch);
      item.appendChild(text("span", seen[id].name, "legend-name"));
      item.appendChild(text("span", String(seen[id].count), "legend-count"));
      legend.appendChild(item);
    });
  }

  /* Clicking a community in the legend zooms the map to that community's grids. */
  function linkLegend(map, layer) {
    var legend = document.getElementById("grid-legend");
    if (!legend) return;
    var bounds = {};
    layer.eachLayer(function (lyr) {
      var id = lyr.feature.properties.community_id;
      bounds[id] = bounds[id] ? bounds[id].extend(lyr.getBounds()) : L.latLngBounds(lyr.getBounds().getSouthWest(), lyr.getBounds().getNorthEast());
    });
    legend.querySelectorAll("li[data-community]").forEach(function (item) {
      var zoom = function () {
        var b = bounds[item.dataset.community];
        if (b) map.fitBounds(b, { padding: [24, 24] });
      };
      item.addEventListener("click", zoom);
      item.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); zoom(); }
      });
    });
  }

  function showMessage(el, message) {
    var note = text("div", message, "map-message");
    el.appendChild(note);
  }

  function gridMap(el) {
    var map = makeMap(el);
    map.setView([39.9, 116.4], 12);
    labelZoom(map, el);
    loadRoads(map, el);
    getJSON(el.dataset.geojsonUrl)
      .then(function (data) {
        var features = data.features || [];
        renderLegend(features);
        if (!features.length) {
          showMessage(el, el.dataset.labelEmpty);
          var legend = document.getElementById("grid-legend");
          if (legend) legend.textContent = "";
          return;
        }
        var layer = L.geoJSON(data, {
          style: function (f) {
            return {
              color: f.properties.colour, weight: 1.5, fillColor: f.properties.colour, fillOpacity: 0.35,
              className: "grid-polygon grid-polygon-" + f.properties.id,
            };
          },
          onEachFeature: function (f, lyr) {
            lyr.bindTooltip(asText(f.properties.name), { sticky: true, direction: "top" });
            gridLabel(map, f, lyr);
            lyr.bindPopup(function () { return popupFor(f.properties, el); });
            lyr.on("mouseover", function () { lyr.setStyle({ weight: 3, fillOpacity: 0.55 }); });
            lyr.on("mouseout", function () { layer.resetStyle(lyr); });
          },
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [16, 16], animate: false });
        linkLegend(map, layer);
        el.dataset.loaded = String(features.length);
      })
      .catch(function () {
        showMessage(el, el.dataset.labelError);
      });
  }

  /* A grid's name at its centre, short (the community's name left out: the legend and colour say it). */
  function gridLabel(map, f, lyr) {
    var p = f.properties;
    var name = p.community_name && p.name.indexOf(p.community_name) === 0 ? p.name.slice(p.community_name.length) : p.name;
    L.tooltip({ permanent: true, direction: "center", className: "grid-label", interactive: false })
      .setLatLng(lyr.getBounds().getCenter()).setContent(asText(name)).addTo(map);
  }

  function miniMap(el) {
    var source = document.getElementById(el.dataset.boundaryId);
    if (!source) return;
    var boundary = JSON.parse(source.textContent);
    var map = makeMap(el, { scrollWheelZoom: false });
    var layer = L.geoJSON(boundary, {
      style: { color: "#1d4ed8", weight: 2, fillColor: "#3b82f6", fillOpacity: 0.25 },
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [12, 12], animate: false });
    labelZoom(map, el);
    loadRoads(map, el).then(function () { el.dataset.loaded = "1"; });
  }

  function init() {
    if (typeof L === "undefined") return;
    var big = document.getElementById("grid-map");
    if (big) gridMap(big);
    var small = document.getElementById("grid-mini-map");
    if (small) miniMap(small);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
