/* Draws the dashboards' plotly figures. Each <div data-chart="<id>"> names a json_script
   element holding a figure built in progress/charts.py. plotly.min.js loads first (both
   scripts are deferred, so they run in order). */
(function () {
  "use strict";

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || !window.Plotly) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout || {}, {
      displaylogo: false,
      responsive: true
    }).then(function () {
      element.classList.add("chart-drawn");
    });
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
})();
