// Live preview beside the lesson body in the admin: after a pause in typing, post the text to
// the staff-only preview endpoint and show the HTML it returns. That HTML comes from the
// server's render_markdown, the same sanitised pipeline the lesson page uses.
(function () {
  "use strict";

  var DELAY_MS = 400;

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function attach(panel) {
    var source = document.getElementById(panel.dataset.source);
    var status = document.getElementById(panel.dataset.status);
    if (!source) {
      return;
    }
    var timer = null;
    var controller = null;

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function refresh() {
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var data = new FormData();
      data.append("body", source.value);
      say("Updating the preview…");
      fetch(panel.dataset.previewUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(source.form) },
        signal: controller.signal,
      })
        .then(function (response) {
          return response.text().then(function (html) {
            if (!response.ok && response.status !== 400) {
              throw new Error("status " + response.status);
            }
            panel.innerHTML = html;
            say(response.ok ? "Preview up to date." : "The preview shows a problem to fix.");
          });
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            say("The preview could not be updated (" + error.message + "). Your text is not affected.");
          }
        });
    }

    source.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY_MS);
    });
    refresh();
  }

  function start() {
    document.querySelectorAll("[data-preview-url]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
