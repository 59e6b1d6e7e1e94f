"""The Content-Security-Policy in a real Chromium: a script or a request the app did not write is
refused by the browser itself, and a hostile link runs nothing.

That every part of the app runs under the policy is checked where each part is used: every page
a browser test opens counts its refusals (``helpers.WATCH_POLICY``), and every page in every
language on a phone and a kiosk (test_arrival.py), each walk of the self-check to its result and
its print button (test_check.py) must have none."""
from __future__ import annotations

import pytest
from playwright.sync_api import Error, expect

from tests.browser.conftest import open_visit
from tests.browser.helpers import PHONE, live, policy_violations
from tests.http.hostile import QUERIES

WATCH_ALERTS = "window.__alerts = 0; window.alert = () => { window.__alerts += 1; };"


@pytest.fixture
def watched(browser):
    """A visitor whose page counts every Content-Security-Policy violation (as every visit does) and alert."""
    contexts: list = []

    def open_(url: str, viewport=PHONE):
        return open_visit(browser, url, viewport, init=WATCH_ALERTS, wait=False, contexts=contexts).page

    yield open_
    for context in contexts:
        context.close()


def test_the_handout_prints_without_a_policy_violation(watched, server):
    page = watched(server + "/handout?lang=zh")
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.locator("#tg-print").click()
    assert page.evaluate("window.__printed") is True
    assert policy_violations(page) == []


def test_a_script_or_a_request_the_app_did_not_write_is_refused(watched, server):
    page = watched(server + "/?lang=en")
    live(page)
    with pytest.raises(Error):
        page.add_script_tag(content="window.__injected = true;")
    assert page.evaluate("window.__injected === undefined")
    refused = page.evaluate("fetch('https://example.org/collect').then(() => 'sent', () => 'refused')")
    assert refused == "refused"
    expect(page.locator("h1")).to_be_visible()
    violations = policy_violations(page)
    assert any(v.startswith("script-src") for v in violations) and any(v.startswith("connect-src") for v in violations)


@pytest.mark.parametrize("query", [q for q in QUERIES if "alert(1)" in q][:5], ids=lambda q: q[:30])
def test_a_hostile_link_runs_nothing_and_opens_the_check_in_english(watched, server, query):
    page = watched(f"{server}/check?{query}")
    live(page)
    expect(page.locator("h1")).to_have_text("Check if this study might fit you")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.url.endswith("/check?lang=en")  # nothing hostile stays in the address to be shared
    assert page.evaluate("window.__alerts") == 0
    assert policy_violations(page) == []  # not even an attempt that the policy had to stop
