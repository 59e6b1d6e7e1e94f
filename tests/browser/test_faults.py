"""When the network or a server fails in the middle of a visit: what the visitor sees and keeps."""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import PHONE, answer_screen, axe_violations, live, plan, press, screenshot, tap, visible_widget_keys
from tests.browser.relay import Relay
from tests.profiles import FINE_MAN
from tests.stack.test_stack import served_by
from trialguide.domain import i18n
from trialguide.pages import registry as pages

ZH = i18n.translator(i18n.default(), "zh")
LOST = "The connection to the study's server was lost, and your answers with it. Please start the check again."
CONNECTED = "() => document.querySelector('[data-testid=stApp]').dataset.testConnectionState === 'CONNECTED'"
DISCONNECTED = "() => document.querySelector('[data-testid=stApp]').dataset.testConnectionState !== 'CONNECTED'"


def expect_answer_shown(page: Page, key: str) -> None:
    action, value = plan(key, FINE_MAN)
    if action == "option":
        expect(page.locator(f".st-key-{key} input[type=radio][value='{value}']")).to_be_checked()
    else:
        expect(page.locator(f".st-key-{key} input")).to_have_value(value)


def first_screen_then_one_answer(page: Page) -> str:
    """All of "About you", Continue, then the first question of the next screen; its key."""
    press(page, "start")
    answer_screen(page, FINE_MAN, tap)
    press(page, "continue")
    key = visible_widget_keys(page)[0]
    tap(page, key, FINE_MAN)
    return key


@pytest.mark.parametrize("through", ["app", "proxy"])
def test_a_phone_offline_for_ten_seconds_gets_its_page_back_with_every_answer(visit, request, through):
    target = urlsplit(request.getfixturevalue("server" if through == "app" else "proxy"))
    relay = Relay(target.hostname, target.port)
    try:
        page = visit("/check?lang=zh", PHONE, base=f"{target.scheme}://127.0.0.1:{relay.port}").page  # the proxy: https
        key = first_screen_then_one_answer(page)
        page.context.set_offline(True)
        relay.cut()
        page.wait_for_function(DISCONNECTED, timeout=10_000)  # the page really lost its server
        page.wait_for_timeout(10_000)  # the scenario itself: ten seconds without a network
        page.context.set_offline(False)
        relay.restore()
        page.wait_for_function(CONNECTED, timeout=60_000)
        live(page)
        # The same session: this screen's answer and the screen before are still there.
        expect(page.locator(".st-key-continue button")).to_be_visible()
        expect_answer_shown(page, key)
        expect(page.locator('[data-testid="stAlert"]')).to_have_count(0)
        press(page, "back")
        for earlier in visible_widget_keys(page):
            expect_answer_shown(page, earlier)
        assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    finally:
        relay.close()


def replica_of(stack, route: str) -> int:
    """Which replica nginx sends a visitor with this routing cookie to (from its own log)."""
    with httpx.Client(base_url=stack.base, cookies={"tg_route": route}, timeout=10, verify=stack.ssl_context()) as client:
        port = int(served_by(stack, client).rsplit(":", 1)[1])
    return stack.replica_ports.index(port)


def route_to(stack, index: int) -> dict:
    for _ in range(64):
        route = secrets.token_hex(16)
        if replica_of(stack, route) == index:
            return {"name": "tg_route", "value": route, "url": stack.base}
    raise AssertionError(f"no routing cookie reached replica {index}")


def test_when_a_replica_dies_its_visitors_come_back_on_another_and_the_others_see_nothing(visit, stack):
    a = visit("/check?lang=zh", PHONE, base=stack.base, cookies=[route_to(stack, 0)]).page
    b_visit = visit("/check?lang=en", PHONE, base=stack.base, cookies=[route_to(stack, 1)])
    b = b_visit.page
    b_sockets: list = []
    b.on("websocket", lambda ws: b_sockets.append(ws))
    first_screen_then_one_answer(a)
    key = first_screen_then_one_answer(b)
    stack.kill(0)
    try:
        # Visitor A: back, on the surviving replica, on the self-check, in Chinese. Their answers
        # were in the replica that died: the page says so and the check starts again; it does
        # not go on showing answers that no server holds any more.
        a.wait_for_function(CONNECTED, timeout=60_000)
        live(a)
        expect(a.locator('[data-testid="stAlert"]')).to_contain_text(ZH(LOST))
        expect(a.locator("h1")).to_have_text(pages.page("check").title["zh"])
        assert a.evaluate("document.documentElement.lang") == "zh-Hans"
        assert a.url.endswith("/check?lang=zh")
        expect(a.locator(".st-key-start button")).to_be_visible()
        assert axe_violations(a) == ""
        screenshot(a, "check-answers-lost-zh-390x844")
        # Visitor B, on the other replica: never disconnected, every answer kept, carries on.
        expect_answer_shown(b, key)
        press(b, "back")
        for earlier in visible_widget_keys(b):
            expect_answer_shown(b, earlier)
        press(b, "continue")
        expect(b.locator(".st-key-continue button")).to_be_visible()
        assert b_sockets == []  # no reconnection: the same WebSocket all along
    finally:
        stack.restart(0)
