// Upload with a progress bar. Without JavaScript the form posts normally.
(function () {
  "use strict";

  function attach() {
    var form = document.querySelector("form[data-upload-progress]");
    if (!form || !window.XMLHttpRequest || !window.FormData) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var panel = document.getElementById("upload-progress");
      var bar = panel.querySelector("progress");
      var status = panel.querySelector("[role=status]");
      var button = form.querySelector("button[type=submit]");
      panel.hidden = false;
      button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.round((e.loaded / e.total) * 100);
        bar.value = percent;
        status.textContent = percent < 100
          ? "Uploading: " + percent + "%"
          : "Uploaded. Checking and counting the records…";
      });
      xhr.addEventListener("load", function () {
        if (xhr.responseURL && xhr.responseURL.split("#")[0] !== window.location.href.split("#")[0]) {
          window.location.href = xhr.responseURL;
          return;
        }
        var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var main = doc.querySelector("main");
        if (main) {
          document.querySelector("main").replaceWith(main);
          document.getElementById("main").focus();
          attach();
        }
      });
      xhr.addEventListener("error", function () {
        status.textContent = "The upload failed. Check your connection and try again.";
        button.disabled = false;
      });
      xhr.send(new FormData(form));
    });
  }

  document.addEventListener("DOMContentLoaded", attach);
})();
