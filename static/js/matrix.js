/*
 * The decision-matrix widget on top of htmx. Everything works without this file; it only
 * hides the "show" buttons that auto-submitting forms make redundant and puts keyboard focus
 * somewhere sensible when a swap removed the focused control (a prediction refused with errors
 * comes back to htmx as a 422, which base.html's htmx-config swaps in: core/refusals.py). It also takes the tab stop off a table's scroll region
 * while the table fits (the markup gives every scroller one, for pages without JavaScript).
 */
(function () {
  "use strict";
  if (window.matrixWidgetReady) {
    return;  // A page with several embedded widgets may load this file more than once.
  }
  window.matrixWidgetReady = true;
  document.documentElement.classList.add("matrix-js");

  // A region that does not scroll needs no tab stop of its own; one that does keeps it, so a
  // keyboard can scroll it (WCAG 2.1.1; axe's scrollable-region-focusable).
  function fitScrollers() {
    document.querySelectorAll(".matrix-embed .table-scroll[role='region']").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
      } else if (region !== document.activeElement) {
        region.removeAttribute("tabindex");
      }
    });
  }
  var pending = false;
  function fitSoon() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        fitScrollers();
      });
    }
  }
  fitScrollers();
  window.addEventListener("resize", fitSoon);
  window.addEventListener("load", fitSoon);  // once web fonts and late styles have settled
  document.addEventListener("htmx:afterSettle", fitSoon);
  document.addEventListener("toggle", fitSoon, true);  // an opened "Why" can widen a column

  document.addEventListener("htmx:afterSettle", function (event) {
    var widget = event.target;
    if (!widget.matches || !widget.matches("[data-matrix-widget]")) {
      return;
    }
    var active = document.activeElement;
    if (active && active !== document.body && document.body.contains(active)) {
      return;  // htmx kept focus on the control with the same id.
    }
    var spot = widget.querySelector("[aria-invalid='true']") ||
      widget.querySelector("[id$='-focus']") ||
      widget.querySelector(".matrix-heading");
    if (spot) {
      spot.focus();
    }
  });
})();
