/* Linli overview: ECharts (vendored) for the trend, categories and ranking; Leaflet for the grid map coloured
   by a chosen figure; on the wall screen, a timer that reloads the figures. A static file: the CSP forbids
   inline scripts. Every bar, unit and grid drills down to the same page scoped to it. */
(function () {
  "use strict";
  // Leaflet inserts a string as HTML: names people typed go in as a text node (site.js).
  var asText = window.Linli.asText;
  // Clock readings in the district's own time zone (the server's, on the wall clock's data-tz), whatever the
  // wall screen's computer is set to.
  function districtTime(timeOnly) {
    var clock = document.getElementById("wall-clock");
    var opts = { hour12: false };
    if (clock && clock.dataset.tz) opts.timeZone = clock.dataset.tz;
    var now = new Date();
    try { return timeOnly ? now.toLocaleTimeString("zh-CN", opts) : now.toLocaleString("zh-CN", opts); }
    catch (e) { return timeOnly ? now.toLocaleTimeString("zh-CN") : now.toLocaleString("zh-CN"); }
  }

  var dataEl = document.getElementById("dash-data");
  if (!dataEl) return;
  var data = JSON.parse(dataEl.textContent);
  var wall = document.body.classList.contains("wall");
  var fg = wall ? "#e5e7eb" : "#374151";
  var grid = wall ? "#374151" : "#e5e7eb";
  var charts = {};

  function pct(v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"; }

  function chart(id) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    if (!charts[id]) {
      charts[id] = window.echarts.init(el, null, { renderer: "canvas" });
      window.addEventListener("resize", function () { charts[id].resize(); });
    }
    return charts[id];
  }

  function axis(extra) {
    return Object.assign({ axisLabel: { color: fg }, axisLine: { lineStyle: { color: grid } }, splitLine: { lineStyle: { color: grid } } }, extra || {});
  }

  // A chart with nothing to draw gives way to its words (the wall's tiles are always there: a grid has no units
  // below it, a quiet period no appeal); a refresh that brings rows draws the chart again.
  function shownEmpty(id, isEmpty) {
    var el = document.getElementById(id), note = document.getElementById(id + "-empty");
    if (!el || !note) return false;
    note.hidden = !isEmpty;
    el.hidden = isEmpty;
    if (!isEmpty && charts[id]) charts[id].resize();
    return isEmpty;
  }

  function drawTrend(d) {
    if (shownEmpty("chart-trend", !d.trend.some(function (p) { return p.received; }))) return;
    var c = chart("chart-trend");
    if (!c) return;
    var labels = d.trend.map(function (p) { return d.step === "month" ? p.start.slice(0, 7) : p.start.slice(5); });
    c.setOption({
      animation: !wall,
      textStyle: { color: fg },
      tooltip: { trigger: "axis" },
      legend: { textStyle: { color: fg }, top: 0 },
      grid: { left: 40, right: 40, top: 34, bottom: 28 },
      xAxis: axis({ type: "category", data: labels }),
      yAxis: [axis({ type: "value", minInterval: 1 }), axis({ type: "value", min: 0, max: 100, axisLabel: { color: fg, formatter: "{value}%" } })],
      series: [
        { name: (d.labels || {}).received, type: "bar", data: d.trend.map(function (p) { return p.received; }), itemStyle: { color: "#3b82f6" } },
        { name: (d.labels || {}).resolution_rate, type: "line", yAxisIndex: 1, data: d.trend.map(function (p) { return p.resolution_rate === null ? null : +(p.resolution_rate * 100).toFixed(1); }), itemStyle: { color: "#16a34a" } },
        { name: (d.labels || {}).satisfaction_rate, type: "line", yAxisIndex: 1, data: d.trend.map(function (p) { return p.satisfaction_rate === null ? null : +(p.satisfaction_rate * 100).toFixed(1); }), itemStyle: { color: "#f59e0b" } }
      ]
    }, true);
    c.off("click");
    c.on("click", function (p) {
      var point = d.trend[p.dataIndex];
      if (point && point.url && !wall) window.location.href = point.url;
    });
  }

  // Every bar is named: ECharts leaves out every other label when the rows are close (a phone's 240px held
  // fifteen categories), so a page's chart grows to give each row room; the wall screen's fixed tiles keep
  // their size.
  var ROW_PX = 22;
  function drawBars(id, rows, color) {
    if (shownEmpty(id, !rows.length)) return;
    var c = chart(id);
    if (!c || !rows.length) return;
    var items = rows.slice().reverse();
    if (!wall) {
      var el = c.getDom();
      el.style.height = "";
      var needed = items.length * ROW_PX + 40;
      if (needed > el.clientHeight) { el.style.height = needed + "px"; c.resize(); }
    }
    c.setOption({
      animation: !wall,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: axis({ type: "value", minInterval: 1 }),
      yAxis: axis({ type: "category", data: items.map(function (r) { return r.name; }), axisLabel: { color: fg, interval: 0 } }),
      series: [{ type: "bar", data: items.map(function (r) { return r.received; }), itemStyle: { color: color }, cursor: "pointer" }]
    }, true);
    c.off("click");
    c.on("click", function (p) {
      var row = items[p.dataIndex];
      if (row && row.url && !wall) window.location.href = row.url;
    });
  }

  function drawAll(d) {
    drawTrend(d);
    drawBars("chart-categories", d.categories || [], "#10b981");
    drawBars("chart-ranking", d.ranking || [], "#6366f1");
  }

  // --- grid map -----------------------------------------------------------------------------------------
  var RAMP = ["#eff6ff", "#bfdbfe", "#60a5fa", "#2563eb", "#1e3a8a"];
  var GOOD = ["#fee2e2", "#fecaca", "#fde68a", "#86efac", "#16a34a"];
  var NONE = "#e5e7eb";
  function isRate(metric) { return /_rate$/.test(metric); }
  // The class (0-4) of a value: a rate by fifths of 100%; a count by fifths of the largest count shown.
  function step(metric, value, max) {
    if (isRate(metric)) return Math.min(4, Math.max(0, Math.ceil(value * 5) - 1));
    if (!max) return 0;
    return Math.min(4, Math.floor((value / max) * 4.999));
  }
  function colour(metric, value, max) {
    if (value === null || value === undefined || (!isRate(metric) && value === 0)) return NONE;
    return (isRate(metric) ? GOOD : RAMP)[step(metric, value, max)];
  }
  // The legend: which figure colours the grids, what each colour stands for, and what grey means.
  function drawLegend(legend, metric, max) {
    var texts = data.legend || {};
    var name = (texts.metrics || {})[metric] || metric;
    legend.textContent = "";
    var title = document.createElement("span");
    title.className = "legend-title";
    title.textContent = (texts.colour_by || "%(metric)s").replace("%(metric)s", name);
    legend.appendChild(title);
    function swatch(fill, label) {
      var item = document.createElement("span");
      item.className = "legend-item";
      var box = document.createElement("i");
      box.style.background = fill;
      item.appendChild(box);
      item.appendChild(document.createTextNode(label));
      legend.appendChild(item);
    }
    if (isRate(metric)) {
      for (var i = 0; i < 5; i++) swatch(GOOD[i], i * 20 + "–" + (i + 1) * 20 + "%");
      swatch(NONE, texts.rate_note || "—");
    } else {
      // Classes of whole numbers up to the largest count on the map (fewer classes when it is small).
      var seen = {};
      for (var v = 1; v <= max; v++) {
        var s = step(metric, v, max);
        if (!seen[s]) seen[s] = [v, v]; else seen[s][1] = v;
        if (v > 200) break;
      }
      if (max > 200) {
        seen = {};
        for (var k = 0; k < 5; k++) {
          var lo = Math.floor((k * max) / 4.999) + 1, hi = k === 4 ? max : Math.floor(((k + 1) * max) / 4.999);
          if (hi >= lo) seen[k] = [lo, hi];
        }
      }
      Object.keys(seen).sort().forEach(function (key) {
        var r = seen[key];
        swatch(RAMP[+key], r[0] === r[1] ? String(r[0]) : r[0] + "–" + r[1]);
      });
      swatch(NONE, "0 · " + (texts.none || ""));
    }
  }

  function initMap() {
    var el = document.getElementById("dash-map");
    if (!el || !window.L) return;
    window.Linli.leafletSetup();
    var map = window.L.map(el, { zoomSnap: 0.25, attributionControl: !!el.dataset.tileUrl });
    if (el.dataset.tileUrl) window.L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    var select = document.getElementById("map-metric");
    var legend = document.getElementById("map-legend");
    var layer = null;
    var geo = null;
    function paint() {
      if (!geo) return;
      var metric = select ? select.value : "received";
      var max = 0;
      geo.features.forEach(function (f) { var v = f.properties.figures[metric]; if (typeof v === "number" && v > max) max = v; });
      if (layer) map.removeLayer(layer);
      layer = window.L.geoJSON(geo, {
        style: function (f) {
          return { color: "#1f2937", weight: 1, fillOpacity: 0.75, fillColor: colour(metric, f.properties.figures[metric], max) };
        },
        onEachFeature: function (f, l) {
          var v = f.properties.figures[metric];
          var shown = /_rate$/.test(metric) ? pct(v) : (v === undefined ? 0 : v);
          l.bindTooltip(asText(f.properties.name + " · " + shown));
          l.on("click", function () { if (!wall) window.location.href = f.properties.url; });
        }
      }).addTo(map);
      if (legend) drawLegend(legend, metric, max);
    }
    fetch(el.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (g) {
        // Figures and links come once per response, keyed by grid id (see map_data in views.py).
        (g.features || []).forEach(function (f) {
          f.properties.figures = (g.figures && g.figures[f.id]) || { received: 0 };
          f.properties.url = (g.link || "").replace("{id}", f.id);
        });
        geo = g;
        if (!g.features || !g.features.length) { el.textContent = el.dataset.labelEmpty; return; }
        paint();
        map.fitBounds(layer.getBounds(), { padding: [10, 10], animate: false });
        el.dataset.ready = "1";
      });
    if (select) select.addEventListener("change", paint);
  }

  // --- wall screen --------------------------------------------------------------------------------------
  function refreshWall() {
    var url = document.body.dataset.refreshUrl;
    if (!url) return;
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        Object.keys(d.figures).forEach(function (key) {
          var node = document.querySelector('[data-figure="' + key + '"] .kpi-value');
          if (!node) return;
          var v = d.figures[key];
          node.textContent = /_rate$|_share$/.test(key) ? pct(v) : (key.indexOf("_days") > 0 ? (v === null ? "—" : v.toFixed(2)) : v);
        });
        var stamp = document.getElementById("wall-updated");
        if (stamp) stamp.textContent = districtTime(true);
        var list = document.getElementById("wall-overdue");
        if (list && d.overdue) {
          // None overdue is said as the page says it when it opens with none (the list's data-label-empty): an
          // emptied list read as a card that had failed.
          var lines = d.overdue.length ? d.overdue.map(function (b) {
            return b.tracking_number + " · " + b.title + (b.unit ? " · " + b.unit : "");
          }) : [list.dataset.labelEmpty || ""];
          list.textContent = "";
          lines.forEach(function (text) {
            var li = document.createElement("li");
            li.textContent = text;
            list.appendChild(li);
          });
        }
        drawAll(d);
      })
      .catch(function () { /* keep the last figures on screen; try again at the next tick */ });
  }

  drawAll(data);
  initMap();
  if (wall) {
    var seconds = parseInt(document.body.dataset.refreshSeconds || "60", 10);
    window.setInterval(refreshWall, Math.max(10, seconds) * 1000);
    var clock = document.getElementById("wall-clock");
    if (clock) {
      var tick = function () { clock.textContent = districtTime(false); };
      tick();
      window.setInterval(tick, 1000);
    }
  }
})();
