/*
 * Inline checks and predict blocks on top of htmx. Everything works without this file. A refused
 * answer comes back to htmx as a 422 with the reason (core/refusals.py), which base.html's
 * htmx-config swaps in like any other; this file only moves keyboard focus to the feedback that
 * replaced the form, so screen-reader and keyboard users land on it.
 */
(function () {
  "use strict";
  if (window.practiceBlocksReady) {
    return;
  }
  window.practiceBlocksReady = true;

  document.addEventListener("htmx:afterSettle", function () {
    var landing = document.querySelector("[data-practice-focus]");
    if (landing) {
      landing.removeAttribute("data-practice-focus");
      landing.focus();
    } else {
      var fresh = document.querySelector("[data-practice-fresh] input");
      if (fresh) {
        fresh.closest("[data-practice-fresh]").removeAttribute("data-practice-fresh");
        fresh.focus();
      }
    }
  });
})();
