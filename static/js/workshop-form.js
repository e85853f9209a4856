// "All risks in a theme" ticks or clears that theme's risks as you go. Without JavaScript the
// server adds a chosen theme's risks itself, so the form works either way.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[name=themes]")) return;
    var group = box.closest("fieldset");
    if (!group) return;
    group.querySelectorAll("input[name=risks]:not(:disabled)").forEach(function (risk) {
      risk.checked = box.checked;
    });
  });
})();
