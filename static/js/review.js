/*
 * The review queue on top of htmx. Everything works without this file; it only moves keyboard
 * focus to the feedback that replaced the form. (A refused answer comes back to htmx as a 422,
 * which base.html's htmx-config swaps in place: core/refusals.py.)
 */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function () {
    var landing = document.querySelector("[data-review-focus]");
    if (landing) {
      landing.removeAttribute("data-review-focus");
      landing.focus();
    }
  });
})();
