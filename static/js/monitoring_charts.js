// The dashboard's charts (Chart.js, vendored under static/vendor/chart.js). The figures come from the page
// (json_script); the tables beside each chart hold the same numbers, for screen readers and without JavaScript.
(function () {
  "use strict";
  var source = document.getElementById("monitoring-charts");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#0b5ed7", "#b02a37", "#146c43", "#997404", "#6f42c1", "#087990", "#ab296a", "#495057"];
  document.querySelectorAll("[data-chart]").forEach(function (figure) {
    var chart = data[figure.dataset.chart];
    var canvas = figure.querySelector("canvas");
    if (!chart || !canvas || !chart.labels.length) { return; }
    var stacked = canvas.dataset.kind === "stacked";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series, index) {
          return { label: series.label, data: series.values, backgroundColor: palette[index % palette.length] };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: chart.series.length > 1, position: "bottom" } },
        scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
    figure.dataset.chartReady = "true";
  });
})();
