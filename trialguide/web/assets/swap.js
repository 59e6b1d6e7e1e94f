// Removes the pre-rendered copy once the live app has drawn the page: its first heading, its run
// finished, and at least as many page links, glossary entries and criteria as the copy shows
// (Streamlit draws some of them a moment after the heading). If the app draws differently, the
// copy still goes a few seconds after the heading. Never two copies on screen: until then the
// copy covers the app, and the app is inert. The same text on every page (one CSP hash fits all);
// Streamlit's page is read through compat.js (window.tgStreamlit), which runs just before.
(function () {
  // The app is served from the site's root (every page path is one of ours): say so, and
  // Streamlit skips guessing its server under the page's path (a lost round trip on /contact).
  window.__streamlit = window.__streamlit || { BACKEND_BASE_URL: location.origin + "/" };
  var ST = window.tgStreamlit;
  var copy = document.getElementById("tg-prerender"), root = document.getElementById("root");
  if (!copy || !root || !ST) return;
  root.inert = true;
  copy.querySelectorAll(".tg-no-js").forEach(function (e) { e.hidden = true; });
  copy.querySelectorAll(".tg-js-only").forEach(function (e) { e.hidden = false; });
  var counted = [function (r) { return ST.pageLinks(r); }, function (r) { return r.querySelectorAll("dl.tg-words dt"); },
                 function (r) { return r.querySelectorAll("ol.tg-criteria li"); }];
  var wanted = counted.map(function (count) { return count(copy).length; });
  var timed = false;
  function swap() {
    if (!copy.isConnected) return;
    watch.disconnect();
    copy.remove();
    root.inert = false;
  }
  var watch = new MutationObserver(function () {
    var app = ST.app();
    if (!app || !root.contains(app) || !ST.mainHeading(app) || ST.running(app)) return;
    if (!timed) { timed = true; setTimeout(swap, 4000); }
    for (var i = 0; i < counted.length; i++) {
      if (counted[i](root).length < wanted[i]) return;
    }
    swap();
  });
  watch.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ST.watched });
})();
