// The portal's own small behaviours. No inline scripts anywhere: this file is loaded with defer.
// Live character counter: <textarea data-counter="id-of-output" maxlength="50"> updates «11/50 tegn».
(function () {
  function update(field) {
    var out = document.getElementById(field.getAttribute("data-counter"));
    if (!out) return;
    var max = field.getAttribute("maxlength");
    out.textContent = field.value.length + "/" + max + " tegn";
  }
  function bind(root) {
    root.querySelectorAll("[data-counter]").forEach(function (field) {
      if (field.dataset.counterBound) return;
      field.dataset.counterBound = "1";
      field.addEventListener("input", function () { update(field); });
      update(field);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { bind(document); });
  document.addEventListener("htmx:afterSettle", function (event) { bind(event.target); });
})();
