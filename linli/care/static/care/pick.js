// The late list's "tick all on this page": a box with data-pick-all="<form id>" ticks or unticks every box
// that belongs to that form (the rows' boxes name it with form="…"), so closing a page of them is one tap.
(function () {
  "use strict";
  document.addEventListener("change", function (evt) {
    var all = evt.target;
    if (!all || !all.dataset || !all.dataset.pickAll) return;
    var boxes = document.querySelectorAll('input[type="checkbox"][form="' + all.dataset.pickAll + '"]');
    boxes.forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();
