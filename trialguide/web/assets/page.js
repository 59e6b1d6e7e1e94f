// Runs after every script run. The same text for every page and visitor, so that the page's
// Content-Security-Policy can allow it by one hash (trialguide/web/security.py); what differs
// (language, kiosk settings) comes from its data-tg attribute, written by components/chrome.py.
// It reads Streamlit's page only through compat.js (window.tgStreamlit), which runs before it.
// Never write a less-than sign followed by a letter in this file: Streamlit's sanitizer
// (DOMPurify) then drops the whole script without a word.
(function () {
  const settings = JSON.parse(document.currentScript.dataset.tg);
  const ST = window.tgStreamlit;
  const doc = document.documentElement;
  // Streamlit always serves the page as English: announce the real language to screen readers.
  doc.lang = settings.lang;
  // Each language switch is written in its own language.
  const switchLangs = settings.switchLangs;
  Object.keys(switchLangs).forEach(function (key) {
    const button = ST.button(key);
    if (button) button.lang = switchLangs[key];
  });
  // Streamlit's own skip link is English only.
  ST.skipLinks().forEach(function (a) { a.textContent = settings.skip; });

  window.__tgSettings = settings;  // this run's words, for the watchers below (set up once)

  // Watch the page once.
  if (!window.__tgWatch) {
    window.__tgWatch = true;
    // Deep links to one criterion or term (#inc-3, #g-ecog): the target appears only after the
    // script has run, so the browser cannot scroll to it on its own.
    // Look in the live app only: the server's pre-rendered copy (same ids) may still be there.
    const scrollToHash = function () {
      if (!location.hash) return;
      const main = ST.main();
      const target = main && main.querySelector('[id="' + CSS.escape(decodeURIComponent(location.hash.slice(1))) + '"]');
      if (!target) return;
      // Marked as the browser marks a :target in the copy (style.css): which one was meant, that
      // one alone, and marked again when a new run (another language) draws it anew.
      if (!target.classList.contains("tg-shared")) {
        main.querySelectorAll(".tg-shared").forEach(function (e) { e.classList.remove("tg-shared"); });
        target.classList.add("tg-shared");
      }
      if (window.__tgScrolled === location.hash) return;
      target.scrollIntoView();
      window.__tgScrolled = location.hash;
    };
    window.addEventListener("hashchange", scrollToHash);  // a word tapped in a sentence (#g-ecog)
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
    // "Or share one criterion" (doctors' page): the link, the copy button and the QR code point
    // at the criterion chosen; the code is drawn by this server (/qr.svg), never another.
    document.addEventListener("change", function (event) {
      const choice = event.target.closest && event.target.closest("select.tg-share-at");
      const panel = choice && choice.closest(".tg-share");
      if (!panel) return;
      const link = panel.dataset.base + (choice.value ? "#" + choice.value : "");
      panel.querySelector(".tg-share-link").textContent = link;
      const copy = panel.querySelector("button.tg-copy"), status = panel.querySelector(".tg-copied");
      if (copy) copy.dataset.link = link;
      if (status) status.textContent = "";
      const code = panel.querySelector(".tg-qr img");
      code.src = panel.dataset.qr + (choice.value ? "&at=" + encodeURIComponent(choice.value) : "");
      code.alt = panel.dataset.qrLabel.replace("{link}", link);
    });
    // Opened from a link to one criterion (#exc-9): the share panel offers that one to pass on.
    const shareTheHash = function () {
      const choice = document.querySelector("select.tg-share-at");
      if (!choice || choice.dataset.hash === location.hash) return;
      choice.dataset.hash = location.hash;
      const wanted = decodeURIComponent(location.hash.slice(1));
      if (wanted && Array.prototype.some.call(choice.options, function (o) { return o.value === wanted; })) {
        choice.value = wanted;
        choice.dispatchEvent(new Event("change", { bubbles: true }));
      }
    };
    // A language switch keeps the criterion the link named (#exc-9): Streamlit writes the new
    // language's address without it.
    let keptHash = null, rescroll = false;
    document.addEventListener("click", function (event) {
      if (location.hash && ST.buttonOf(event.target, "lang_switches")) keptHash = [location.hash, location.search];
    }, true);
    const keepHash = function () {
      if (keptHash && location.search !== keptHash[1]) {
        if (!location.hash) history.replaceState(history.state, "", location.pathname + location.search + keptHash[0]);
        keptHash = null;
        rescroll = true;
      }
      // Lands on it again once the new language's run has drawn it (not on the old one's twin).
      if (rescroll && !ST.running(ST.app())) {
        rescroll = false;
        window.__tgScrolled = null;
      }
    };
    // Streamlit writes a link to the home page as "?lang=en": a tap works (Streamlit handles it),
    // but "Open in new tab" or "Copy link" would give the page the reader is on. The copy's own
    // links say "/?lang=en"; so do these.
    const homeLinks = function () {
      ST.everyPageLink().forEach(function (a) {
        const href = a.getAttribute("href") || "";
        if (href.charAt(0) === "?") a.setAttribute("href", "/" + href);
      });
    };
    // Each "Change" on the check-your-answers screen says what it changes, to a screen reader too.
    const nameChanges = function () {
      ST.keyedAll("r_").forEach(function (row) {
        const box = ST.keyedIn("change_", row), button = box && box.querySelector("button");
        const question = row.querySelector("h3");
        if (button && question) button.setAttribute("aria-label", button.textContent.trim() + ": " + question.textContent.trim());
      });
    };
    // Number boxes open a phone's number keyboard, with a decimal point (creatinine 1.2).
    const numberKeyboards = function () {
      ST.numberInputs().forEach(function (input) {
        if (input.getAttribute("inputmode") !== "decimal") input.setAttribute("inputmode", "decimal");
      });
    };
    // Back from a lost connection: ask the server for this page again (components/chrome.py,
    // _answers_lost), once the button works again.
    let wasConnected = false, dropped = false;
    const pressWhenReady = function (tries) {
      const button = ST.button("reconnected");
      if (button && !button.disabled) button.click();
      else if (tries > 0) setTimeout(function () { pressWhenReady(tries - 1); }, 200);
    };
    const watchConnection = function () {
      const app = ST.app();
      if (!app) return;
      if (ST.connected(app)) {
        if (dropped) { dropped = false; pressWhenReady(25); }
        wasConnected = true;
      } else if (wasConnected) {
        dropped = true;
      }
    };
    // Each new screen starts at its top, for the eye and for the keyboard: Streamlit keeps the
    // scroll position when the page or only the self-check reruns, so a new screen would open
    // where the tapped button was. The target gets the focus too (tabindex -1), so a keyboard or
    // screen-reader user lands where the screen begins (GOV.UK). The style sheets' scroll
    // margins keep it clear of the kiosk's header.
    const main = ST.main;
    // Parts of a screen may still be drawn after it has landed (Streamlit loads some of its
    // pieces on first use): until the visitor touches, scrolls or types, it lands again.
    let settling = null;
    ["pointerdown", "touchstart", "wheel", "keydown"].forEach(function (name) {
      document.addEventListener(name, function () { settling = null; }, { capture: true, passive: true });
    });
    const land = function (find) {
      const place = function (first) {
        const found = find();
        const target = found && found[0];
        if (!target) return;
        if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
        (found[1] || target).scrollIntoView({ block: found[2] || "start" });
        if (found[3]) found[3]();
        if (first || document.activeElement === document.body) target.focus({ preventScroll: true });
      };
      place(true);
      settling = { until: Date.now() + 3000, place: place };
    };
    const keepLanding = function () {
      if (settling && Date.now() > settling.until) settling = null;
      if (settling) settling.place(false);
    };
    const toTop = function () {
      land(function () {
        const m = main();
        return m && [m.querySelector("h1"), null, "nearest", function () { m.scrollTop = 0; window.scrollTo(0, 0); }];
      });
    };
    // Another page (a page link, Back): its top and its title, once its run has drawn it.
    let lastPath = location.pathname;
    const followPage = function () {
      if (location.pathname === lastPath) return;
      const app = ST.app();
      if (!app || ST.running(app)) return;
      lastPath = location.pathname;
      if (!location.hash) toTop();  // a deep link (#exc-9) goes to its target instead
    };
    // Another screen of the self-check: components/check.py draws, last in the check, a hidden
    // mark whose data-visit grows with every tap that changes the screen; data-focus says where
    // to land: the screen's heading (its step count in view above it), the error summary after a
    // failed Continue, or the question and button of "Clear my answers".
    let lastVisit = null;
    const followStep = function () {
      const m = main();
      const mark = m && m.querySelector(".tg-step");
      if (!mark || mark.dataset.visit === lastVisit) return;
      const first = lastVisit === null;
      lastVisit = mark.dataset.visit;
      if (first) return;  // the screen this page opened on
      const focus = mark.dataset.focus;
      if (focus === "clear") return land(function () { return [m.querySelector(".tg-clear-question"), null, "nearest"]; });
      if (focus === "kept") return land(function () { return [ST.button("clear", m), null, "nearest"]; });
      const above = function (e) { return !!(e.compareDocumentPosition(mark) & Node.DOCUMENT_POSITION_FOLLOWING); };
      if (!Array.prototype.some.call(m.querySelectorAll("h2"), above)) return toTop();  // the start screen
      land(function () {
        const heading = Array.prototype.find.call(m.querySelectorAll("h2"), above);
        const count = m.querySelector(".tg-step-count");
        const summary = focus === "errors" && m.querySelector(".tg-error-summary");
        const view = count && above(count) ? count : heading;
        if (summary) return [summary, view, "start", function () { summary.scrollIntoView({ block: "nearest" }); }];
        return [heading, view, "start"];
      });
    };
    // A question that an answer brings onto the same screen (a follow-up) is said to a screen
    // reader too, as a sighted reader sees it appear below the answer: its words, politely.
    const said = document.createElement("p");
    said.className = "tg-said";
    said.setAttribute("role", "status");
    said.setAttribute("aria-live", "polite");
    document.body.appendChild(said);
    let asked = [], askedVisit = null;
    const keyOf = function (box) { return Array.prototype.find.call(box.classList, function (c) { return c.indexOf("st-key-q_") === 0; }); };
    const sayNewQuestions = function () {
      const m = main();
      const mark = m && m.querySelector(".tg-step");
      if (!mark || ST.running(ST.app())) return;
      const boxes = Array.prototype.slice.call(ST.keyedAll("q_", m));
      const keys = boxes.map(keyOf);
      if (askedVisit === mark.dataset.visit) {
        const words = boxes.filter(function (box, i) { return asked.indexOf(keys[i]) === -1; })
          .map(function (box) { const label = ST.widgetLabel(box); return label ? label.textContent.trim() : ""; })
          .filter(Boolean);
        if (words.length) said.textContent = window.__tgSettings.newQuestion.replace("{question}", words.join(" "));
      } else {
        said.textContent = "";  // a new screen: its heading is where the reader lands
      }
      asked = keys;
      askedVisit = mark.dataset.visit;
    };
    // A link in the error summary: to its question's field, focused, without a #hash in the
    // address (it would stay in a shared link and stop the next page from opening at its top).
    document.addEventListener("click", function (event) {
      const link = event.target.closest && event.target.closest('.tg-error-summary a[href^="#q-"]');
      const m = main();
      const anchor = link && m && m.querySelector('[id="' + CSS.escape(link.getAttribute("href").slice(1)) + '"]');
      if (!anchor) return;
      event.preventDefault();
      const question = ST.closestKeyed(anchor, "q_") || anchor;
      question.scrollIntoView({ block: "start" });
      const field = question.querySelector("input");
      if (field) field.focus({ preventScroll: true });
    });
    // "Save as PDF" downloads without a word from the browser on many phones: say it.
    document.addEventListener("click", function (event) {
      const button = ST.buttonOf(event.target, "pdf");  // the PDF's download button
      const status = button && document.querySelector(".tg-save-status");
      if (status) status.textContent = status.dataset.downloading;
    });
    // Printing the self-check's summary prints its every answer, opened (style.css does it
    // where the browser allows; this, in the others).
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details.tg-every:not([open])").forEach(function (d) { d.open = true; d.dataset.tgPrint = "1"; });
    });
    window.addEventListener("afterprint", function () {
      document.querySelectorAll("details[data-tg-print]").forEach(function (d) { d.open = false; delete d.dataset.tgPrint; });
    });
    new MutationObserver(function () { keepHash(); scrollToHash(); shareTheHash(); homeLinks(); nameChanges(); numberKeyboards(); watchConnection(); followPage(); followStep(); sayNewQuestions(); keepLanding(); })
      .observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ST.watched });
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
