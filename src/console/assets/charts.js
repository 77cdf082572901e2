// Draws every <canvas data-chart="id"> from the JSON block #chart-id the server rendered.
// Chart.js (chart.umd.min.js) is served from node_modules by the console itself.
'use strict';
(function () {
  function draw() {
    if (typeof window.Chart !== 'function') return;
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var block = document.getElementById('chart-' + canvas.dataset.chart);
      if (!block || window.Chart.getChart(canvas)) return;
      new window.Chart(canvas, JSON.parse(block.textContent));
    });
    document.body.dataset.chartsDrawn = 'true';
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();
