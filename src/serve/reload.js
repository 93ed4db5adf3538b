// dossier serve's reload client: injected by the server into every page it
// serves, never written by `dossier build`.
//
// The server says, after every rebuild, which output files changed. If the
// open page is one of them, the new page is fetched and its changed parts
// swapped in place (no navigation: scroll position, focus and any state on
// `window` survive). A changed stylesheet is swapped for a fresh copy. A
// failed build shows its errors over the page until a build succeeds.
(function () {
  "use strict";
  var me = document.currentScript;
  var state = (window.__dossier = {
    generation: Number(me && me.getAttribute("data-generation")) || 0,
    connected: false,
    swaps: 0,
  });
  var OURS = "/__dossier/reload.js";

  function ours(node) {
    return node.nodeName === "SCRIPT" && node.getAttribute("src") === OURS;
  }

  // The output file the open page was built as: `/a/b/` is `a/b/index.html`.
  function currentFile() {
    var path = decodeURIComponent(location.pathname).replace(/^\/+/, "");
    return path === "" || path.slice(-1) === "/" ? path + "index.html" : path;
  }

  // What a page's head loads: if this differs, swapping the body is not
  // enough and the page is reloaded.
  function headAssets(doc) {
    var out = [];
    doc.head.querySelectorAll("link[rel=stylesheet], script[src]").forEach(function (el) {
      var url = new URL(el.getAttribute("href") || el.getAttribute("src"), location.href);
      out.push(url.pathname);
    });
    return out.join(" ");
  }

  // A script moved in from another document does not run; a fresh copy does.
  function revive(old) {
    var fresh = document.createElement("script");
    Array.prototype.forEach.call(old.attributes, function (a) {
      fresh.setAttribute(a.name, a.value);
    });
    fresh.textContent = old.textContent;
    old.replaceWith(fresh);
  }

  function swap(doc) {
    if (headAssets(doc) !== headAssets(document)) {
      location.reload();
      return;
    }
    var x = window.scrollX, y = window.scrollY;
    document.title = doc.title;
    var was = Array.prototype.filter.call(document.body.children, function (n) { return !ours(n) && n.id !== "__dossier-overlay"; });
    var now = Array.prototype.filter.call(doc.body.children, function (n) { return !ours(n); });
    var changed = false;
    if (was.length === now.length) {
      // Replace only the top-level blocks that differ (usually `main`).
      for (var i = 0; i < was.length; i++) {
        if (!was[i].isEqualNode(now[i])) {
          was[i].replaceWith(document.importNode(now[i], true));
          changed = true;
        }
      }
    } else {
      was.forEach(function (n) { n.remove(); });
      var anchor = document.body.firstChild;
      now.forEach(function (n) { document.body.insertBefore(document.importNode(n, true), anchor); });
      changed = true;
    }
    if (changed) {
      // Page scripts enhance the elements just replaced: run them again.
      document.body.querySelectorAll("script").forEach(function (s) {
        if (!ours(s)) revive(s);
      });
      state.swaps += 1;
    }
    window.scrollTo(x, y);
  }

  // Wall-clock times of the last update's steps, for the latency benchmark.
  function stamp(step) {
    state.times = state.times || {};
    state.times[step] = performance.timeOrigin + performance.now();
  }

  var fetching = null;
  function refresh() {
    // One fetch at a time; a change that lands meanwhile fetches again.
    if (fetching) { fetching.again = true; return; }
    fetching = { again: false };
    fetch(location.pathname + location.search, { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        stamp("fetched");
        swap(new DOMParser().parseFromString(html, "text/html"));
        stamp("swapped");
      })
      .catch(function () { location.reload(); })
      .then(function () {
        var again = fetching.again;
        fetching = null;
        if (again) refresh();
      });
  }

  function restyle(changed) {
    document.querySelectorAll("link[rel=stylesheet]").forEach(function (link) {
      var url = new URL(link.getAttribute("href"), location.href);
      if (changed.indexOf(decodeURIComponent(url.pathname).replace(/^\/+/, "")) < 0) return;
      url.searchParams.set("v", String(state.generation));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      // Keep the old sheet until the new one applies: no unstyled flash.
      fresh.onload = fresh.onerror = function () { link.remove(); };
      link.after(fresh);
    });
  }

  function overlay(errors, generation) {
    var box = document.getElementById("__dossier-overlay");
    if (!errors || errors.length === 0) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "__dossier-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,20,.94);color:#f4f4f4;padding:2rem;" +
        "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var head = document.createElement("p");
    head.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#ff8a80";
    // Generation 0: no build has succeeded yet, so there is nothing older
    // to show behind the errors.
    head.textContent = "The dossier has " + errors.length + " error" + (errors.length === 1 ? "" : "s") +
      (generation > 0 ? "; still showing the last good build." : "; there is no site to show until they are fixed.") +
      " Fix and save to continue.";
    box.appendChild(head);
    errors.forEach(function (e) {
      var pre = document.createElement("pre");
      pre.className = "__dossier-error";
      pre.style.cssText = "white-space:pre-wrap;margin:0 0 1.25rem;padding:1rem;background:#000;border-left:4px solid #ff5252";
      pre.textContent = e.text;
      box.appendChild(pre);
    });
  }

  function apply(msg) {
    stamp("heard");
    overlay(msg.errors, msg.generation);
    var before = state.generation;
    state.generation = msg.generation;
    if (msg.lagged) { location.reload(); return; }
    if (msg.hello) {
      state.connected = true;
      // Whatever happened between serving this page and connecting.
      if (msg.generation !== before) refresh();
      return;
    }
    var here = currentFile();
    var touched = (msg.written || []).concat(msg.removed || []);
    if (touched.indexOf(here) >= 0) refresh();
    var sheets = (msg.written || []).filter(function (p) { return /\.css$/.test(p); });
    if (sheets.length) restyle(sheets);
    var scripts = (msg.written || []).filter(function (p) { return /\.js$/.test(p); });
    document.querySelectorAll("script[src]").forEach(function (s) {
      var path = new URL(s.getAttribute("src"), location.href).pathname.replace(/^\/+/, "");
      if (!ours(s) && scripts.indexOf(path) >= 0) location.reload();
    });
  }

  var source = new EventSource("/__dossier/events");
  source.onerror = function () { state.connected = false; };
  source.onmessage = function (event) { apply(JSON.parse(event.data)); };
})();
