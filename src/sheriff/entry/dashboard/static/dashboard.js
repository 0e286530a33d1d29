/* Sheriff dashboard: draws the failures-per-day chart from its JSON endpoint and keeps
   the state tiles in step with htmx swaps. Loaded from this server only: the page's
   Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  var chart = null;

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }

  function draw(canvas, data) {
    if (chart) {
      chart.destroy();
    }
    chart = new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: data.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { stacked: true, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }
        },
        plugins: { legend: { position: "bottom" } }
      }
    });
    var empty = byId(canvas.dataset.empty);
    if (empty) {
      empty.hidden = data.total > 0;
      empty.textContent = "No failures recorded in the last " + data.labels.length + " days.";
    }
    canvas.dataset.total = String(data.total);
    canvas.dataset.chartReady = "true";
  }

  function fail(canvas, error) {
    canvas.dataset.chartReady = "error";
    var message = byId(canvas.dataset.error);
    if (message) {
      message.hidden = false;
      message.textContent = "The chart's data could not be loaded (" + error.message + ").";
    }
  }

  function load(canvas, url) {
    canvas.dataset.chartReady = "false";
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) { draw(canvas, data); })
      .catch(function (error) { fail(canvas, error); });
  }

  function watchWindowButtons(canvas) {
    var buttons = document.querySelectorAll("[data-chart-days]");
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var url = new URL(canvas.dataset.source, window.location.href);
        url.searchParams.set("days", button.dataset.chartDays);
        buttons.forEach(function (other) {
          other.setAttribute("aria-pressed", String(other === button));
        });
        load(canvas, url.toString());
      });
    });
  }

  function markCurrentTile(event) {
    var tile = event.target.closest(".tile");
    if (!tile) {
      return;
    }
    document.querySelectorAll(".tile.current").forEach(function (other) {
      other.classList.remove("current");
    });
    tile.classList.add("current");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var canvas = document.getElementById("failures-chart");
    if (canvas && window.Chart) {
      load(canvas, canvas.dataset.source);
      watchWindowButtons(canvas);
    } else if (canvas) {
      fail(canvas, new Error("Chart.js did not load"));
    }
    document.addEventListener("click", markCurrentTile);
  });
})();
