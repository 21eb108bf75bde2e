/* Co-building's fund and public pages: a link to the period chooser (换个时段) opens it. (What a phone folds there,
   a project's milestones, a unit's commitments, the chooser, stands open on a wide screen: web/site.js's
   data-open-wide.) */
(function () {
  "use strict";
  document.querySelectorAll("a[data-opens]").forEach(function (a) {
    a.addEventListener("click", function () {
      var d = document.getElementById(a.getAttribute("data-opens"));
      if (d) d.open = true;
    });
  });
})();
