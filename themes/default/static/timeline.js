// Progressive enhancement for the timeline: narrow it to one actor.
// Without JavaScript the page shows everything, and each actor page carries
// its own timeline (linked from the "Narrow to one actor" list).
(function () {
  "use strict";
  var form = document.querySelector(".timeline-filter");
  var select = document.getElementById("actor-filter");
  if (!form || !select) return;
  document.documentElement.classList.add("js");
  form.hidden = false;
  var status = form.querySelector(".filter-status");
  var entries = Array.prototype.slice.call(document.querySelectorAll(".tl-entry[data-actors]"));
  function apply() {
    var slug = select.value;
    var shown = 0;
    entries.forEach(function (entry) {
      var match = !slug || (" " + entry.getAttribute("data-actors") + " ").indexOf(" " + slug + " ") !== -1;
      entry.hidden = !match;
      if (match) shown += 1;
    });
    document.querySelectorAll(".tl-month").forEach(function (heading) {
      var list = heading.nextElementSibling;
      var any = list && list.querySelector(".tl-entry:not([hidden])");
      heading.hidden = !any;
      if (list) list.hidden = !any;
    });
    document.querySelectorAll(".tl-year").forEach(function (year) {
      year.hidden = !year.querySelector(".tl-entry:not([hidden])");
    });
    status.textContent = slug ? shown + " of " + entries.length + " entries" : "";
    if (history.replaceState) history.replaceState(null, "", slug ? "?actor=" + slug : location.pathname);
  }
  select.addEventListener("change", apply);
  var wanted = /[?&]actor=([a-z0-9-]+)/.exec(location.search);
  if (wanted) { select.value = wanted[1]; apply(); }
})();
