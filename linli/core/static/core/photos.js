/* Linli: the photos of a form (input[type=file][data-photo-picks]) add up on a phone, in every app (territory's
 * visits, appeals' new appeal, patrol report, resolution and added information).
 *
 * A phone's camera (capture) gives one photo a tap, and a browser's file input keeps only the last choice: a grid
 * worker or a resident who took three photos one after another sent the last one alone. Here each choice is added to
 * those chosen before (the same file twice once), up to data-max-files counted with the photos a refused form kept
 * (the ticked keep_photo boxes of the same form); each is shown as a thumbnail with a button to take it out, and the
 * input holds them all when the form is sent. With data-types and data-max-bytes a file of another type or too large
 * is left out at once, said under the thumbnails as the field's errors are (the server checks again and has the last
 * word); so are photos over the most. Without this script the input works as before. Inputs an htmx swap brings are taken up too.
 *
 * Texts (the input's data-*): remove-label, count-label (%(count)s), too-many (%(max)s), bad-type and too-big
 * (%(name)s).
 */
(function () {
  "use strict";

  function key(file) {
    return [file.name, file.size, file.lastModified].join("/");
  }

  function said(input, name, values) {
    var text = input.dataset[name] || "";
    Object.keys(values).forEach(function (k) {
      text = text.replace("%(" + k + ")s", values[k]);
    });
    return text;
  }

  function picker(input) {
    if (typeof DataTransfer === "undefined" || input.dataset.photoPicksReady) return;
    input.dataset.photoPicksReady = "1";
    var max = parseInt(input.dataset.maxFiles || "6", 10);
    var maxBytes = parseInt(input.dataset.maxBytes || "0", 10);
    var types = (input.dataset.types || "").split(",").filter(Boolean);
    var chosen = [];
    var list = document.createElement("div");
    list.className = "kept-list photo-picks";
    // Named after the input (id_photos: photos-preview), as appeals' thumbnails were, for a page or test to find.
    if (input.id) list.id = input.id.replace(/^id_/, "") + "-preview";
    var note = document.createElement("p");
    note.className = "help photo-picks-note";
    note.setAttribute("role", "status");
    var problem = document.createElement("ul");
    problem.className = "errorlist photo-picks-problem";
    problem.setAttribute("role", "alert");
    input.insertAdjacentElement("afterend", problem);
    input.insertAdjacentElement("afterend", note);
    input.insertAdjacentElement("afterend", list);

    function keptCount() {
      return input.form ? input.form.querySelectorAll("input[name=keep_photo]:checked").length : 0;
    }

    function show(refusals) {
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
          show([]);
        });
        fig.appendChild(img);
        fig.appendChild(drop);
        list.appendChild(fig);
      });
      note.textContent = chosen.length ? said(input, "countLabel", { count: chosen.length }) : "";
      note.hidden = chosen.length === 0;
      problem.innerHTML = "";
      refusals.forEach(function (words) {
        var item = document.createElement("li");
        item.textContent = words;
        problem.appendChild(item);
      });
      problem.hidden = refusals.length === 0;
    }

    // Files chosen before this script took the input up (a tap while the page was still loading) are kept too:
    // they are taken as the first choice, not cleared.
    function take() {
      var seen = {};
      chosen.forEach(function (file) {
        seen[key(file)] = true;
      });
      var refusals = [];
      var over = 0;
      Array.prototype.forEach.call(input.files || [], function (file) {
        if (seen[key(file)]) return;
        seen[key(file)] = true;
        if (types.length && types.indexOf(file.type) === -1) {
          refusals.push(said(input, "badType", { name: file.name }));
        } else if (maxBytes && file.size > maxBytes) {
          refusals.push(said(input, "tooBig", { name: file.name }));
        } else if (chosen.length + keptCount() < max) {
          chosen.push(file);
        } else {
          over += 1;
        }
      });
      if (over) refusals.push(said(input, "tooMany", { max: max }));
      show(refusals);
    }

    input.addEventListener("change", take);
    take();
  }

  function init(root) {
    if (root.querySelectorAll) root.querySelectorAll("input[type=file][data-photo-picks]").forEach(picker);
  }

  init(document);
  document.addEventListener("htmx:afterSwap", function (e) {
    init(e.target);
  });
})();
