// The meter page's monthly consumption chart (Chart.js, vendored under static/vendor/chart.js).
// The figures come from the page (json_script); the table under the chart holds the same numbers
// for screen readers and for anyone without JavaScript.
(function () {
  "use strict";
  var canvas = document.getElementById("consumption-chart");
  var source = document.getElementById("consumption-data");
  if (!canvas || !source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  if (!data.values.length) { return; }
  var styles = getComputedStyle(document.documentElement);
  var colour = (styles.getPropertyValue("--bs-primary") || "#0b5ed7").trim();
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{ label: canvas.dataset.seriesLabel, data: data.values, backgroundColor: colour }]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: false } },
      scales: {
        x: { ticks: { maxRotation: 90, autoSkip: true } },
        y: { beginAtZero: true, title: { display: true, text: canvas.dataset.unit } }
      }
    }
  });
  canvas.closest("[data-chart]").dataset.chartReady = "true";
})();
