/* Co-building's fund and public pages: what a phone folds (a project's milestones, a unit's commitments, the
   statement's period chooser) stands open on a wide screen, so a desktop reads everything as before; a link to the
   period chooser (换个时段) opens it. */
(function () {
  "use strict";
  if (window.matchMedia("(min-width: 720px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }
  document.querySelectorAll("a[data-opens]").forEach(function (a) {
    a.addEventListener("click", function () {
      var d = document.getElementById(a.getAttribute("data-opens"));
      if (d) d.open = true;
    });
  });
})();
