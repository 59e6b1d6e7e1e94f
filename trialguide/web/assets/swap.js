// Replaces the pre-rendered copy with the live app once the app has drawn the same page in the
// same place: its title and header where the copy has them, its run finished, and at least as
// many page links, glossary entries and criteria as the copy shows. Until then the app builds
// underneath, unseen and inert (prerender.css), so nothing moves under the reader; the swap
// keeps their scroll position and the focus (on the live twin of what they had reached). If the
// app never stands exactly where the copy does, the copy still goes a few seconds after the
// app's title. The same text on every page (one CSP hash fits all); Streamlit's page is read
// through compat.js (window.tgStreamlit), which runs just before.
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
  var copyTitle = copy.querySelector("h1"), copyHome = copy.querySelector(".tg-header > a");
  // Where an element is on the page, wherever each is scrolled: the copy scrolls the document,
  // the app its main area.
  function place(element, scrolled) {
    var r = element.getBoundingClientRect();
    return [Math.round(r.left), Math.round(r.top + scrolled), Math.round(r.width)].join(",");
  }
  function samePlace(app) {
    var main = ST.main(), title = ST.mainHeading(app), home = ST.homeLink(app);
    if (!main || !title || !home) return false;
    return place(title, main.scrollTop) === place(copyTitle, window.scrollY)
      && place(home, main.scrollTop) === place(copyHome, window.scrollY);
  }
  function twin(active) {
    // The live element a reader who had reached ``active`` in the copy goes on from.
    if (!active || !copy.contains(active)) return null;
    var text = (active.textContent || "").trim(), tag = active.tagName;
    var found = Array.prototype.find.call(root.querySelectorAll(tag === "A" ? "a, button" : tag), function (e) {
      return (e.textContent || "").trim() === text;
    });
    return found || null;
  }
  var timed = false;
  function swap() {
    if (!copy.isConnected) return;
    watch.disconnect();
    var scrolled = window.scrollY, focus = twin(document.activeElement);
    copy.remove();
    root.inert = false;
    var main = ST.main();
    if (!main) return;
    // A link to one part of the page (#exc-9) lands there; any other reader stays where they were.
    var target = location.hash && main.querySelector('[id="' + CSS.escape(decodeURIComponent(location.hash.slice(1))) + '"]');
    if (target) target.scrollIntoView();
    else main.scrollTop = scrolled;
    if (focus) focus.focus({ preventScroll: true });
  }
  // React commits in many small batches while the app boots; checking after each one forced a
  // layout inside React's own task (Lighthouse's long tasks). One check a frame, just before the
  // paint that lays the page out anyway.
  var pending = false;
  var watch = new MutationObserver(function () {
    if (!pending) { pending = true; requestAnimationFrame(check); }
  });
  function check() {
    pending = false;
    if (!copy.isConnected) return;
    var app = ST.app();
    if (!app || !root.contains(app) || !ST.mainHeading(app) || ST.running(app)) return;
    if (!timed) { timed = true; setTimeout(swap, 4000); }
    for (var i = 0; i < counted.length; i++) {
      if (counted[i](root).length < wanted[i]) return;
    }
    if (samePlace(app)) swap();
  }
  watch.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ST.watched.concat(["style", "class"]) });
})();
