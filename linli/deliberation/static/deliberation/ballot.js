// A ballot whose options are ticked (single or multiple choice, online or on paper) is refused before the page
// asks to confirm it when nothing is ticked: <form data-none="…"> names the refusal. The first option carries it
// as the browser's own validity, so the browser stops the submit before the confirmation (web/site.js) is asked;
// the message shows in the form's alert, and whatever else was typed stays. Without a script the server refuses
// the same ballot (422) with the same words.
(function () {
  "use strict";

  function options(form) {
    return form.querySelectorAll('input[name="option"]');
  }

  function alertOf(form) {
    return form.querySelector("[data-none-alert]");
  }

  function check(form) {
    var boxes = options(form);
    if (!boxes.length) return;
    var ticked = Array.prototype.some.call(boxes, function (box) {
      return box.checked;
    });
    boxes[0].setCustomValidity(ticked ? "" : form.dataset.none);
    var alert = alertOf(form);
    if (ticked && alert) alert.hidden = true;
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-none]"), function (form) {
    check(form);
    form.addEventListener("change", function () {
      check(form);
    });
    // "invalid" does not bubble: caught on its way down, for each option the browser finds wanting.
    form.addEventListener(
      "invalid",
      function (evt) {
        var alert = alertOf(form);
        if (!alert || evt.target.name !== "option") return;
        evt.preventDefault(); // said in the form's alert instead of a bubble that leaves no trace
        alert.textContent = form.dataset.none;
        alert.hidden = false;
        alert.scrollIntoView({ block: "nearest" });
      },
      true
    );
  });
})();
