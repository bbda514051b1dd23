// The portal's own small behaviours. No inline scripts anywhere: this file is loaded with defer.
// Live character counter: <textarea data-counter="id-of-output" maxlength="50"> updates «11/50 tegn».
// The unit after «11/50» is taken from the page as rendered, so it follows the chosen language.
(function () {
  function update(field) {
    var out = document.getElementById(field.getAttribute("data-counter"));
    if (!out) return;
    if (out.dataset.counterUnit === undefined) {
      out.dataset.counterUnit = out.textContent.replace(/^\s*\d+\/\d+/, "").replace(/\s+$/, "") || " tegn";
    }
    var max = field.getAttribute("maxlength");
    out.textContent = field.value.length + "/" + max + out.dataset.counterUnit;
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
