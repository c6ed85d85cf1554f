/*
 * Inline checks and predict blocks on top of htmx. Everything works without this file; it only
 * lets a refused answer (HTTP 400 or 409, with the reason) be swapped in like any other, and
 * moves keyboard focus to the feedback that replaced the form, so screen-reader and keyboard
 * users land on it.
 */
(function () {
  "use strict";
  if (window.practiceBlocksReady) {
    return;
  }
  window.practiceBlocksReady = true;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 400 || status === 409) && target && target.classList.contains("practice-block")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

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
