/* Linli, on every page (loaded by web/base.html right after htmx, before the page's own scripts).
 *
 * 1. Every htmx request shows its error to the person. htmx swaps only 2xx answers by default, so a 422 with
 *    the form and its message would be dropped silently. Here:
 *    - a 4xx answer that is an HTML fragment (the step or form again, with its errors) is swapped into the
 *      request's target as a success would be;
 *    - a 4xx answer that is a whole page (the 403 and 404 pages) or JSON puts its message in the site's message
 *      area (#site-alert, role="alert");
 *    - a server error (5xx), a network failure and a timeout put a clear generic message there;
 *    - an answer redirected to a whole page (the sign-in page when the session has expired) is opened as a page.
 *    The texts come from data-* attributes of #site-alert, translated by the template.
 * 2. Linli.asText(value): a name people typed, as a text node inside a span, for the map scripts (Leaflet inserts a
 *    string as HTML).
 * 3. Leaflet's default marker icons are given their URLs and its zoom buttons their titles in the page's language
 *    (data-* attributes of this script tag). Leaflet guesses the folder of its images from its CSS, which fails once
 *    collectstatic has hashed the file names. A page script that builds its map before DOMContentLoaded calls
 *    Linli.leafletSetup() first.
 * 4. A text field with a limit (data-max, which forms give instead of maxlength: the browser would cut a pasted
 *    text without a word) has a counter: near the limit it says how many characters are left, over it by how
 *    many, and the field is marked. The server refuses an over-long text whole, naming the field and its limit.
 *    The counter is a small element after the field, shown near the limit. It counts as the server does:
 *    characters, a line break as one, the spaces around the text not counted.
 * 5. A form refused after it was sent (the server said why and sent the person back to the page) is filled in
 *    again with what was typed and chosen (a <select>'s option, when still offered). The server does it (web/base.html's {% refill_kept %}), so it works with no
 *    script; the page also carries the texts in #kept-input (core.kept), marked "filled" when the server has put
 *    them back, and only when it could not does this fill in the form posted to that address.
 * 6. A form refused is brought into view: on a page answered to a POST (the server refused the form and sent the
 *    page again, 422; web/base.html marks its body data-posted) and in what htmx swapped in from a 4xx answer, the
 *    first error (core/partials/field.html's errorlist and form_fields.html's form-errors, a field Django marked
 *    aria-invalid, an alert-error) is scrolled into view below the top bar, a closed <details> around it opened,
 *    and its field is given the focus. A form at the bottom of a long page was refused with the person looking at
 *    the top of it, on a phone as if nothing had happened. An ordinary page load is left alone.
 * 7. What a phone folds stands open on a wide screen: a <details data-open-wide> (places' coverage by community,
 *    co-building's milestones and period chooser) is opened where the window is 720 px wide or more, so a desktop
 *    reads everything at once and a phone reads the summaries first. Without a script it stays folded.
 */
