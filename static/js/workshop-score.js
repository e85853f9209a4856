// Keep a keyboard user's place after an htmx save (WCAG 2.4.3). htmx puts focus back on the
// Save button, which keeps its id across the swap; when the risk has become read-only (revealed
// or settled meanwhile) that button is disabled, so focus the card's status message instead.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    var answers = event.target;
    if (!answers || !/^risk-\d+-answers$/.test(answers.id || "")) return;
    var active = document.activeElement;
    if (active && active !== document.body && document.body.contains(active)) return;
    var status = document.getElementById(answers.id.replace(/-answers$/, "-status"));
    if (status) status.focus();
  });
})();
