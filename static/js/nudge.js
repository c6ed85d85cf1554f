/*
 * A manager's Nudge buttons on top of htmx. Everything works without this file (the form posts
 * and the page comes back with a message); it only lets the refusals, "already nudged today"
 * (HTTP 429) and "turned nudges off" (409), replace the form like a success does, and moves
 * keyboard focus to the words that replaced the button.
 */
(function () {
  "use strict";
  if (window.nudgeButtonsReady) {
    return;
  }
  window.nudgeButtonsReady = true;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 409 || status === 429) && target && target.hasAttribute("data-nudge")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var result = event.detail.elt && event.detail.elt.matches && event.detail.elt.matches("[data-nudge-result]")
      ? event.detail.elt
      : document.querySelector("[data-nudge-result]:not([data-nudge-seen])");
    if (result) {
      result.setAttribute("data-nudge-seen", "");
      result.focus();
    }
  });
})();
