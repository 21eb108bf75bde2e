// Check in and out: the phone's location goes with the form, read when the volunteer presses the button.
(function () {
  var form = document.querySelector("form[data-locate]");
  if (!form) return;
  var status = form.querySelector("[data-locate-status]");
  var located = false;
  form.addEventListener("submit", function (event) {
    if (located) return;
    event.preventDefault();
    var submitter = event.submitter;
    if (!navigator.geolocation) { status.textContent = status.dataset.denied; return; }
    status.textContent = status.dataset.asking;
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.lng.value = pos.coords.longitude.toFixed(6);
      form.elements.lat.value = pos.coords.latitude.toFixed(6);
      status.textContent = status.dataset.found;
      located = true;
      form.requestSubmit(submitter);
    }, function () {
      status.textContent = status.dataset.denied;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
