/* Linli appeals: behaviour of the appeal forms (resident page, hotline form, patrol report, resolve form).
 *
 * - photo inputs are core/photos.js's (each photo chosen added to those before, thumbnails, early checks), shared
 *   with territory's visits;
 * - text fields with data-max: their counter (what is left, how much over) is web/site.js's, shared by every form;
 * - category suggestion (htmx partial with [data-suggested-code]): applied to the category select unless the
 *   person already chose one; the "apply" button applies it on request;
 * - a form with data-once is submitted once: the button is disabled after the first click (the server also
 *   dedupes by the Idempotency-Key hidden field);
 * - details[data-wide-open] (the workbench's filters, folded on a phone) are opened on a wide screen;
 * - a page shown again after a refused action ([data-page-url], rendered at the action's POST address) puts
 *   its own address back in the address bar, so a reload or a shared link opens the appeal, not the action.
 */
(function () {
  "use strict";

  function applySuggestion(root, force) {
    var hint = root.querySelector ? root.querySelector("[data-suggested-code]") : null;
    if (!hint) return;
    var select = document.getElementById(hint.dataset.target);
    if (!select) return;
    if (force || !select.dataset.touched) {
      select.value = hint.dataset.suggestedCode;
      select.dataset.suggested = "1";
    }
  }

  function init(root) {
    root.querySelectorAll("select[data-category]").forEach(function (select) {
      select.addEventListener("change", function () {
        select.dataset.touched = "1";
      });
      if (select.value) select.dataset.touched = "1";
    });
    root.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function () {
        // Let the browser send the form, then stop a second click from sending it again.
        window.setTimeout(function () {
          form.querySelectorAll("button[type=submit]").forEach(function (b) {
            b.disabled = true;
            b.classList.add("ap-busy");
          });
        }, 0);
      });
    });
    root.querySelectorAll("[data-check-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        document.querySelectorAll("input[name='" + box.dataset.checkAll + "']").forEach(function (c) {
          c.checked = box.checked;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });
  document.addEventListener("click", function (e) {
    var btn = e.target.closest ? e.target.closest("[data-apply-suggestion]") : null;
    if (btn) {
      e.preventDefault();
      var box = btn.closest("[data-suggested-code]") || document;
      applySuggestion(box.parentNode || document, true);
      var select = document.getElementById(box.dataset.target);
      if (select) select.dataset.touched = "1";
    }
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    applySuggestion(e.target, false);
    init(e.target);
  });
  function openWide() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 900px)").matches) return;
    document.querySelectorAll("details[data-wide-open]").forEach(function (d) {
      d.open = true;
    });
  }
  function ownAddress() {
    var page = document.querySelector("[data-page-url]");
    var url = page && page.dataset.pageUrl;
    if (url && window.history && window.history.replaceState && window.location.pathname !== url) {
      window.history.replaceState(null, "", url + window.location.hash);
    }
  }
  function ready() {
    openWide();
    ownAddress();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
