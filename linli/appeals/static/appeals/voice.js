/* Linli appeals: record a voice message in the browser (MediaRecorder, no library) and send it with the form.
 *
 * Markup: partials/voice_field.html — a [data-voice] block holding the file input [data-voice-input] the form
 * posts. The recording is put into that input (DataTransfer), so the form, its validation and the server's
 * checks (type and size, validation.validate_voice) are the same as for a file chosen from the phone. Without
 * MediaRecorder or a microphone, the file input alone remains.
 */
(function () {
  "use strict";

  var MAX_SECONDS = 120;
  var TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];

  function pickType() {
    if (typeof MediaRecorder === "undefined" || !MediaRecorder.isTypeSupported) return "";
    for (var i = 0; i < TYPES.length; i++) if (MediaRecorder.isTypeSupported(TYPES[i])) return TYPES[i];
    return "";
  }

  function extension(type) {
    if (type.indexOf("ogg") >= 0) return "ogg";
    if (type.indexOf("mp4") >= 0) return "m4a";
    return "webm";
  }

  function setup(box) {
    if (box.dataset.voiceReady) return;
    box.dataset.voiceReady = "1";
    var start = box.querySelector("[data-voice-start]");
    var stop = box.querySelector("[data-voice-stop]");
    var clear = box.querySelector("[data-voice-clear]");
    var clock = box.querySelector("[data-voice-clock]");
    var preview = box.querySelector("[data-voice-preview]");
    var status = box.querySelector("[data-voice-status]");
    var input = box.querySelector("[data-voice-input]");
    var seconds = box.querySelector("input[name$='voice_seconds']");
    var type = pickType();
    var canRecord = !!(type && navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.DataTransfer);
    if (!canRecord) {
      start.hidden = true;
      return;
    }
    var recorder = null, chunks = [], began = 0, timer = null, stream = null;

    function say(text) {
      if (status) status.textContent = text || "";
    }

    function tick() {
      var s = Math.floor((Date.now() - began) / 1000);
      clock.textContent = Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
      if (s >= MAX_SECONDS) {
        say(box.dataset.tooLong);
        finish();
      }
    }

    function finish() {
      if (recorder && recorder.state !== "inactive") recorder.stop();
      clearInterval(timer);
    }

    start.addEventListener("click", function () {
      navigator.mediaDevices
        .getUserMedia({ audio: true })
        .then(function (s) {
          stream = s;
          chunks = [];
          recorder = new MediaRecorder(stream, { mimeType: type });
          recorder.addEventListener("dataavailable", function (e) {
            if (e.data && e.data.size) chunks.push(e.data);
          });
          recorder.addEventListener("stop", function () {
            stream.getTracks().forEach(function (t) {
              t.stop();
            });
            var base = type.split(";")[0];
            var blob = new Blob(chunks, { type: base });
            var file = new File([blob], "voice." + extension(base), { type: base });
            var list = new DataTransfer();
            list.items.add(file);
            input.files = list.files;
            if (seconds) seconds.value = String(Math.round((Date.now() - began) / 1000));
            preview.src = URL.createObjectURL(blob);
            preview.hidden = false;
            stop.hidden = true;
            start.hidden = false;
            clear.hidden = false;
            box.dataset.voiceHas = "1";
            if (status && status.textContent !== box.dataset.tooLong) say(box.dataset.ready);
          });
          recorder.start(1000);
          began = Date.now();
          clock.textContent = "0:00";
          timer = setInterval(tick, 500);
          start.hidden = true;
          clear.hidden = true;
          stop.hidden = false;
          say(box.dataset.recording);
        })
        .catch(function () {
          say(box.dataset.denied);
          start.hidden = true;
        });
    });

    stop.addEventListener("click", finish);

    clear.addEventListener("click", function () {
      input.value = "";
      if (seconds) seconds.value = "";
      preview.hidden = true;
      preview.removeAttribute("src");
      clear.hidden = true;
      delete box.dataset.voiceHas;
      say("");
    });
  }

  function init(root) {
    (root || document).querySelectorAll("[data-voice]").forEach(setup);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    init(e.target);
  });
})();
