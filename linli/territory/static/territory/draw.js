/* Drawing a grid's boundary on the map (territory's grid form): no plugin, Leaflet's markers and lines only.

   <div class="map point-map grid-draw-map" data-mode="show" data-draw-input="id" data-grids-url="..."
        data-draw-skip="grid code" data-status="id" ...></div>
   web/map.js sets the map up (the grids drawn, roads, framing) and offers it as el.apMap; this script adds the
   drawing. A click (a tap) adds a corner; a corner is dragged to move it; clicking the first corner, or 闭合,
   closes the shape; on a closed shape a click on the small handle halfway along an edge adds a corner there;
   撤销 takes back the last step, 清除 starts again. A corner dropped near another grid's corner or edge (12 px)
   snaps onto it at full precision, so two grids share the edge exactly (the server allows 1 m² of overlap).
   data-neighbours-url: the other communities' grids around the drawer's street, the nearest what is drawn first
   (?grid_id= or ?org_node_id=), which the server also checks the boundary against: drawn in grey dashes with their
   names (not clickable: nothing else of them opens), and snapped to like the user's own; asked again, in the
   order of the community or compound chosen, when the form's drop-down (data-focus-input) changes.
   The hidden input (data-draw-input) holds the closed shape as a GeoJSON Polygon, or nothing while it is open;
   a refused form comes back with it, and the shape is drawn again from it.
   data-draw-ready="1" once set up, data-corners the number of corners, data-closed "1" when closed (for tests). */