(function () {
  "use strict";

  var script = document.currentScript;

  window.Linli = window.Linli || {};
  window.Linli.asText = function (value) {
    var span = document.createElement("span");
    span.textContent = value === undefined || value === null ? "" : String(value);
    return span;
  };
  // Long enough for an import upload; a request that hangs longer is told as a timeout.
  var TIMEOUT_MS = 120000;

  function area() {
    return document.getElementById("site-alert");
  }

  function say(text) {
    var el = area();
    if (!el) return;
    var body = el.querySelector(".site-alert-text");
    (body || el).textContent = text;
    el.hidden = false;
    el.scrollIntoView({ block: "nearest" });
  }

  function clear() {
    var el = area();
    if (el && !el.hidden) el.hidden = true;
  }

  function text(name, status) {
    var el = area();
    var value = (el && el.dataset[name]) || "";
    return value.replace("%(status)s", String(status || ""));
  }

  function isWholePage(body) {
    return /^\s*(<!doctype|<html)/i.test(body || "");
  }

  // The message a 4xx answer carries: the element marked data-error-message (error pages), else its heading,
  // else the "message" of a JSON error (the API's shape), else nothing.
  function messageOf(xhr) {
    var body = xhr.responseText || "";
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("json") !== -1) {
      try {
        var data = JSON.parse(body);
        return (data && (data.message || data.detail)) || "";
      } catch (e) {
        return "";
      }
    }
    if (!body.trim()) return "";
    var doc = new DOMParser().parseFromString(body, "text/html");
    var marked = doc.querySelector("[data-error-message]");
    if (marked) return marked.textContent.replace(/\s+/g, " ").trim();
    var heading = doc.querySelector("main h1, h1");
    return heading ? heading.textContent.trim() : "";
  }

  function hasAlert(fragment) {
    return /role=["']?alert/i.test(fragment || "");
  }

  function swapsNothing(detail) {
    var elt = detail.elt && detail.elt.closest ? detail.elt.closest("[hx-swap]") : null;
    return !!(elt && /^\s*none/.test(elt.getAttribute("hx-swap") || ""));
  }

  function redirectedToPage(detail) {
    var xhr = detail.xhr;
    var asked = detail.requestConfig && detail.requestConfig.path;
    if (!xhr.responseURL || !asked || !isWholePage(xhr.responseText)) return false;
    var to = new URL(xhr.responseURL, window.location.href);
    var from = new URL(asked, window.location.href);
    return to.pathname !== from.pathname;
  }

  if (window.htmx) {
    if (!window.htmx.config.timeout) window.htmx.config.timeout = TIMEOUT_MS;

    document.addEventListener("htmx:beforeRequest", clear);

    document.addEventListener("htmx:beforeSwap", function (evt) {
      var detail = evt.detail;
      var xhr = detail.xhr;
      var status = xhr.status;
      if (status < 400) {
        // Redirected to a whole page (the sign-in page once the session has expired): go there instead of
        // nesting that page inside this one.
        if (redirectedToPage(detail)) {
          detail.shouldSwap = false;
          window.location.assign(xhr.responseURL);
        }
        return;
      }
      if (status >= 500) {
        detail.shouldSwap = false;
        say(text("server", status));
        return;
      }
      var body = xhr.responseText || "";
      var type = xhr.getResponseHeader("Content-Type") || "";
      var fragment = type.indexOf("html") !== -1 && body.trim() && !isWholePage(body);
      if (fragment && detail.target && !swapsNothing(detail)) {
        // The server answered with the part of the page to show again (a form and its errors): show it.
        detail.shouldSwap = true;
        detail.isError = false;
        if (!hasAlert(body)) say(text("refused", status));
        return;
      }
      detail.shouldSwap = false;
      say(messageOf(xhr) || text("refused", status));
    });

    document.addEventListener("htmx:sendError", function () {
      say(text("network"));
    });
    document.addEventListener("htmx:timeout", function () {
      say(text("timeout"));
    });
  }

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("[data-site-alert-close]");
    if (button) clear();
  });

  // A step that cannot be undone asks first: <form data-confirm="…"> shows the question and sends nothing unless
  // it is confirmed (the policy forbids inline onsubmit handlers). Caught before htmx's own submit handler. In a
  // form of several steps, the button of the one that cannot be undone carries the question instead.
  document.addEventListener(
    "submit",
    function (evt) {
      var form = evt.target;
      var button = evt.submitter;
      var question =
        (button && button.dataset && button.dataset.confirm) || (form && form.dataset && form.dataset.confirm);
      if (question && !window.confirm(question)) {
        evt.preventDefault();
        evt.stopImmediatePropagation();
      }
    },
    true
  );

  // A strip of tabs wider than a phone scrolls sideways: the current tab (aria-current="page") is brought into
  // view within its strip, the page itself not moved.
  function currentTabsInView() {
    var current = document.querySelectorAll('[aria-current="page"]');
    for (var i = 0; i < current.length; i++) {
      var tab = current[i];
      var strip = tab.parentElement;
      if (!strip || strip.scrollWidth <= strip.clientWidth + 1) continue;
      var left = tab.getBoundingClientRect().left - strip.getBoundingClientRect().left + strip.scrollLeft;
      if (left < strip.scrollLeft || left + tab.offsetWidth > strip.scrollLeft + strip.clientWidth) {
        strip.scrollLeft = Math.max(0, left - (strip.clientWidth - tab.offsetWidth) / 2);
      }
    }
  }
  document.addEventListener("DOMContentLoaded", currentTabsInView);

  // A filter that applies as soon as it is picked: <select data-autosubmit> submits its form (the policy forbids
  // inline onchange handlers; the form keeps a button for when scripts are off).
  document.addEventListener("change", function (evt) {
    var field = evt.target.closest && evt.target.closest("[data-autosubmit]");
    if (field && field.form) {
      if (field.form.requestSubmit) field.form.requestSubmit();
      else field.form.submit();
    }
  });

  // Leaflet's default marker icons at their collected URLs, before any page script draws a marker (the page
  // scripts build their maps on DOMContentLoaded, after this listener).
  function leafletIcons() {
    var L = window.L;
    if (!L || !L.Icon || !L.Icon.Default || !script || !script.dataset.leafletIcon) return;
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions({
      iconUrl: script.dataset.leafletIcon,
      iconRetinaUrl: script.dataset.leafletIconRetina,
      shadowUrl: script.dataset.leafletShadow,
    });
    // The zoom buttons' titles and screen-reader labels in the page's language (Leaflet's own are English).
    if (L.Control && L.Control.Zoom && script.dataset.zoomIn) {
      L.Control.Zoom.prototype.options.zoomInTitle = script.dataset.zoomIn;
      L.Control.Zoom.prototype.options.zoomOutTitle = script.dataset.zoomOut;
    }
  }
  /* A map laid out again after it was framed (a folded form opened, a page settling, a phone turned) is told its new
     size and framed again by `frame`, as long as the person has not moved it themselves (web/map.js and places.js). */
  window.Linli.keepFramed = function (map, el, frame) {
    var touched = false;
    ["pointerdown", "wheel", "keydown"].forEach(function (type) {
      el.addEventListener(type, function () { touched = true; }, { passive: true });
    });
    if (!window.ResizeObserver) return;
    var last = [el.offsetWidth, el.offsetHeight];
    new ResizeObserver(function () {
      var now = [el.offsetWidth, el.offsetHeight];
      if (!now[0] || !now[1] || (now[0] === last[0] && now[1] === last[1])) return;
      last = now;
      map.invalidateSize({ pan: false });
      if (!touched) frame();
    }).observe(el);
  };

  // A page script that builds its map as soon as it loads (before DOMContentLoaded) calls this first.
  window.Linli.leafletSetup = leafletIcons;
  leafletIcons();
  document.addEventListener("DOMContentLoaded", leafletIcons);

  // 4. Counters of limited text fields (see the top of this file).
  function counterTexts() {
    var d = script ? script.dataset : {};
    return { left: d.counterLeft || "{n}", over: d.counterOver || "-{n}" };
  }

  function textLength(value) {
    return Array.from(value.trim()).length;
  }

  function counter(field) {
    if (field.dataset.counted) return;
    var max = parseInt(field.dataset.max || "0", 10);
    if (!max) return;
    field.dataset.counted = "1";
    var out = document.createElement("span");
    out.className = "text-counter";
    out.setAttribute("aria-live", "polite");
    out.hidden = true;
    field.insertAdjacentElement("afterend", out);
    var texts = counterTexts();
    var near = Math.max(10, Math.ceil(max / 10));
    function update() {
      var left = max - textLength(field.value);
      var over = left < 0;
      out.textContent = (over ? texts.over : texts.left).replace("{n}", String(over ? -left : left));
      out.classList.toggle("near", left <= near && !over);
      out.classList.toggle("over", over);
      field.classList.toggle("text-over", over);
      // Far from the limit the counter is hidden and empty: inside the field's label, its words would otherwise
      // become part of the field's name.
      out.hidden = left > near;
      if (out.hidden) out.textContent = "";
    }
    field.addEventListener("input", update);
    update();
  }

  function counters(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches("[data-max]")) counter(root);
    root.querySelectorAll("input[data-max], textarea[data-max]").forEach(counter);
  }

  // 5. What was typed in a refused form, filled in again (see the top of this file).
  function keptInput() {
    var data = document.getElementById("kept-input");
    if (!data) return;
    var kept;
    try {
      kept = JSON.parse(data.textContent);
    } catch (e) {
      return;
    }
    if (!kept || kept.filled || !kept.action || !kept.fields) return;
    var forms = document.querySelectorAll("form[method=post], form[method=POST]");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      if (!postsTo(form, kept.action) || !sameHidden(form, kept.fields)) continue;
      var first = null;
      Object.keys(kept.fields).forEach(function (name) {
        var field = form.querySelector(
          'input[name="' + name + '"], textarea[name="' + name + '"], select[name="' + name + '"]:not([multiple])'
        );
        if (!field || field.type === "hidden" || field.type === "checkbox" || field.type === "radio") return;
        if (field.type === "file" || field.type === "password") return;
        // A choice no longer offered leaves the page's own.
        if (field.tagName === "SELECT" && !Array.prototype.some.call(field.options, function (o) {
          return o.value === kept.fields[name];
        })) return;
        field.value = kept.fields[name];
        field.dispatchEvent(new Event("input", { bubbles: true }));
        if (!first) first = field;
      });
      if (first) {
        var folded = first.closest("details");
        if (folded && !folded.open) {
          folded.open = true;
          first.focus();
        }
        return;
      }
    }
  }

  // The form was posted to `path`: its action, or a button's formaction.
  function postsTo(form, path) {
    var here = window.location.href;
    var targets = [form.getAttribute("action") || here];
    form.querySelectorAll("[formaction]").forEach(function (b) {
      targets.push(b.getAttribute("formaction"));
    });
    return targets.some(function (t) {
      return new URL(t, here).pathname === path;
    });
  }

  // Of several forms posted to one address (a reply under each comment), the one whose hidden fields hold what
  // was sent.
  function sameHidden(form, fields) {
    return Array.prototype.every.call(form.querySelectorAll("input[type=hidden][name]"), function (hidden) {
      var sent = fields[hidden.name];
      return sent === undefined || sent === hidden.value;
    });
  }

  // 6. The first error of a refused form, in view and its field focused (see the top of this file).
  var ERRORS =
    '.errorlist, .form-errors, [aria-invalid="true"], .alert-error[role="alert"], .msg.error[role="alert"]';
  var FIELDS = "input:not([type=hidden]), select, textarea";

  function shown(el) {
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  function firstError(root) {
    var found = Array.prototype.slice.call(root.querySelectorAll(ERRORS));
    if (root.matches && root.matches(ERRORS)) found.unshift(root);
    for (var i = 0; i < found.length; i++) {
      var el = found[i];
      if (el.closest("#site-alert, .messages")) continue;
      for (var folded = el.closest("details"); folded; folded = folded.parentElement.closest("details")) {
        folded.open = true;
      }
      if (shown(el)) return el;
    }
    return null;
  }

  function usable(field) {
    return field && !field.disabled && shown(field) ? field : null;
  }

  // The field an error is about: itself, the one in its core field box, else the form's first marked invalid or,
  // for what the form refused as a whole, its first field.
  function fieldOf(error) {
    if (error.matches(FIELDS)) return usable(error);
    var box = error.closest(".field");
    var scope = box || error.closest("form");
    if (!scope) return null;
    var candidates = Array.prototype.slice.call(scope.querySelectorAll('[aria-invalid="true"]'));
    candidates = candidates.concat(Array.prototype.slice.call(scope.querySelectorAll(FIELDS)));
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i].matches(FIELDS) && usable(candidates[i])) return candidates[i];
    }
    return null;
  }

  // Scrolled so that `parts` (elements) are wholly in view below the sticky top bar, centred, unless they already
  // are; when they do not fit together, the last of them (the field to correct) is.
  function bringIntoView(parts) {
    var bar = document.querySelector(".topbar");
    var top = bar && window.getComputedStyle(bar).position === "sticky" ? bar.getBoundingClientRect().bottom : 0;
    var room = window.innerHeight - top;
    var rects = parts.map(function (el) {
      return el.getBoundingClientRect();
    });
    var from = Math.min.apply(null, rects.map(function (r) { return r.top; }));
    var to = Math.max.apply(null, rects.map(function (r) { return r.bottom; }));
    if (to - from > room) {
      from = rects[rects.length - 1].top;
      to = rects[rects.length - 1].bottom;
    }
    if (from >= top && to <= window.innerHeight) return;
    window.scrollTo(window.scrollX, Math.max(0, window.scrollY + from - top - Math.max(12, (room - (to - from)) / 2)));
  }

  // The first error in `root` and the field to correct, in view; the field focused. What is shown, for later.
  function revealError(root) {
    var error = firstError(root);
    if (!error) return null;
    var field = fieldOf(error);
    var parts = [error.closest(".field") || error];
    if (field) parts.push(field.closest(".field") || field);
    bringIntoView(parts);
    if (field) field.focus({ preventScroll: true });
    return parts;
  }

  function refusedPage() {
    if (!document.body || !document.body.hasAttribute("data-posted")) return;
    var parts = revealError(document.querySelector("main") || document.body);
    if (!parts) return;
    // Pictures and maps that load later may move them: brought back once all is loaded, unless the person scrolled.
    var at = window.scrollY;
    window.addEventListener("load", function () {
      if (Math.abs(window.scrollY - at) < 2) bringIntoView(parts);
    });
  }

  var revealedFor = null;
  document.addEventListener("htmx:afterSettle", function (evt) {
    var xhr = evt.detail && evt.detail.xhr;
    var root = evt.target;
    if (!xhr || xhr.status < 400 || xhr.status >= 500 || xhr === revealedFor) return;
    if (!root || !root.isConnected || !root.querySelectorAll) return;
    revealedFor = xhr;
    // After htmx's own settling (its autofocus and scrolling).
    window.setTimeout(function () {
      revealError(root);
    }, 0);
  });

  // 7. Folded on a phone, open on a wide screen (see the top of this file).
  function openWide(root) {
    if (!window.matchMedia("(min-width: 720px)").matches) return;
    root.querySelectorAll("details[data-open-wide]").forEach(function (d) {
      d.open = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    counters(document);
    keptInput();
    refusedPage();
    openWide(document);
  });
  document.addEventListener("htmx:load", function (evt) {
    counters(evt.target);
  });
})();
