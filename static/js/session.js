// htmx requests and a session that has ended (config/sessions.py).
(function () {
  "use strict";

  // Send the CSRF token of the cookie as it is now, not as the page was rendered with: after
  // signing in again in another tab (which changes the token), this page can still save.
  document.addEventListener("htmx:configRequest", function (event) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (!match) return;
    var token = decodeURIComponent(match[1]);
    event.detail.headers["X-CSRFToken"] = token;
    // A form's own {% csrf_token %} field wins over the header, so it must be current too.
    var parameters = event.detail.parameters;
    if (parameters && parameters.csrfmiddlewaretoken !== undefined) {
      parameters.csrfmiddlewaretoken = token;
    }
  });

  // When the session has ended, the server answers htmx with 401 and a sentence; htmx swaps
  // nothing in on a 4xx answer, so whatever was typed stays on the page. Say why nothing was
  // saved beside what was being saved (a form: after its button), where a screen reader
  // announces it too (WCAG 4.1.3).
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var source = event.detail && event.detail.elt;
    if (!xhr || xhr.status !== 401 || !source) return;
    var old = document.getElementById("signed-out");
    if (old) old.remove();
    var alert = document.createElement("div");
    alert.id = "signed-out";
    alert.className = "alert alert-warning mt-3";
    alert.setAttribute("role", "alert");
    alert.textContent = xhr.responseText;
    if (source.tagName === "FORM") {
      source.appendChild(alert);
    } else {
      source.parentNode.insertBefore(alert, source);
    }
    alert.scrollIntoView({ block: "nearest" });
  });

  // Saved again after signing in: the warning has done its job.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var alert = document.getElementById("signed-out");
    if (alert && xhr && xhr.status >= 200 && xhr.status < 300) alert.remove();
  });
})();
