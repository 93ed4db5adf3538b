// Progressive enhancement for the timeline: narrow it to one actor.
// Without JavaScript the page shows everything, and each actor page carries
// its own timeline (linked from the "Narrow to one actor" list).
// Filtering hides entries, then recounts what is left: month and year
// headings, the year counts, and the chart's bars (each chart mark names
// its entries in `data-entries`).
(function () {
  "use strict";
  var form = document.querySelector(".timeline-filter");
  var select = document.getElementById("actor-filter");
  if (!form || !select) return;
  document.documentElement.classList.add("js");
  form.hidden = false;
  var status = form.querySelector(".filter-status");
  var entries = Array.prototype.slice.call(document.querySelectorAll(".tl-entry[data-actors]"));
  var chart = document.querySelector(".timeline-chart");

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function recountYear(year) {
    var count = year.querySelector("h2 .count");
    if (!count) return;
    if (!count.hasAttribute("data-all")) count.setAttribute("data-all", count.textContent);
    var articles = year.querySelectorAll(".tl-article:not([hidden])").length;
    var events = year.querySelectorAll(".tl-event:not([hidden])").length;
    var parts = [];
    if (articles) parts.push(plural(articles, "article"));
    if (events) parts.push(plural(events, "event"));
    count.textContent = parts.join(", ");
  }

  // Redraws each bar for the entries shown, on a scale fitted to them.
  function redrawChart(shownIds) {
    if (!chart) return;
    var axis = parseFloat(chart.getAttribute("data-axis"));
    var plot = parseFloat(chart.getAttribute("data-plot"));
    var marks = Array.prototype.slice.call(chart.querySelectorAll("[data-entries]"));
    var counts = marks.map(function (g) {
      var c = { article: 0, event: 0 };
      g.getAttribute("data-entries").split(" ").forEach(function (id) {
        if (id && shownIds[id]) c[id.charAt(0) === "a" ? "article" : "event"] += 1;
      });
      return c;
    });
    var max = 1;
    marks.forEach(function (g, i) {
      if (g.querySelector(".chart-article.chart-range, .chart-range")) return;
      max = Math.max(max, counts[i].article + counts[i].event);
    });
    var label = chart.querySelector(".chart-max");
    if (label) label.textContent = String(max);
    marks.forEach(function (g, i) {
      var c = counts[i];
      var range = g.querySelector(".chart-range");
      if (range) { g.style.display = c.article + c.event ? "" : "none"; return; }
      var y = function (n) { return axis - plot * n / max; };
      var ev = g.querySelector(".chart-event");
      var ar = g.querySelector(".chart-article");
      ev.setAttribute("y", y(c.event).toFixed(1));
      ev.setAttribute("height", (axis - y(c.event)).toFixed(1));
      ar.setAttribute("y", y(c.event + c.article).toFixed(1));
      ar.setAttribute("height", (y(c.event) - y(c.event + c.article)).toFixed(1));
    });
  }

  function apply() {
    var slug = select.value;
    var shown = 0;
    var shownIds = {};
    entries.forEach(function (entry) {
      var match = !slug || (" " + entry.getAttribute("data-actors") + " ").indexOf(" " + slug + " ") !== -1;
      entry.hidden = !match;
      if (match) { shown += 1; shownIds[entry.id] = true; }
    });
    document.querySelectorAll(".tl-month").forEach(function (heading) {
      var list = heading.nextElementSibling;
      var any = list && list.querySelector(".tl-entry:not([hidden])");
      heading.hidden = !any;
      if (list) list.hidden = !any;
    });
    document.querySelectorAll(".tl-year").forEach(function (year) {
      year.hidden = !year.querySelector(".tl-entry:not([hidden])");
      recountYear(year);
    });
    redrawChart(shownIds);
    status.textContent = slug ? shown + " of " + entries.length + " entries" : "";
    if (history.replaceState) history.replaceState(null, "", slug ? "?actor=" + slug : location.pathname);
  }
  select.addEventListener("change", apply);
  var wanted = /[?&]actor=([a-z0-9-]+)/.exec(location.search);
  if (wanted) { select.value = wanted[1]; apply(); }
})();
