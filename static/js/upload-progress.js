// Upload with progress: the transfer as a bar, then an animated "checking and counting"
// state while the server reads the files (no percentage is known then). Without
// JavaScript the form posts normally.
(function () {
  "use strict";

  function megabytes(bytes) {
    return (bytes / 1048576).toLocaleString("en-GB", { maximumFractionDigits: 1 }) + " MB";
  }

  function describeFiles(form) {
    var input = form.querySelector("input[type=file]");
    var files = input && input.files ? Array.prototype.slice.call(input.files) : [];
    var size = files.reduce(function (sum, file) { return sum + file.size; }, 0);
    var count = files.length === 1 ? "1 file" : files.length + " files";
    return { text: count + " (" + megabytes(size) + ")", total: size };
  }

  function attach() {
    var form = document.querySelector("form[data-upload-progress]");
    if (!form || !window.XMLHttpRequest || !window.FormData) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var panel = document.getElementById("upload-progress");
      var bar = panel.querySelector("progress");
      var stage = document.getElementById("upload-stage");
      var status = document.getElementById("upload-status");
      var button = form.querySelector("button[type=submit]");
      var files = describeFiles(form);
      var checking = false;
      panel.hidden = false;
      button.disabled = true;
      bar.setAttribute("value", "0");
      stage.textContent = "Uploading " + files.text;
      status.textContent = "Uploading " + files.text + "…";

      function startChecking() {
        if (checking) return;
        checking = true;
        // A progress element without a value is indeterminate: browsers animate it.
        bar.removeAttribute("value");
        panel.setAttribute("aria-busy", "true");
        stage.textContent = "Checking and counting the rows…";
        status.textContent = "Uploaded " + files.text + ". Checking every row and counting " +
          "the records; large files take a minute or two. Please keep this page open.";
      }

      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.round((e.loaded / e.total) * 100);
        if (percent >= 100) {
          startChecking();
          return;
        }
        bar.value = percent;
        stage.textContent = "Uploading " + files.text + ": " + percent + "%";
        if (percent % 10 === 0) status.textContent = "Uploading: " + percent + "%";
      });
      xhr.upload.addEventListener("load", startChecking);
      xhr.addEventListener("load", function () {
        panel.removeAttribute("aria-busy");
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
          document.dispatchEvent(new CustomEvent("workbench:import-form"));
        }
      });
      xhr.addEventListener("error", function () {
        panel.removeAttribute("aria-busy");
        bar.setAttribute("value", "0");
        stage.textContent = "The upload failed";
        status.textContent = "The upload failed. Check your connection and try again.";
        button.disabled = false;
      });
      xhr.send(new FormData(form));
    });
  }

  document.addEventListener("DOMContentLoaded", attach);
})();
