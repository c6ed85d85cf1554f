/*
 * The lesson page on top of htmx. Everything works without this file (marking a lesson complete
 * posts and the page comes back at the success panel); after htmx swaps the panel in, it moves
 * keyboard and screen-reader users to it, so the acknowledgement and the next step are heard.
 */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function () {
    var landing = document.querySelector("[data-lesson-focus]");
    if (landing) {
      landing.removeAttribute("data-lesson-focus");
      landing.focus();
    }
  });
})();
