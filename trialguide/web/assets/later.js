// Streamlit's own script runs after the copy's first paint. In index.html it would run as soon as
// it arrived, and with a fast network and a slow phone it ran (React alone: a third of a second
// on a laptop, over a second on a phone) before the copy was ever painted: the words waited for
// the app that was about to replace them. prerender.py leaves the script inert (a type the
// browser ignores) and its files' hints (modulepreload, and the two fetches it starts with) in a
// template; this puts the hints in the head and starts the script, as it was, once a frame has
// been drawn: on a slow link the page's own bytes come first. A tab opened in the background
// draws no frame: there it starts at once. The same text on every page.
(function () {
  function start() {
    var later = document.getElementById("tg-later");
    if (later) document.head.appendChild(later.content.cloneNode(true));
    document.querySelectorAll('script[type="tg-module"]').forEach(function (inert) {
      var script = document.createElement("script");
      script.type = "module";
      script.crossOrigin = "";
      script.src = inert.getAttribute("data-src");
      document.head.appendChild(script);
    });
  }
  if (document.visibilityState === "hidden") start();
  else requestAnimationFrame(function () { setTimeout(start, 0); });
})();
