/*
 * The review queue on top of htmx. Everything works without this file; it only lets a refused
 * answer (HTTP 400, 404 or 409, with the reason) be swapped in like any other response, and
 * moves keyboard focus to the feedback that replaced the form.
 */
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 400 || status === 404 || status === 409) && target && target.id === "review") {
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
