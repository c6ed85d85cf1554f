/*
 * The review queue on top of htmx. Everything works without this file; it only lets "that card
 * is not in your reviews" (HTTP 404, with the reason) be swapped in like any other response,
 * and moves keyboard focus to the feedback that replaced the form. (A refused answer comes
 * back to htmx as a 422, which base.html's htmx-config swaps in place: core/refusals.py.)
 */
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 404 && target && target.id === "review") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var landing = document.querySelector("[data-review-focus]");
    if (landing) {
      landing.removeAttribute("data-review-focus");
      landing.focus();
    }
  });
})();
