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

  // The last choice made in a toggle form wins. Its requests queue ("queue last"), but a
  // response swaps the form itself, and htmx drops a queued request whose form has left the
  // page: so a choice made while an earlier one was on its way is made again on the new form.
  var lastChoice = {};
  document.addEventListener("change", function (event) {
    var input = event.target;
    var form = input.form;
    if (input.type === "radio" && form && form.matches(".matrix-toggle, .matrix-advisor-form")) {
      lastChoice[input.name] = input.value;
    }
  });

  function replayLastChoice(widget) {
    var form = widget.querySelector(".matrix-toggle, .matrix-advisor-form");
    if (!form || !window.htmx) {
      return false;
    }
    var stale = Object.keys(lastChoice).filter(function (name) {
      var chosen = form.querySelector("input[type='radio'][name='" + name + "'][value='" + lastChoice[name] + "']");
      return chosen && !chosen.checked;
    });
    stale.forEach(function (name) {
      form.querySelector("input[type='radio'][name='" + name + "'][value='" + lastChoice[name] + "']").checked = true;
    });
    if (stale.length) {
      window.htmx.trigger(form, "change");
    }
    return stale.length > 0;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var widget = event.target;
    if (!widget.matches || !widget.matches("[data-matrix-widget], .matrix-advisor")) {
      return;
    }
    var config = event.detail && event.detail.requestConfig;
    var fromToggle = config && config.elt && config.elt.matches && config.elt.matches(".matrix-toggle, .matrix-advisor-form");
    if (!fromToggle) {
      lastChoice = {};  // a link or another form chose what the widget shows now
    } else if (replayLastChoice(widget)) {
      return;
    }
    if (!widget.matches("[data-matrix-widget]")) {
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
