// Runs after every script run. Values between @@ are filled in by components/chrome.py.
// Never write a less-than sign followed by a letter in this file: Streamlit's sanitizer
// (DOMPurify) then drops the whole script without a word.
(function () {
  const doc = document.documentElement;
  // Streamlit always serves the page as English: announce the real language to screen readers.
  doc.lang = "@@HTML_LANG@@";
  // The language switch is written in the other language.
  document.querySelectorAll(".st-key-lang_switch button").forEach(function (b) {
    b.lang = "@@OTHER_HTML_LANG@@";
  });
  // Streamlit's own skip link is English only.
  document.querySelectorAll('a[href="#stMain"]').forEach(function (a) { a.textContent = "@@SKIP_TEXT@@"; });

  // Watch the page once. An unknown page path makes Streamlit open an English "Page not found" dialog while it
  // shows the home page anyway. The home page is the answer; close the dialog.
  if (!window.__tgDialogWatch) {
    window.__tgDialogWatch = true;
    const closeNotFound = function () {
      document.querySelectorAll('[data-testid="stDialog"] [role="dialog"]').forEach(function (d) {
        const h = d.querySelector("h2");
        if (h && h.textContent.trim() === "Page not found") {
          const close = d.querySelector('button[aria-label="Close"]');
          if (close) close.click();
        }
      });
    };
    // Deep links to one criterion or term (#inc-3, #g-ecog): the target appears only after the
    // script has run, so the browser cannot scroll to it on its own.
    // Look in the live app only: the server's pre-rendered copy (same ids) may still be there.
    const scrollToHash = function () {
      if (!location.hash || window.__tgScrolled === location.hash) return;
      const main = document.querySelector('[data-testid="stMain"]');
      const target = main && main.querySelector('[id="' + CSS.escape(decodeURIComponent(location.hash.slice(1))) + '"]');
      if (target) { target.scrollIntoView(); window.__tgScrolled = location.hash; }
    };
    // "Copy the link" in the share panel: the clipboard where the browser allows it, else the
    // link selected for the person to copy; either way a visible, announced "Copied".
    document.addEventListener("click", function (event) {
      const button = event.target.closest && event.target.closest("button.tg-copy");
      if (!button) return;
      const done = function () {
        const status = button.parentElement.querySelector(".tg-copied");
        if (status) status.textContent = button.dataset.done;
      };
      const link = button.dataset.link;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(link).then(done, done);
      } else {
        const field = document.createElement("textarea");
        field.value = link;
        document.body.appendChild(field);
        field.select();
        try { document.execCommand("copy"); } catch (e) { /* the link stays on screen to copy by hand */ }
        field.remove();
        done();
      }
    });
    new MutationObserver(function () { closeNotFound(); scrollToHash(); })
      .observe(document.body, { childList: true, subtree: true });
    closeNotFound();
    scrollToHash();
  }
})();
