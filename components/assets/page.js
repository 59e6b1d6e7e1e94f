// Runs after every script run. The same text for every page and visitor, so that the page's
// Content-Security-Policy can allow it by one hash (trialguide/security.py); what differs
// (language, kiosk settings) comes from its data-tg attribute, written by components/chrome.py.
// Never write a less-than sign followed by a letter in this file: Streamlit's sanitizer
// (DOMPurify) then drops the whole script without a word.
(function () {
  const settings = JSON.parse(document.currentScript.dataset.tg);
  const doc = document.documentElement;
  // Streamlit always serves the page as English: announce the real language to screen readers.
  doc.lang = settings.lang;
  // Each language switch is written in its own language.
  const switchLangs = settings.switchLangs;
  Object.keys(switchLangs).forEach(function (selector) {
    document.querySelectorAll(selector).forEach(function (b) { b.lang = switchLangs[selector]; });
  });
  // Streamlit's own skip link is English only.
  document.querySelectorAll('a[href="#stMain"]').forEach(function (a) { a.textContent = settings.skip; });

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
    // Each "Change" on the check-your-answers screen says what it changes, to a screen reader too.
    const nameChanges = function () {
      document.querySelectorAll('[class*="st-key-r_"]').forEach(function (row) {
        const button = row.querySelector('[class*="st-key-change_"] button');
        const question = row.querySelector("h3");
        if (button && question) button.setAttribute("aria-label", button.textContent.trim() + ": " + question.textContent.trim());
      });
    };
    // Back from a lost connection: ask the server for this page again (components/chrome.py,
    // _answers_lost), once the button works again.
    let wasConnected = false, dropped = false;
    const pressWhenReady = function (tries) {
      const button = document.querySelector(".st-key-reconnected button");
      if (button && !button.disabled) button.click();
      else if (tries > 0) setTimeout(function () { pressWhenReady(tries - 1); }, 200);
    };
    const watchConnection = function () {
      const app = document.querySelector('[data-testid="stApp"]');
      if (!app) return;
      if (app.dataset.testConnectionState === "CONNECTED") {
        if (dropped) { dropped = false; pressWhenReady(25); }
        wasConnected = true;
      } else if (wasConnected) {
        dropped = true;
      }
    };
    new MutationObserver(function () { closeNotFound(); scrollToHash(); nameChanges(); watchConnection(); })
      .observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-test-connection-state"] });
    closeNotFound();
    scrollToHash();
  }

  // Kiosk (a clinic's shared touch screen, ?kiosk=1): "Start over" and, after a while with no
  // touch, a warning with a countdown, then the kiosk's start page as a new page: a new Streamlit
  // session with nothing of the previous visitor, and no way Back to their answers.
  const kiosk = settings.kiosk;
  if (kiosk && !window.__tgKiosk) {
    window.__tgKiosk = true;
    if (!sessionStorage.getItem("tgKioskStart")) {
      sessionStorage.setItem("tgKioskStart", location.pathname + location.search);
    }
    const startOver = function () { location.replace(sessionStorage.getItem("tgKioskStart") || "/?kiosk=1"); };
    // A page brought back from the browser's memory (Back) is loaded anew: a new, empty session.
    window.addEventListener("pageshow", function (event) { if (event.persisted) location.reload(); });
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("button.tg-start-over")) startOver();
    });
    let last = Date.now(), dialog = null, left = 0;
    const touched = function () { if (!dialog) last = Date.now(); };
    ["pointerdown", "keydown", "touchstart", "wheel"].forEach(function (name) {
      document.addEventListener(name, touched, { capture: true, passive: true });
    });
    const warn = function () {
      dialog = document.createElement("div");
      dialog.className = "tg-idle";
      dialog.setAttribute("role", "alertdialog");
      dialog.setAttribute("aria-modal", "true");
      dialog.setAttribute("aria-labelledby", "tg-idle-title");
      const box = document.createElement("div");
      const title = document.createElement("h2");
      title.id = "tg-idle-title";
      title.textContent = kiosk.title;
      const text = document.createElement("p");
      text.className = "tg-idle-text";
      const stay = document.createElement("button");
      stay.type = "button";
      stay.textContent = kiosk.stay;
      stay.addEventListener("click", function () { dialog.remove(); dialog = null; last = Date.now(); });
      box.append(title, text, stay);
      dialog.append(box);
      document.body.append(dialog);
      left = kiosk.warning;
      text.textContent = kiosk.text.replace("{seconds}", left);
      stay.focus();
    };
    setInterval(function () {
      if (!dialog) {
        if (Date.now() - last >= kiosk.idle * 1000) warn();
        return;
      }
      left -= 1;
      if (left > 0) {
        dialog.querySelector(".tg-idle-text").textContent = kiosk.text.replace("{seconds}", left);
      } else {
        startOver();
      }
    }, 1000);
  }
})();
