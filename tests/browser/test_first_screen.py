"""The top of every page, in a real Chromium: no empty band above it, the same place for the
pre-rendered copy and the live app (the page does not jump when one replaces the other), and a
page opened from a link starts at its top, its title focused."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import KIOSK, PHONE
from trialguide.domain import locales
from trialguide.pages import registry as pages
from trialguide.pages import views
# What a reader sees first on every page, in the copy and in the live app.
PLACES = {
    "home link": ("#tg-prerender .tg-header > a:first-child", '.st-key-tg_header [data-testid="stPageLink-NavLink"]'),
    "language switch": ("#tg-prerender .tg-lang", ".st-key-lang_switches button"),
    "title": ("#tg-prerender h1", '[data-testid="stMain"] h1'),
}


def box(page, css: str) -> tuple[int, int, int]:
    b = page.locator(css).first.bounding_box()
    return round(b["x"]), round(b["y"]), round(b["width"])


@pytest.fixture
def copy_only(browser, server):
    """The page as it arrives, before the app's scripts run (they never arrive here)."""
    contexts = []

    def open_(path: str, viewport: dict):
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        context.route(re.compile(r".*/static/js/.*"), lambda route: route.abort())
        page = context.new_page()
        page.goto(server + path)
        expect(page.locator("#tg-prerender h1")).to_be_visible()
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize("lang", locales.LANGS)
@pytest.mark.parametrize("page_spec", pages.PAGES, ids=lambda p: p.id)
def test_no_empty_band_above_a_page(visit, page_spec, lang):
    page = visit(pages.url(page_spec.id, lang), PHONE).page
    header = page.locator('.st-key-tg_header [data-testid="stPageLink-NavLink"]').bounding_box()
    assert header["y"] <= 20, header  # 1rem of air, no more
    assert page.locator('[data-testid="stMain"] h1').bounding_box()["y"] < 200


@pytest.mark.parametrize("viewport", [PHONE, {"width": 800, "height": 1000}, KIOSK], ids=["phone", "tablet", "wide"])
@pytest.mark.parametrize("lang", locales.LANGS)
@pytest.mark.parametrize("page_spec", [p for p in pages.PAGES if p.id in ("home", "check", "about", "contact")], ids=lambda p: p.id)
def test_the_live_page_draws_where_its_copy_was(copy_only, visit, page_spec, lang, viewport):
    path = pages.url(page_spec.id, lang)
    copy = copy_only(path, viewport)
    before = {name: box(copy, css) for name, (css, _) in PLACES.items()}
    live = visit(path, viewport).page
    after = {name: box(live, css) for name, (_, css) in PLACES.items()}
    assert after == before


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_kiosk_page_draws_where_its_copy_was(copy_only, visit, lang):
    path = pages.url("check", lang) + "&kiosk=1"
    copy = copy_only(path, KIOSK)
    title = box(copy, "#tg-prerender h1")
    assert box(visit(path, KIOSK).page, '[data-testid="stMain"] h1') == title


DESKTOP = {"width": 1366, "height": 768}


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
        expect(title).to_have_text(views.view(pages.BY_PATH[path].id, lang).title)
        expect(title).to_be_focused()
        expect(title).to_be_in_viewport(ratio=1)
        expect(page.locator(".st-key-tg_header")).to_be_in_viewport()
        # and back again, with the browser's Back
        page.go_back()
        expect(title).to_have_text(views.view("home", lang).title)
        expect(title).to_be_focused()
        expect(page.locator(".st-key-tg_header")).to_be_in_viewport()
