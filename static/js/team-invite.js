/* Copy buttons for invite links. A button with data-copy="<input id>" copies that input's
   value with the Clipboard API and says so in the element named by data-copy-status. The
   buttons start hidden, so without JavaScript only the readonly input shows. */
(function () {
  "use strict";

  function say(status, text) {
    if (status) {
      status.textContent = text;
    }
  }

  function setUp(button) {
    var input = document.getElementById(button.dataset.copy);
    var status = document.getElementById(button.dataset.copyStatus);
    if (!input) {
      return;
    }
    input.addEventListener("focus", function () { input.select(); });
    button.hidden = false;
    button.addEventListener("click", function () {
      var fallback = function () {
        input.focus();
        input.select();
        say(status, "The link is selected: press Ctrl+C (or Command+C on a Mac) to copy it.");
      };
      if (!navigator.clipboard || !window.isSecureContext) {
        fallback();
        return;
      }
      navigator.clipboard.writeText(input.value).then(function () {
        say(status, "Link copied. Paste it into an email or a chat message.");
      }, fallback);
    });
  }

  document.querySelectorAll("button[data-copy]").forEach(setUp);
})();
