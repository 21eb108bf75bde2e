// Fill the record form's position from the phone (asked once, only on the record page); without it the visit is
// recorded without a distance.
(function () {
  var form = document.querySelector("form[data-locate]");
  if (!form || !navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition(function (pos) {
    form.querySelector("[name=lng]").value = pos.coords.longitude.toFixed(6);
    form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(6);
  }, function () {}, { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
})();
