// Quiz pages. htmx posts the answers and swaps in the graded result; this file adds two things:
// a refused submission (400, 403 or 429) still replaces the form with the server's explanation,
// and after any swap keyboard and screen-reader users land on what replaced the form.
(function () {
  "use strict";

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 400 || status === 403 || status === 429) && target && target.id === "quiz") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var landing = document.querySelector("[data-quiz-focus]");
    if (landing) {
      landing.removeAttribute("data-quiz-focus");
      landing.focus();
      landing.scrollIntoView({ block: "start" });
    }
  });
})();
