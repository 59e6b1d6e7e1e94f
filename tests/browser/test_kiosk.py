"""A clinic's shared touch screen (?kiosk=1), at 1080x1920: big targets, nowhere to wander off,
and nothing of the previous visitor once the screen has been left alone."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    CHECK_BY_ID, KIOSK, PATIENCE_MS, PHONE, a_run, axe_violations, live, press, screenshot, tap, walk, walk_to_review,
)
from tests.conftest import KIOSK_IDLE_SECONDS, KIOSK_WARNING_SECONDS
from tests.profiles import FINE_MAN, UNSURE_WOMAN
from trialguide.check.answers import widget_key
from trialguide.domain import locales


def open_kiosk(visit, path: str) -> Page:
    return visit(path, KIOSK).page


def test_kiosk_mode_stays_on_for_the_whole_visit(visit):
    page = open_kiosk(visit, "/?lang=en&kiosk=1")
    with a_run(page):
        page.locator(".st-key-nextlinks a", has_text="Contact the study team").click()
    expect(page).to_have_url(re.compile(r"/contact\?lang=en&kiosk=1$"))
    with a_run(page):
        page.locator(".st-key-lang_switch button").click()
    expect(page).to_have_url(re.compile(r"/contact\?lang=zh&kiosk=1$"))
    expect(page.locator("button.tg-start-over")).to_be_visible()


def _small_targets(page: Page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll(
                '[data-testid="stMain"] button, [data-testid="stMain"] [data-testid="stPageLink-NavLink"],'
                + ' [data-testid="stMain"] [data-testid="stRadio"] label, [data-testid="stMain"] a.tg-button,'
                + ' [data-testid="stMain"] input[type="text"]')]
            .filter(e => e.offsetParent !== null)
            .map(e => [e.textContent.trim().slice(0, 30) || e.tagName, e.getBoundingClientRect()])
            .filter(([_, r]) => r.width < 44 || r.height < 44)
            .map(([name, r]) => `${name} ${Math.round(r.width)}x${Math.round(r.height)}`)"""
    )


@pytest.mark.parametrize("lang", locales.LANGS)
def test_every_touch_target_is_at_least_44_px(visit, lang):
    page = open_kiosk(visit, f"/check?lang={lang}&kiosk=1")
    assert _small_targets(page) == []
    press(page, "start")
    assert _small_targets(page) == []  # radios, number fields, Back and Continue
    assert axe_violations(page) == ""
    screenshot(page, f"kiosk-check-{lang}-1080x1920")
    home = open_kiosk(visit, f"/?lang={lang}&kiosk=1")
    assert _small_targets(home) == []
    assert axe_violations(home) == ""
    screenshot(home, f"kiosk-home-{lang}-1080x1920")


def assert_nothing_of_the_visitor(page: Page) -> None:
    """What the next person at the screen could see: no typed age in any field or any text.
    (Not the raw HTML: its hashes and sizes hold "47" by chance.)"""
    assert "47" not in page.inner_text("body")
    assert page.locator("input").evaluate_all("es => es.map(e => e.value)").count("47") == 0


def _start_and_answer_age(page: Page) -> None:
    press(page, "start")
    tap(page, widget_key("age", "value"), {"age": ("value", "47")})
    page.evaluate("window.__tgBefore = true")  # gone once a new page has loaded


def test_left_alone_the_kiosk_starts_over_with_nothing_of_the_last_visitor(visit):
    page = open_kiosk(visit, "/check?lang=zh&kiosk=1")
    _start_and_answer_age(page)
    dialog = page.locator('[role="alertdialog"]')
    expect(dialog).to_be_visible(timeout=(KIOSK_IDLE_SECONDS + 5) * 1000)
    seconds = int(re.search(r"\d+", dialog.locator(".tg-idle-text").inner_text()).group())
    assert seconds == KIOSK_WARNING_SECONDS  # what the kiosk is set to (30 by default: tests/app)
    expect(dialog.locator("button")).to_be_focused()
    assert axe_violations(page) == ""
    page.wait_for_function("() => window.__tgBefore === undefined", timeout=(seconds + 10) * 1000)
    live(page)
    expect(page).to_have_url(re.compile(r"/check\?lang=zh&kiosk=1$"))
    expect(page.locator(".st-key-start button")).to_be_visible()
    assert_nothing_of_the_visitor(page)
    page.go_back()
    page.wait_for_load_state()
    # Whatever Back shows (a blank page, or the kiosk's start reloaded as a new session), nothing
    # of the visitor is in it.
    expect(page.locator(".st-key-w_age_value input")).to_have_count(0)
    assert_nothing_of_the_visitor(page)


