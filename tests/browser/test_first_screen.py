"""The top of a page, in a real Chromium: the same place for the pre-rendered copy and the live
app on screens between a phone and a kiosk (those two: test_arrival.py), and a page opened from
a link starts at its top, its title focused."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_visit
from tests.browser.helpers import DESKTOP, PHONE, RECORD_ARRIVAL, a_run, live_boxes
from trialguide.domain import locales
from trialguide.pages import registry as pages
from trialguide.pages import views


@pytest.mark.parametrize("viewport", [{"width": 800, "height": 1000}, DESKTOP], ids=["tablet", "desktop"])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page_spec", [p for p in pages.pages() if p.id in ("home", "check", "contact")], ids=lambda p: p.id)
def test_the_live_page_draws_where_its_copy_was_on_wider_screens(browser, server, page_spec, lang, viewport):
    """Phones and kiosks: test_arrival.py, every page. Here the widths between them."""
    contexts: list = []
    v = open_visit(browser, server + pages.url(page_spec.id, lang), viewport, init=RECORD_ARRIVAL, contexts=contexts)
    try:
        assert live_boxes(v.page) == v.page.evaluate("window.__tgArrival.copy.boxes")
    finally:
        for context in contexts:
            context.close()


@pytest.mark.parametrize("lang, viewport, links", [
    ("en", DESKTOP, "every"), ("zh", PHONE, "every"), ("zh-Hant", PHONE, "last"),
], ids=["en-desktop", "zh-phone", "zh-Hant-phone"])
def test_a_page_link_opens_the_next_page_at_its_top_with_its_title_focused(visit, lang, viewport, links):
    """From the foot of the home page, each link in "More about this study" opens its page at
    its top (title, status box), and the browser's Back returns to home's top."""
    page = visit(pages.url("home", lang), viewport).page
    count = page.locator(".st-key-pagelinks a").count()
    for index in range(count) if links == "every" else [count - 1]:
        link = page.locator(".st-key-pagelinks a").nth(index)
        link.scroll_into_view_if_needed()
        path = urlsplit(link.get_attribute("href")).path.strip("/")
        link.click()
        title = page.locator('[data-testid="stMain"] h1')
        expect(title).to_have_text(views.view(pages.by_path(path).id, lang).title)
        expect(title).to_be_focused()
        expect(title).to_be_in_viewport(ratio=1)
        expect(page.locator(".st-key-tg_header")).to_be_in_viewport()
        # and back again, with the browser's Back (its run drawn to the end before the next link)
        with a_run(page):
            page.go_back()
        expect(title).to_have_text(views.view("home", lang).title)
        expect(title).to_be_focused()
        expect(page.locator(".st-key-tg_header")).to_be_in_viewport()
