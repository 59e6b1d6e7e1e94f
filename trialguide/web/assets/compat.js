// Streamlit's page, named once: every data-testid, st-key-* class and data-test-*-state this
// app's scripts read. The pre-rendered page runs it first; the live app's script (page.js)
// comes after it. tests/unit/test_compat.py checks that Streamlit still writes each name.
// Never write a less-than sign followed by a letter in this file (see page.js).
(function () {
  if (window.tgStreamlit) return;
  const q = function (css, root) { return (root || document).querySelector(css); };
  const qa = function (css, root) { return (root || document).querySelectorAll(css); };
  window.tgStreamlit = {
    app: function () { return q('[data-testid="stApp"]'); },
    main: function () { return q('[data-testid="stMain"]'); },
    mainHeading: function (root) { return q('[data-testid="stMain"] h1', root); },
    homeLink: function (root) { return q('.st-key-tg_header [data-testid="stPageLink-NavLink"]', root); },
    connected: function (app) { return !!app && app.dataset.testConnectionState === "CONNECTED"; },
    running: function (app) { return !!app && app.getAttribute("data-test-script-state") === "running"; },
    // The attributes whose changes say a run began or ended, or the connection changed.
    watched: ["data-test-connection-state", "data-test-script-state"],
    skipLinks: function () { return qa('a[href="#stMain"]'); },
    // An element the app drew with st.container(key=...) or a widget's key.
    keyed: function (key, root) { return q(".st-key-" + key, root); },
    keyedAll: function (prefix, root) { return qa('[class*="st-key-' + prefix + '"]', root); },
    keyedIn: function (prefix, root) { return q('[class*="st-key-' + prefix + '"]', root); },
    button: function (key, root) { return q(".st-key-" + key + " button", root); },
    // The keyed container or widget an element is in (a question's box, a button of a key).
    closestKeyed: function (element, prefix) { return element.closest('[class*="st-key-' + prefix + '"]'); },
    buttonOf: function (element, key) { return element.closest && element.closest(".st-key-" + key + " button"); },
    // The self-check's number boxes (components/check.py keys them w_ + question id + _value or _uln).
    numberInputs: function (root) { return qa('[class*="st-key-w_"][class*="_value"] input, [class*="st-key-w_"][class*="_uln"] input', root); },
    // A widget's label (a question's words).
    widgetLabel: function (root) { return q('[data-testid="stWidgetLabel"]', root); },
    pageLinks: function (root) { return qa(".st-key-pagelinks a", root); },
    everyPageLink: function (root) { return qa('[data-testid="stPageLink-NavLink"]', root); },
  };
})();
