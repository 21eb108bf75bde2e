/* Linli maps: the grid map (all visible grids coloured by community) and the small map on a grid's page.
   Loaded as a static file because the Content-Security-Policy forbids inline scripts. Works offline: without
   a configured tile URL only the polygons are drawn, on a plain background. */
(function () {
  "use strict";

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
    fetch(el.dataset.geojsonUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
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
            lyr.bindTooltip(f.properties.name, { sticky: true, direction: "top" });
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

  function miniMap(el) {
    var source = document.getElementById(el.dataset.boundaryId);
    if (!source) return;
    var boundary = JSON.parse(source.textContent);
    var map = makeMap(el, { scrollWheelZoom: false });
    var layer = L.geoJSON(boundary, {
      style: { color: "#1d4ed8", weight: 2, fillColor: "#3b82f6", fillOpacity: 0.25 },
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [12, 12], animate: false });
    el.dataset.loaded = "1";
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
