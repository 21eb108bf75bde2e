/* Linli maps, one script for every map of the site. Loaded as a static file because the Content-Security-Policy
   forbids inline scripts; everything is read from data-* attributes. Works offline: without a configured tile URL
   (data-tile-url, LINLI_TILE_URL) a map draws what Linli keeps itself — the grids and, where the page names
   data-roads-url, the territory's street network with its names — on a plain background; with tiles the roads are
   left to the tiles.

   - #grid-map: every visible grid coloured by community, with a legend (territory's grid map).
   - #grid-mini-map: one grid's boundary on its page.
   - .point-map (and .ap-map, the name appeals, co-building and volunteers pages use): a map that picks a position
     (data-mode="pick": a click or a dragged pin writes the longitude and latitude inputs data-lng-input and
     data-lat-input, and typing in those inputs moves the pin) or shows one (data-mode="show"). See pointMap. */
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

  var keepFramed = window.Linli.keepFramed;

  /* Frame a map on bounds, at once (no animation), the one way every map here does it:
     - on the box's size as it is now: Leaflet keeps the size it measured when the map was set up, and a box that took
       its final size later (a page still settling, a map shown after the grids were asked for) was framed on the old
       one, the shape running past the box's edge;
     - with a margin that grows with the box (at least `least` px), so an edge is not flush with the map's;
     - clear of the map's controls: the zoom buttons in a corner (44 px on a phone) hid a wide grid's end. For each
       corner that holds controls the shape is kept beside them or below (above) them, whichever shows it larger.
     False when there is nothing to frame or the box has no size yet (inside a closed <details>): Leaflet would
     compute a NaN centre ("Invalid LatLng object: (NaN, NaN)"). */
  function fitClear(map, bounds, least) {
    map.invalidateSize(false);
    var size = map.getSize();
    if (!bounds || !bounds.isValid() || !size.x || !size.y) return false;
    var margin = Math.max(least, Math.round(Math.min(size.x, size.y) * 0.06));
    var box = map.getContainer().getBoundingClientRect();
    var corners = [];
    map.getContainer().querySelectorAll(".leaflet-control-container > div").forEach(function (corner) {
      var top = corner.classList.contains("leaflet-top");
      var left = corner.classList.contains("leaflet-left");
      var across = 0;
      var down = 0;
      corner.querySelectorAll(".leaflet-control").forEach(function (control) {
        if (!control.offsetWidth) return;
        var r = control.getBoundingClientRect();
        across = Math.max(across, left ? r.right - box.left : box.right - r.left);
        down = Math.max(down, top ? r.bottom - box.top : box.bottom - r.top);
      });
      if (across && down) corners.push({ top: top, left: left, across: across + 4, down: down + 4 });
    });
    var best = null;
    for (var choice = 0; choice < 1 << corners.length; choice++) {
      var before = [margin, margin]; // left, top
      var after = [margin, margin]; // right, bottom
      corners.forEach(function (c, i) {
        if (choice & (1 << i)) {
          if (c.left) before[0] = Math.max(before[0], c.across);
          else after[0] = Math.max(after[0], c.across);
        } else if (c.top) before[1] = Math.max(before[1], c.down);
        else after[1] = Math.max(after[1], c.down);
      });
      var room = L.point(before[0] + after[0], before[1] + after[1]);
      if (room.x >= size.x || room.y >= size.y) continue;
      var zoom = map.getBoundsZoom(bounds, false, room);
      if (!best || zoom > best.zoom) best = { zoom: zoom, before: before, after: after };
    }
    if (!best) best = { before: [0, 0], after: [0, 0] }; // a box too small for the margins: the shape alone
    map.fitBounds(bounds, { paddingTopLeft: best.before, paddingBottomRight: best.after, animate: false });
    return true;
  }

  /* A grid's outline again above the roads (drawn over the grids' fill): a grid's edge mostly runs along a street,
     and the street's line hid it, so the grid looked cut off where it met the street. */
  function outline(map, geojson, style) {
    if (!map.getPane("outline")) {
      map.createPane("outline").style.zIndex = 460;
      map.getPane("outline").style.pointerEvents = "none";
    }
    return L.geoJSON(geojson, {
      pane: "outline", interactive: false,
      style: function (f) {
        return Object.assign({ fill: false, className: "grid-outline" }, typeof style === "function" ? style(f) : style);
      },
    }).addTo(map);
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
        if (b) fitClear(map, b, 24);
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
        var frame = function () { fitClear(map, layer.getBounds(), 16); };
        frame();
        keepFramed(map, el, frame);
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
    outline(map, boundary, { color: "#1d4ed8", weight: 2 });
    el.apMap = map;
    var frame = function () { fitClear(map, layer.getBounds(), 12); };
    frame();
    keepFramed(map, el, frame);
    labelZoom(map, el);
    loadRoads(map, el).then(function () { el.dataset.loaded = "1"; });
  }

  /* ------------------------------------------------------------------------------------- picking a point
   * <div class="point-map" data-mode="pick|show" data-grids-url="..." data-tile-url="..." data-tile-attribution="..."
   *   data-roads-url="..." data-lng="" data-lat="" data-grid-code="" data-lng-input="id" data-lat-input="id"
   *   data-grid-input="id" data-grid-label="id" data-locate-button="id" data-locate-status="id"></div>
   * data-grid-code names the grid(s) to open on, drawn bold: one code, or several separated by commas (a grid
   * worker's own grids on the patrol report); the map opens fitted to all of them. A map that has no size when the
   * page opens (inside a closed <details>) fits itself once it is shown.
   * A picking map fires "ap:placed" (detail {lat, lng}) when its pin moves, and offers el.apPlace(lat, lng) and
   * el.apMap (the Leaflet map) to the page's other scripts (appeals' nearby.js).
   * data-ready="1" once the grids are drawn, data-framed="1" once the map is shown framed (tests wait on them).
   * A form that names an area in a select (co-building's 社区) gives data-focus-input (the select's id) and
   * data-focus-bounds ({value: [[south, west], [north, east]]}): the map opens on the area chosen, and moves to the
   * one chosen next. data-zoom-snap (1 by default) lets the framing zoom in finer steps, so an area fills the map. */

  var DEFAULT_CENTRE = [39.904, 116.407];

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }

  // Ray casting on a GeoJSON ring of [lng, lat] pairs.
  function inRing(lng, lat, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function inGeometry(lng, lat, geometry) {
    if (!geometry) return false;
    var polygons = geometry.type === "MultiPolygon" ? geometry.coordinates : [geometry.coordinates];
    for (var p = 0; p < polygons.length; p++) {
      var rings = polygons[p];
      if (rings.length && inRing(lng, lat, rings[0])) {
        var inHole = false;
        for (var h = 1; h < rings.length; h++) if (inRing(lng, lat, rings[h])) inHole = true;
        if (!inHole) return true;
      }
    }
    return false;
  }

  // A typed coordinate, or NaN when it is empty, not a number or out of range.
  function coordinate(input, limit) {
    var value = input ? parseFloat(String(input.value).replace("，", ".").trim()) : NaN;
    return isNaN(value) || Math.abs(value) > limit ? NaN : value;
  }

  function pointMap(el) {
    // data-setup guards against a second setup (htmx settles the same page part again).
    if (el.dataset.setup) return;
    el.dataset.setup = "1";
    var pick = el.dataset.mode === "pick";
    var lngInput = byId(el.dataset.lngInput);
    var latInput = byId(el.dataset.latInput);
    var gridInput = byId(el.dataset.gridInput);
    var gridLabel = byId(el.dataset.gridLabel);
    var map = makeMap(el, { zoomSnap: parseFloat(el.dataset.zoomSnap) || 1, zoomControl: true });
    map.setView(DEFAULT_CENTRE, 15);
    var focusInput = byId(el.dataset.focusInput);
    var focusBounds = el.dataset.focusBounds ? JSON.parse(el.dataset.focusBounds) : {};
    labelZoom(map, el);
    loadRoads(map, el);
    var features = [];
    var marker = null;
    var focus = null; // the grids of data-grid-code
    var all = null; // every grid drawn
    var fitted = false;

    function describe(lng, lat) {
      for (var i = 0; i < features.length; i++) {
        if (inGeometry(lng, lat, features[i].geometry)) return features[i].properties;
      }
      return null;
    }

    function showGrid(lng, lat) {
      if (!gridLabel) return;
      var props = describe(lng, lat);
      gridLabel.textContent = props ? props.name + "（" + props.community_name + "）" : gridLabel.dataset.outside || "";
      if (gridInput && props && pick) gridInput.value = props.code;
    }

    function place(lat, lng, pan, typed) {
      if (marker) marker.setLatLng([lat, lng]);
      else {
        marker = L.marker([lat, lng], { draggable: pick }).addTo(map);
        if (pick) {
          marker.on("dragend", function () {
            var p = marker.getLatLng();
            place(p.lat, p.lng, false);
          });
        }
      }
      if (pan) map.setView([lat, lng], Math.max(map.getZoom(), 16));
      if (pick && !typed) {
        if (lngInput) lngInput.value = lng.toFixed(6);
        if (latInput) latInput.value = lat.toFixed(6);
      }
      showGrid(lng, lat);
      el.dataset.placed = "1";
      // Others (nearby.js, the nearby list) follow the pin.
      if (pick) el.dispatchEvent(new CustomEvent("ap:placed", { bubbles: true, detail: { lat: lat, lng: lng } }));
    }
    el.apMap = map;
    // The area the map is framed on (null before the grids are drawn, or without one), and the framing itself, for
    // a page's other scripts (territory's draw.js frames the shape being drawn with the area).
    el.apArea = function () { return target() || (all && all.getBounds()); };
    el.apFit = function (bounds) { return fit(bounds, 16); };
    el.apPlace = function (lat, lng) {
      place(lat, lng, true);
    };

    var startLng = parseFloat(el.dataset.lng || (lngInput && lngInput.value) || "");
    var startLat = parseFloat(el.dataset.lat || (latInput && latInput.value) || "");
    var hasStart = !isNaN(startLng) && !isNaN(startLat);

    if (pick) {
      map.on("click", function (e) {
        place(e.latlng.lat, e.latlng.lng, false);
      });
      // The typed fields, where a page offers them beside the map: a complete position moves the pin.
      var typed = function () {
        var lng = coordinate(lngInput, 180);
        var lat = coordinate(latInput, 90);
        if (!isNaN(lng) && !isNaN(lat)) place(lat, lng, true, true);
      };
      [lngInput, latInput].forEach(function (input) {
        if (input && input.type !== "hidden") input.addEventListener("change", typed);
      });
      var locate = byId(el.dataset.locateButton);
      if (locate && navigator.geolocation) {
        locate.addEventListener("click", function () {
          var status = byId(el.dataset.locateStatus);
          if (status) status.textContent = locate.dataset.busy || "";
          navigator.geolocation.getCurrentPosition(
            function (pos) {
              if (status) status.textContent = "";
              place(pos.coords.latitude, pos.coords.longitude, true);
            },
            function () {
              if (status) status.textContent = locate.dataset.failed || "";
            },
            { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
          );
        });
      } else if (locate) {
        locate.hidden = true;
      }
    }

    // Fit the map to bounds only when both can be measured (fitClear): a grid without a boundary has no bounds.
    function fit(bounds, least) {
      return fitClear(map, bounds, least);
    }

    // The view the map opens on: the whole grid around the point when there is one, else the point, else all the
    // grids. At once (no zoom animation): a tap while the map still glides would land somewhere else.
    // The area the map is about: the one chosen in the form's select, else the grids of data-grid-code.
    function target() {
      var chosen = focusInput && focusBounds[focusInput.value];
      if (chosen) return L.latLngBounds(chosen);
      return focus ? focus.getBounds() : null;
    }

    function frame() {
      var area = target();
      fitted = area ? fit(area, 16) : false;
      if (!fitted && hasStart) {
        map.invalidateSize(false);
        map.setView([startLat, startLng], 16, { animate: false });
        fitted = !!map.getSize().x;
      } else if (!fitted && all) fitted = fit(all.getBounds(), 8);
      if (fitted) el.dataset.framed = "1";
      return fitted;
    }

    function finish(keepView) {
      // The inputs keep what they hold (a refused form shows what was typed); empty ones take the start.
      if (hasStart) place(startLat, startLng, !keepView, !!(lngInput && lngInput.value && latInput && latInput.value));
      el.dataset.ready = "1";
      keepFramed(map, el, function () {
        frame();
        if (marker && !target()) map.setView(marker.getLatLng(), Math.max(map.getZoom(), 16), { animate: false });
      });
      if (focusInput) {
        focusInput.addEventListener("change", function () {
          var area = target();
          if (area && fit(area, 16)) el.dataset.framed = "1";
        });
      }
    }

    if (!el.dataset.gridsUrl) {
      frame();
      finish(false);
      return;
    }
    getJSON(el.dataset.gridsUrl)
      .then(function (data) {
        features = data.features || [];
        var codes = (el.dataset.gridCode || "").split(",").filter(Boolean);
        all = L.geoJSON(data, {
          style: function (f) {
            var mine = codes.indexOf(f.properties.code) !== -1;
            return {
              color: f.properties.colour || "#3b82f6",
              weight: mine ? 3 : 1.5,
              fillOpacity: mine ? 0.25 : 0.08,
            };
          },
          onEachFeature: function (f, l) {
            l.bindTooltip(asText(f.properties.name), { sticky: true });
            if (codes.indexOf(f.properties.code) !== -1) (focus = focus || L.featureGroup()).addLayer(l);
            if (pick) {
              l.on("click", function (e) {
                place(e.latlng.lat, e.latlng.lng, false);
              });
            }
          },
        }).addTo(map);
        if (focus) {
          outline(map, { type: "FeatureCollection", features: features.filter(function (f) {
            return codes.indexOf(f.properties.code) !== -1;
          }) }, function (f) { return { color: f.properties.colour || "#3b82f6", weight: 3 }; });
        }
        if (!features.length) all = null;
        frame();
        finish(!!target());
      })
      .catch(function () {
        frame();
        finish(false);
      });
  }

  function init(root) {
    if (typeof L === "undefined") return;
    var big = document.getElementById("grid-map");
    if (big && !big.dataset.setup) {
      big.dataset.setup = "1";
      gridMap(big);
    }
    var small = document.getElementById("grid-mini-map");
    if (small && !small.dataset.setup) {
      small.dataset.setup = "1";
      miniMap(small);
    }
    (root || document).querySelectorAll(".point-map, .ap-map").forEach(pointMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  // A picking map that arrives in an htmx answer (co-building's forms) is set up when it settles.
  document.addEventListener("htmx:afterSettle", function (e) {
    init(e.target);
  });
})();
