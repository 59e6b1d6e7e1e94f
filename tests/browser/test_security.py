"""The Content-Security-Policy in a real Chromium: every part of the app runs under it, and a
script or a request the app did not write is refused by the browser itself."""
from __future__ import annotations

import pytest
from playwright.sync_api import Error, expect

from tests.browser.conftest import open_visit
from tests.browser.helpers import KIOSK, PHONE, answer_screen, live, press, tap
from tests.profiles import FINE_MAN
from tests.http.hostile import QUERIES

WATCH = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    "window.__alerts = 0; window.alert = () => { window.__alerts += 1; };"
)


@pytest.fixture
def watched(browser):
    """A visitor whose page counts every Content-Security-Policy violation and alert."""
    contexts: list = []

    def open_(url: str, viewport=PHONE):
        return open_visit(browser, url, viewport, init=WATCH, wait=False, contexts=contexts).page

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize(
    "path, viewport, html_lang",
    [("/?lang=zh", PHONE, "zh-Hans"), ("/doctors?lang=en", PHONE, "en"), ("/contact?lang=zh-Hant&kiosk=1", KIOSK, "zh-Hant")],
)
def test_every_page_runs_without_a_single_policy_violation(watched, server, path, viewport, html_lang):
    page = watched(server + path, viewport)
    live(page)
    # page.js ran (it sets the language): the app's own scripts are allowed.
    assert page.evaluate("document.documentElement.lang") == html_lang
    assert page.evaluate("window.__csp") == []


def test_the_self_check_to_its_printable_summary_runs_without_a_policy_violation(watched, server):
    page = watched(server + "/check?lang=en")
    live(page)
    press(page, "start")
    while page.locator(".st-key-continue").count():
        answer_screen(page, FINE_MAN, tap)
        press(page, "continue")
    press(page, "see_result")
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.locator("#tg-print").click()  # the print button's script is allowed
    assert page.evaluate("window.__printed") is True
    assert page.evaluate("window.__csp") == []


def test_the_handout_prints_without_a_policy_violation(watched, server):
    page = watched(server + "/handout?lang=zh")
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.locator("#tg-print").click()
    assert page.evaluate("window.__printed") is True
    assert page.evaluate("window.__csp") == []


def test_a_script_or_a_request_the_app_did_not_write_is_refused(watched, server):
    page = watched(server + "/?lang=en")
    live(page)
    with pytest.raises(Error):
        page.add_script_tag(content="window.__injected = true;")
    assert page.evaluate("window.__injected === undefined")
    refused = page.evaluate("fetch('https://example.org/collect').then(() => 'sent', () => 'refused')")
    assert refused == "refused"
    expect(page.locator("h1")).to_be_visible()
    violations = page.evaluate("window.__csp")
    assert any(v.startswith("script-src") for v in violations) and any(v.startswith("connect-src") for v in violations)


@pytest.mark.parametrize("query", [q for q in QUERIES if "alert(1)" in q][:5], ids=lambda q: q[:30])
def test_a_hostile_link_runs_nothing_and_opens_the_check_in_english(watched, server, query):
    page = watched(f"{server}/check?{query}")
    live(page)
    expect(page.locator("h1")).to_have_text("Check if this study might fit you")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.url.endswith("/check?lang=en")  # nothing hostile stays in the address to be shared
    assert page.evaluate("window.__alerts") == 0
    assert page.evaluate("window.__csp") == []  # not even an attempt that the policy had to stop
