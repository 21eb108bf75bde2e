/* Linli territory: the photos of a visit (input[type=file][data-photo-picks]) add up on a phone.
 *
 * A phone's camera (capture) gives one photo a tap, and a browser's file input keeps only the last choice: a grid
 * worker who took three photos one after another sent the last one alone. Here each choice is added to those
 * chosen before (the same file twice once), up to data-max-files counted with the photos a refused form kept
 * (the ticked keep_photo boxes of the same form); each is shown as a thumbnail with a button to take it out, and
 * the input holds them all when the form is sent. Without this script the input works as before.
 */
(function () {
  "use strict";

  function key(file) {
    return [file.name, file.size, file.lastModified].join("/");
  }

  function picker(input) {
    if (typeof DataTransfer === "undefined") return;
    var max = parseInt(input.dataset.maxFiles || "6", 10);
    var chosen = [];
    var list = document.createElement("div");
    list.className = "kept-list photo-picks";
    var note = document.createElement("p");
    note.className = "help photo-picks-note";
    note.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", note);
    input.insertAdjacentElement("afterend", list);

    function keptCount() {
      return input.form ? input.form.querySelectorAll("input[name=keep_photo]:checked").length : 0;
    }

    function show(left) {
      var all = new DataTransfer();
      chosen.forEach(function (file) {
        all.items.add(file);
      });
      input.files = all.files;
      list.innerHTML = "";
      chosen.forEach(function (file, i) {
        var fig = document.createElement("figure");
        var img = document.createElement("img");
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        img.addEventListener("load", function () {
          URL.revokeObjectURL(img.src);
        });
        var drop = document.createElement("button");
        drop.type = "button";
        drop.className = "btn btn-small";
        drop.textContent = input.dataset.removeLabel || "×";
        drop.addEventListener("click", function () {
          chosen.splice(i, 1);
          show(0);
        });
        fig.appendChild(img);
        fig.appendChild(drop);
        list.appendChild(fig);
      });
      var words = [];
      if (chosen.length) words.push((input.dataset.countLabel || "").replace("%(count)s", chosen.length));
      if (left) words.push((input.dataset.tooMany || "").replace("%(max)s", max));
      note.textContent = words.join(" ");
      note.hidden = words.length === 0;
    }

    input.addEventListener("change", function () {
      var seen = {};
      chosen.forEach(function (file) {
        seen[key(file)] = true;
      });
      var left = 0;
      Array.prototype.forEach.call(input.files || [], function (file) {
        if (seen[key(file)]) return;
        seen[key(file)] = true;
        if (chosen.length + keptCount() < max) chosen.push(file);
        else left += 1;
      });
      show(left);
    });
    show(0);
  }

  document.querySelectorAll("input[type=file][data-photo-picks]").forEach(picker);
})();
