"""Every page, in every language, on a phone and on a kiosk, as a visitor arrives on it: the
server's copy first, then the live app in its place. One visit per page, language and screen
(``arrival``); each test below checks one thing a person relies on, on that same visit.

Recorded in the page from its first byte (``helpers.RECORD_ARRIVAL``): every layout shift, when
the copy gave way, and what the copy showed before the live app replaced it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Visit, open_visit
from tests.browser.helpers import (
    KIOSK, LIVE_BOXES, PATIENCE_MS, PHONE, RECORD_ARRIVAL, SMALL_PHONE, TEL, axe_violations, font_files, live_boxes, policy_violations,
    screenshot,
)
from trialguide.domain import locales
from trialguide.pages import registry as pages
from trialguide.pages import views
from trialguide.web import prerender



SCREENS = {"phone": (PHONE, False), "kiosk": (KIOSK, True)}
ARRIVALS = [(page.id, lang, screen) for page in pages.pages() for lang in locales.LANGS for screen in SCREENS]
LOADING = "The questions are loading. This takes a few seconds on a slow connection."
STATUS_WORDS = {"en": "most likely", "zh": "很可能", "zh-Hant": "很可能"}


@dataclass
class Arrival:
    page_id: str
    lang: str
    screen: str
    kiosk: bool
    visit: Visit

    @property
    def page(self) -> Page:
        return self.visit.page

    def recorded(self) -> dict:
        return self.page.evaluate("window.__tgArrival")


@pytest.fixture(scope="module", params=ARRIVALS, ids=[f"{p}-{lang}-{screen}" for p, lang, screen in ARRIVALS])
def arrival(request, browser, server):
    page_id, lang, screen = request.param
    viewport, kiosk = SCREENS[screen]
    url = server + pages.url(page_id, lang, kiosk)
    contexts: list = []
    v = open_visit(browser, url, viewport, init=RECORD_ARRIVAL, contexts=contexts)
    yield Arrival(page_id, lang, screen, kiosk, v)
    for context in contexts:
        context.close()


def test_the_live_page_draws_where_its_copy_was(arrival):
    """The header, the language switch and the title do not move when the copy gives way."""
    copy = arrival.recorded()["copy"]
    assert live_boxes(arrival.page) == copy["boxes"]


def test_every_block_of_words_stays_where_the_copy_had_it(arrival):
    """A reader who had scrolled down and was reading when the live app took over keeps their
    line: every paragraph, list item, heading and button of the copy is drawn by the live app at
    the same place and height (within a pixel), not only the header and the title."""
    copy = arrival.recorded()["copy"]["blocks"]
    if arrival.page_id == "check":
        # Where the copy says the questions are loading, the live app has its Start button (as
        # tall: the footer below stays, and is compared).
        loading = "".join(views.translator(arrival.lang)(LOADING).split())[:24]
        assert loading in [words for words, *_ in copy]
        copy = [block for block in copy if block[0] != loading]
    live = arrival.page.evaluate(
        """() => { const main = document.querySelector('[data-testid="stMain"]');
                   return window.__tgBlocks(main, main.scrollTop, '.st-key-share, .st-key-tg_header'); }"""
    )  # the share panel is the live app's alone, last on the page
    moved, at = [], 0
    for words, *where in copy:
        found = next((i for i in range(at, len(live)) if live[i][0] == words), None)
        if found is None:
            moved.append((words, where, "not drawn"))
            continue
        at = found + 1
        if any(abs(a - b) > 1 for a, b in zip(where, live[found][1:])):
            moved.append((words, where, live[found][1:]))
    assert moved == []


def test_the_copy_says_what_the_live_page_says(arrival):
    copy = arrival.recorded()["copy"]["text"]
    live = arrival.page.evaluate(
        """() => { const main = document.querySelector('[data-testid="stMain"]');
                   let text = main.innerText;
                   main.querySelectorAll('.st-key-share, .st-key-start').forEach(e => { text = text.replace(e.innerText, ''); });
                   return text; }"""
    )  # the share panel is the live app's alone (its link needs the visitor's address), as is the Start button
    if arrival.page_id == "check":  # the copy says the questions are coming, where the live app has its Start button
        copy = copy.replace(views.translator(arrival.lang)(LOADING), "")
    assert copy.split() == live.split()


def test_the_page_reads_right_for_a_visitor(arrival, server):
    page = arrival.page
    title = views.view(arrival.page_id, arrival.lang).title
    expect(page.locator('[data-testid="stMain"] h1')).to_have_text(title)
    assert page.title() == views.document_title(title, arrival.lang)
    assert page.evaluate("document.documentElement.lang") == locales.HTML_LANG[arrival.lang]
    # Every page says, near the top, that the study has most likely stopped enrolling.
    status = page.locator(".st-key-status_panel, .st-key-status_notice").first
    expect(status).to_be_visible()
    expect(status).to_contain_text(re.compile(STATUS_WORDS[arrival.lang], re.I))
    assert status.bounding_box()["y"] < page.viewport_size["height"]
    assert arrival.visit.foreign_hosts(server) == set()
    assert policy_violations(page) == []  # the copy, the live app and page.js all run under the policy
    # No empty band above the page: the header starts 1rem from the top.
    assert page.locator(LIVE_BOXES["home"]).bounding_box()["y"] <= (40 if arrival.kiosk else 20)  # 1rem, and a kiosk header's own padding


def test_nothing_on_a_kiosk_leads_out_of_the_app(arrival, server):
    page = arrival.page
    links = page.evaluate("""() => [...document.querySelectorAll('a[href]')].map(a => [a.getAttribute('href'), a.target, a.hasAttribute('download')])""")
    outside = [href for href, target, download in links
               if re.match(r"^(tel:|https?://(?!" + re.escape(server.split("//")[1]) + "))", href) or target == "_blank" or download]
    if not arrival.kiosk:
        assert any(href.startswith("tel:") for href, *_ in links)  # a phone can call at once
        return
    assert outside == []  # no tel:, no other site, nothing opening a new window
    assert not [href for href, *_ in links if href.startswith("/handout")]
    assert page.locator(".tg-print, button.tg-copy").count() == 0  # no print dialog, no clipboard
    # The phone number is there to note, with the QR code to carry the page away.
    expect(page.locator(".tg-kiosk-phone").first).to_be_visible()
    expect(page.locator(".st-key-share .tg-qr img")).to_be_visible()


def test_the_page_passes_axe(arrival):
    assert axe_violations(arrival.page) == ""


def test_the_page_holds_still_while_the_app_takes_over(arrival):
    """Layout shifts from the first byte until 2 s after the copy gave way: at most 0.05 in all
    (Google's "good" is 0.1), so a reader never loses their place or taps the wrong thing."""
    page = arrival.page
    page.wait_for_function("() => { const r = window.__tgArrival; return r.swapAt !== null && performance.now() > r.swapAt + 2000; }",
                           timeout=PATIENCE_MS)
    shifts = arrival.recorded()["shifts"]
    assert sum(s["value"] for s in shifts) <= 0.05, shifts


def test_a_phone_downloads_no_font(arrival):
    """The words use the phone's own fonts, and no page draws an icon: neither Streamlit's Source
    Sans (166 KB) nor its icon font (366 KB, which its start-up asks for on every page:
    trialguide/web/static.py) is fetched."""
    assert font_files(arrival.visit.requests) == set()


def test_what_the_app_asks_at_start_came_with_the_page(arrival):
    """Streamlit's start-up asks the server two things before it connects. The page asked for them
    as it arrived, so the answers are waiting (one round trip less on a slow network): each was
    fetched once, by the page, and the start-up's own asking found it there."""
    fetched = arrival.page.evaluate(
        """(paths) => performance.getEntriesByType('resource')
             .filter(e => paths.some(p => new URL(e.name).pathname.endsWith('/' + p)))
             .map(e => [new URL(e.name).pathname, e.initiatorType])""",
        list(prerender.START_FETCHES),
    )
    assert sorted(fetched) == sorted(["/" + path, "link"] for path in prerender.START_FETCHES)


def test_no_sideways_scrolling_even_on_a_small_phone(arrival):
    """Last: it narrows the screen to 320 px (after the screenshot at the visit's own size)."""
    page = arrival.page
    width = page.viewport_size["width"]
    screenshot(page, f"{arrival.page_id}-{arrival.lang}-{arrival.screen}-{width}")
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    if arrival.kiosk:
        return
    page.set_viewport_size(SMALL_PHONE)
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMain"] *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
    )
    assert overflow == []
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    expect(page.locator(f'a[href="{TEL}"]').first).to_be_visible()
