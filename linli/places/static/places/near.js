/* Places near me: the phone's position (asked only when the resident taps the button) sorts the list. */
(function () {
  "use strict";
  var button = document.getElementById("locate-me");
  var form = document.getElementById("near-form");
  if (!button || !form) return;
  button.addEventListener("click", function () {
    var status = document.getElementById("locate-status");
    if (!navigator.geolocation) { status.textContent = button.dataset.labelFailed; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.lng.value = pos.coords.longitude.toFixed(6);
      form.elements.lat.value = pos.coords.latitude.toFixed(6);
      form.submit();
    }, function () { status.textContent = button.dataset.labelFailed; }, { timeout: 10000 });
  });
})();
