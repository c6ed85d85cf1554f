// Quiz pages. htmx posts the answers and swaps in the graded result, or a refusal (422 for htmx,
// see core/refusals.py and the htmx-config in base.html) in place of the form; this file moves
// keyboard and screen-reader users to what replaced the form after any swap.
(function () {
  "use strict";

  document.addEventListener("htmx:afterSettle", function () {
    var landing = document.querySelector("[data-quiz-focus]");
    if (landing) {
      landing.removeAttribute("data-quiz-focus");
      landing.focus();
      landing.scrollIntoView({ block: "start" });
    }
  });
})();