def test_im_still_here_keeps_the_visit(visit):
    page = open_kiosk(visit, "/check?lang=en&kiosk=1")
    _start_and_answer_age(page)
    dialog = page.locator('[role="alertdialog"]')
    expect(dialog).to_be_visible(timeout=(KIOSK_IDLE_SECONDS + 5) * 1000)
    dialog.get_by_role("button", name="I'm still here").click()
    expect(dialog).to_have_count(0)
    assert page.evaluate("window.__tgBefore") is True  # the same page, not a new one
    expect(page.locator(".st-key-w_age_value input")).to_have_value("47")


def test_start_over_wipes_the_visit_at_once(visit):
    page = open_kiosk(visit, "/check?lang=en&kiosk=1")
    _start_and_answer_age(page)
    page.locator("button.tg-start-over").click()
    page.wait_for_function("() => window.__tgBefore === undefined", timeout=PATIENCE_MS)
    live(page)
    assert_nothing_of_the_visitor(page)
    expect(page.locator(".st-key-start button")).to_be_visible()


def test_each_change_button_says_what_it_changes(visit):
    page = visit("/check?lang=en", PHONE).page
    walk_to_review(page, FINE_MAN)
    expect(page.get_by_role("button", name="Change: About you")).to_have_count(1)
    expect(page.locator(".st-key-change_sarcoma button")).to_have_attribute("aria-label", "Change: Your sarcoma")
    names = page.locator('[class*="st-key-change_"] button').evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
    assert len(names) >= 6 and len(set(names)) == len(names) and all(n.startswith("Change: ") for n in names)


@pytest.mark.parametrize("lang", locales.LANGS)
def test_start_over_stays_in_view_at_the_foot_of_the_longest_page(visit, lang):
    page = open_kiosk(visit, f"/doctors?lang={lang}&kiosk=1")
    page.mouse.wheel(0, 100_000)  # to the very end, as a finger would
    page.wait_for_function("() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m.scrollTop + m.clientHeight >= m.scrollHeight - 2; }")
    start_over = page.locator("button.tg-start-over")
    expect(start_over).to_be_in_viewport(ratio=1)
    expect(page.locator(".st-key-lang_switches button").first).to_be_in_viewport(ratio=1)


def test_a_new_screen_opens_below_the_header_not_under_it(visit):
    page = open_kiosk(visit, "/check?lang=zh&kiosk=1")
    press(page, "start")
    header = page.locator(".st-key-tg_header").bounding_box()
    heading = page.locator('[data-testid="stMain"] h2').first
    expect(heading).to_be_focused()
    assert heading.bounding_box()["y"] >= header["y"] + header["height"]


def test_a_kiosk_visitor_takes_away_what_to_ask_and_the_number_but_no_file(visit):
    page = open_kiosk(visit, "/check?lang=zh&kiosk=1")
    walk(page, UNSURE_WOMAN)
    # The result opens at its outcome, with the page's title whole below the sticky header (it
    # stood half behind it).
    expect(page.locator(".st-key-outcome h2")).to_be_focused()
    header = page.locator(".st-key-tg_header").bounding_box()
    assert page.locator('[data-testid="stMain"] h1').bounding_box()["y"] >= header["y"] + header["height"]
    box = page.locator(".st-key-take_away")
    expect(box).to_be_visible()
    for criterion in ("ecog", "lvef"):  # the two things she was not sure of, as questions to ask
        expect(box).to_contain_text(CHECK_BY_ID[criterion].text["zh"]["ask"])
    expect(box.locator(".tg-kiosk-phone")).to_contain_text("020-8734 3383")
    expect(page.locator(".st-key-pdf, .tg-print, a[download]")).to_have_count(0)  # nothing saved on a shared screen
    screenshot(page, "kiosk-result-zh-1080x1920")
