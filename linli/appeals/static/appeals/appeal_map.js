/* Linli appeals: Leaflet maps for picking a position (resident page, patrol report) and showing one (detail).
 *
 * Markup: <div class="ap-map" data-mode="pick|show" data-grids-url="..." data-tile-url="..."
 *   data-tile-attribution="..." data-lng="" data-lat="" data-grid-code="" data-lng-input="id"
 *   data-lat-input="id" data-grid-input="id" data-grid-label="id"></div>
 * data-grid-code names the grid(s) to open on, drawn bold: one code, or several separated by commas (a grid
 * worker's own grids on the patrol report); the map opens fitted to all of them.
 * A picking map fires "ap:placed" (detail {lat, lng}) when its pin moves, and offers el.apPlace(lat, lng) and
 * el.apMap (the Leaflet map) to the page's other scripts (nearby.js).
 * No inline script (CSP): everything is read from data-* attributes. Works offline: without a tile URL the
 * grid polygons alone are drawn on a plain background.
 */
(function () {
  "use strict";
  // Leaflet inserts a string as HTML: names people typed go in as a text node (site.js).
  var asText = window.Linli.asText;

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

  function setup(el) {
    // data-setup guards against a second setup; data-ready means the grids are drawn (tests and scripts wait on it).
    if (el.dataset.setup) return;
    el.dataset.setup = "1";
    var pick = el.dataset.mode === "pick";
    var lngInput = byId(el.dataset.lngInput);
    var latInput = byId(el.dataset.latInput);
    var gridInput = byId(el.dataset.gridInput);
    var gridLabel = byId(el.dataset.gridLabel);
    var map = L.map(el, { zoomControl: true, attributionControl: !!el.dataset.tileUrl });
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" }).addTo(map);
    }
    map.setView(DEFAULT_CENTRE, 15);
    var features = [];
    var marker = null;

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

    function place(lat, lng, pan) {
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
      if (pick) {
        if (lngInput) lngInput.value = lng.toFixed(6);
        if (latInput) latInput.value = lat.toFixed(6);
      }
      showGrid(lng, lat);
      // Others (nearby.js, the nearby list) follow the pin.
      if (pick) el.dispatchEvent(new CustomEvent("ap:placed", { bubbles: true, detail: { lat: lat, lng: lng } }));
    }
    el.apMap = map;
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

    // Fit the map to bounds only when both can be measured: a grid without a boundary has no bounds, and a map not
    // laid out yet (size 0) makes Leaflet compute a NaN centre ("Invalid LatLng object: (NaN, NaN)").
    function fit(bounds, padding) {
      map.invalidateSize(false);
      var size = map.getSize();
      if (!bounds || !bounds.isValid() || !size.x || !size.y) return false;
      map.fitBounds(bounds, { padding: padding, animate: false });
      return true;
    }

    function finish(keepView) {
      if (hasStart) place(startLat, startLng, !keepView);
    }

    if (!el.dataset.gridsUrl) {
      finish(false);
      el.dataset.ready = "1";
      return;
    }
    fetch(el.dataset.gridsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.ok ? r.json() : { features: [] };
      })
      .then(function (data) {
        features = data.features || [];
        var codes = (el.dataset.gridCode || "").split(",").filter(Boolean);
        var focus = null;
        var layer = L.geoJSON(data, {
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
        // Show the whole grid around the point when there is one; otherwise zoom to the point. The page opens
        // there at once (no zoom animation): a tap while the map still glides would land somewhere else.
        var fitted = focus ? fit(focus.getBounds(), [16, 16]) : false;
        if (!fitted && hasStart) map.setView([startLat, startLng], 16, { animate: false });
        else if (!fitted && features.length) fit(layer.getBounds(), [8, 8]);
        finish(!!focus);
        if (focus && !fitted && !hasStart) {
          // The map had no size yet (laid out later, a phone's slow start): open on the own grid(s) once it has.
          var tries = 0;
          var again = function () {
            if (fit(focus.getBounds(), [16, 16]) || ++tries > 40) return;
            window.requestAnimationFrame(again);
          };
          window.requestAnimationFrame(again);
        }
        el.dataset.ready = "1";
      })
      .catch(function () {
        finish(false);
        el.dataset.ready = "1";
      });
  }

  function init(root) {
    if (typeof L === "undefined") return;
    (root || document).querySelectorAll(".ap-map").forEach(setup);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    init(e.target);
  });
})();