(function () {
  "use strict";
  var asText = window.Linli.asText; // site.js: a value as a span's text, never HTML

  var SNAP_PX = 12;

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }

  /* The outer rings of the other grids, as arrays of L.LatLng, for snapping. */
  function ringsOf(data, skip) {
    var rings = [];
    ((data && data.features) || []).forEach(function (f) {
      if (f.properties.code === skip || !f.geometry || f.geometry.type !== "Polygon") return;
      rings.push(f.geometry.coordinates[0].map(function (p) { return L.latLng(p[1], p[0]); }));
    });
    return rings;
  }

  /* Once web/map.js has drawn the grids and framed the map (data-ready). */
  function whenFramed(el, then) {
    if (el.dataset.ready) then();
    else setTimeout(function () { whenFramed(el, then); }, 50);
  }

  function draw(el) {
    var map = el.apMap;
    var input = byId(el.dataset.drawInput);
    var status = byId(el.dataset.status);
    var form = input ? input.form : null;
    var tools = byId(el.dataset.tools);
    if (!map || !input) return;
    map.doubleClickZoom.disable();
    var corners = [];
    var closed = false;
    var history = [];
    var others = [];
    var layer = L.layerGroup().addTo(map);
    var cornerIcon = L.divIcon({ className: "draw-corner", iconSize: [16, 16] });
    var firstIcon = L.divIcon({ className: "draw-corner draw-corner-first", iconSize: [18, 18] });
    var midIcon = L.divIcon({ className: "draw-mid", iconSize: [12, 12] });

    function remember() {
      history.push({ corners: corners.slice(), closed: closed });
    }

    /* The point a corner goes to: another grid's corner within SNAP_PX, else the nearest point of its edges
       within SNAP_PX (interpolated in longitude and latitude, as the server measures), else where it was put. */
    function snapped(latlng) {
      var here = map.latLngToContainerPoint(latlng);
      var best = null;
      var bestPx = SNAP_PX;
      others.forEach(function (ring) {
        ring.forEach(function (v) {
          var d = map.latLngToContainerPoint(v).distanceTo(here);
          if (d <= bestPx) { bestPx = d; best = v; }
        });
      });
      if (best) return L.latLng(best.lat, best.lng);
      bestPx = SNAP_PX;
      others.forEach(function (ring) {
        for (var i = 0; i + 1 < ring.length; i++) {
          var a = map.latLngToContainerPoint(ring[i]);
          var b = map.latLngToContainerPoint(ring[i + 1]);
          var abx = b.x - a.x, aby = b.y - a.y;
          var len = abx * abx + aby * aby;
          if (!len) continue;
          var t = Math.max(0, Math.min(1, ((here.x - a.x) * abx + (here.y - a.y) * aby) / len));
          var d = L.point(a.x + t * abx, a.y + t * aby).distanceTo(here);
          if (d <= bestPx) {
            bestPx = d;
            best = L.latLng(ring[i].lat + t * (ring[i + 1].lat - ring[i].lat), ring[i].lng + t * (ring[i + 1].lng - ring[i].lng));
          }
        }
      });
      return best || latlng;
    }

    function geojson() {
      var ring = corners.map(function (c) { return [c.lng, c.lat]; });
      ring.push(ring[0]);
      return { type: "Polygon", coordinates: [ring] };
    }

    function write() {
      input.value = closed && corners.length >= 3 ? JSON.stringify(geojson()) : "";
      el.dataset.corners = String(corners.length);
      el.dataset.closed = closed ? "1" : "";
      if (status) {
        var key = closed ? "closed" : corners.length >= 3 ? "open" : corners.length ? "few" : "empty";
        status.textContent = (status.dataset[key] || "").replace("{n}", String(corners.length));
      }
      if (tools) {
        tools.querySelector("[data-draw=undo]").disabled = !history.length;
        tools.querySelector("[data-draw=clear]").disabled = !corners.length;
        tools.querySelector("[data-draw=close]").disabled = closed || corners.length < 3;
      }
    }

    function render() {
      layer.clearLayers();
      if (corners.length >= 2) {
        var shape = closed
          ? L.polygon(corners, { color: "#b91c1c", weight: 3, fillColor: "#ef4444", fillOpacity: 0.2, interactive: false })
          : L.polyline(corners, { color: "#b91c1c", weight: 3, dashArray: "6 6", interactive: false });
        layer.addLayer(shape);
      }
      corners.forEach(function (c, i) {
        var first = i === 0 && !closed && corners.length >= 3;
        var marker = L.marker(c, { draggable: true, icon: first ? firstIcon : cornerIcon, keyboard: false, zIndexOffset: 1000 });
        marker.on("dragstart", remember);
        marker.on("drag", function (e) {
          corners[i] = e.target.getLatLng();
          var shape = layer.getLayers()[0];
          if (shape && shape.setLatLngs) shape.setLatLngs(corners);
        });
        marker.on("dragend", function (e) {
          corners[i] = snapped(e.target.getLatLng());
          update();
        });
        marker.on("click", function () {
          if (first) { remember(); closed = true; update(); }
        });
        layer.addLayer(marker);
      });
      if (closed) {
        corners.forEach(function (c, i) {
          var next = corners[(i + 1) % corners.length];
          var mid = L.latLng((c.lat + next.lat) / 2, (c.lng + next.lng) / 2);
          var handle = L.marker(mid, { icon: midIcon, keyboard: false, title: el.dataset.labelMid || "" });
          handle.on("click", function () {
            remember();
            corners.splice(i + 1, 0, mid);
            update();
          });
          layer.addLayer(handle);
        });
      }
    }

    function update() {
      render();
      write();
    }

    map.on("click", function (e) {
      if (closed) return;
      remember();
      corners.push(snapped(e.latlng));
      update();
    });

    if (tools) {
      tools.addEventListener("click", function (e) {
        var button = e.target.closest("[data-draw]");
        if (!button || button.disabled) return;
        var what = button.dataset.draw;
        if (what === "undo") {
          var last = history.pop();
          if (last) { corners = last.corners; closed = last.closed; }
        } else if (what === "clear") {
          remember();
          corners = [];
          closed = false;
        } else if (what === "close" && corners.length >= 3) {
          remember();
          closed = true;
        }
        update();
      });
    }

    // A form sent with the shape still open says so at once rather than after a round trip.
    if (form) {
      form.addEventListener("submit", function (e) {
        if (!closed && corners.length) {
          e.preventDefault();
          if (status) status.textContent = status.dataset.unclosed || "";
          if (status) status.focus();
        }
      });
    }

    // The shape the form holds (a grid redrawn, a refused form): its corners, closed.
    if (input.value) {
      try {
        var ring = JSON.parse(input.value).coordinates[0];
        corners = ring.slice(0, -1).map(function (p) { return L.latLng(p[1], p[0]); });
        closed = corners.length >= 3;
      } catch (err) {
        corners = [];
      }
    }
    update();
    // The other grids to snap to: the user's own (data-grids-url) and the neighbours', asked again for each
    // community or compound chosen in the form's drop-down (data-focus-input), the nearest it first.
    var own = [];
    var near = [];
    var neighbourLayer = null;
    var asked = 0;
    function showNeighbours(data) {
      if (neighbourLayer) map.removeLayer(neighbourLayer);
      neighbourLayer = null;
      var count = data && data.features ? data.features.length : 0;
      near = count ? ringsOf(data, "") : [];
      others = own.concat(near);
      var key = byId("draw-key-neighbour");
      if (key) key.hidden = !count;
      if (!count) {
        if (el.dataset.neighbours) el.dataset.neighbours = "0";
        return;
      }
      neighbourLayer = L.layerGroup().addTo(map);
      L.geoJSON(data, {
        interactive: false,
        style: { color: "#6b7280", weight: 2, dashArray: "6 5", fillColor: "#9ca3af", fillOpacity: 0.12, className: "neighbour-grid" },
        onEachFeature: function (f, lyr) {
          // The grid's name, with its community's where the name does not say it already.
          var p = f.properties;
          var name = p.name.indexOf(p.community_name) === -1 ? p.name + "（" + p.community_name + "）" : p.name;
          L.tooltip({ permanent: true, direction: "center", className: "neighbour-label", interactive: false })
            .setLatLng(lyr.getBounds().getCenter())
            .setContent(asText(name))
            .addTo(neighbourLayer);
        },
      }).addTo(neighbourLayer);
      el.dataset.neighbours = String(count);
    }
    function neighbours(url) {
      var mine = ++asked;
      return getJSON(url)
        .catch(function () { return null; })
        .then(function (data) { if (mine === asked) showNeighbours(data); });
    }
    // Their names once they fit (a street has a hundred grids): from zoom 16.
    var names = function () { el.classList.toggle("show-neighbour-labels", map.getZoom() >= 16); };
    map.on("zoomend", names);
    names();
    var chooser = byId(el.dataset.focusInput);
    if (chooser && el.dataset.neighboursUrl) {
      chooser.addEventListener("change", function () {
        var url = el.dataset.neighboursUrl.split("?")[0];
        neighbours(chooser.value ? url + "?org_node_id=" + encodeURIComponent(chooser.value) : url);
      });
    }
    var first = el.dataset.neighboursUrl ? getJSON(el.dataset.neighboursUrl).catch(function () { return null; }) : Promise.resolve(null);
    asked++;
    var firstAsk = asked;
    getJSON(el.dataset.gridsUrl)
      .then(function (data) { own = ringsOf(data, el.dataset.drawSkip); })
      .catch(function () { own = []; })
      .then(function () { return first; })
      .then(function (data) {
        others = own.concat(near);
        if (firstAsk === asked) showNeighbours(data);
      })
      .then(function () { whenFramed(el, function () {
        // The shape as drawn in sight, with the area the map opened on (a refused form's shape may reach past it).
        if (corners.length) {
          var area = el.apArea();
          el.apFit(area ? L.latLngBounds(corners).extend(area) : L.latLngBounds(corners));
        }
        el.dataset.drawReady = "1";
      }); });
  }

  function init() {
    if (typeof L === "undefined") return;
    document.querySelectorAll(".grid-draw-map").forEach(function (el) {
      if (!el.dataset.drawSetup && el.apMap) {
        el.dataset.drawSetup = "1";
        draw(el);
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
