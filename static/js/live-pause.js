// Whoever watches a part of the page that updates by itself can pause it and resume it (WCAG
// 2.2.2), keeping their place: while paused, nothing in it changes (htmx polls and WebSocket
// messages aimed at it are cancelled), and on resuming it updates at once. Markup:
// {% include "includes/live_pause.html" with target="live" %} beside the element with id "live".
(function () {
  "use strict";

  function paused(element) {
    var region = element && element.closest && element.closest("[data-live-paused]");
    return Boolean(region);
  }

  function setPaused(button, target, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "Resume updates" : "Pause updates";
    if (on) {
      target.setAttribute("data-live-paused", "");
    } else {
      target.removeAttribute("data-live-paused");
    }
    var status = document.querySelector('[data-live-status="' + target.id + '"]');
    if (status) status.textContent = on ? "Updates paused." : "Updates resumed.";
    target.dispatchEvent(new CustomEvent(on ? "wb:live-paused" : "wb:live-resumed"));
    if (!on && window.htmx && target.hasAttribute("hx-get")) {
      window.htmx.ajax("GET", target.getAttribute("hx-get"), {target: target, swap: "innerHTML"});
    }
  }

  function cancelWhilePaused(event) {
    if (paused(event.detail && event.detail.elt) || paused(event.target)) event.preventDefault();
  }

  document.addEventListener("htmx:beforeRequest", cancelWhilePaused);
  document.addEventListener("htmx:wsBeforeMessage", cancelWhilePaused);
  document.addEventListener("htmx:oobBeforeSwap", cancelWhilePaused);

  function wire() {
    document.querySelectorAll("button[data-live-target]").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("data-live-target"));
      if (!target || button.hasAttribute("data-wired")) return;
      button.setAttribute("data-wired", "");
      button.hidden = false;  // without this script the button could do nothing
      button.addEventListener("click", function () {
        setPaused(button, target, button.getAttribute("aria-pressed") !== "true");
      });
    });
  }

  window.wbLivePaused = paused;  // for other scripts that update a part of the page themselves
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
