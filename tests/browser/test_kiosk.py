"""A clinic's shared touch screen (?kiosk=1), at 1080x1920: big targets, nowhere to wander off,
and nothing of the previous visitor once the screen has been left alone."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import KIOSK, PHONE, Visit, screenshot
from tests.browser.test_check import CHECK_BY_ID, press, settle, walk, walk_to_review
from tests.check_profiles import UNSURE_WOMAN
from tests.conftest import KIOSK_IDLE_SECONDS
from trialguide.domain import locales
from trialguide.pages import registry as pages
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def open_kiosk(visit, path: str) -> Page:
    return visit(path, KIOSK).page


def test_kiosk_mode_stays_on_for_the_whole_visit(visit):
    page = open_kiosk(visit, "/?lang=en&kiosk=1")
    page.locator(".st-key-nextlinks a", has_text="Contact the study team").click()
    settle(page)
    expect(page).to_have_url(re.compile(r"/contact\?lang=en&kiosk=1$"))
    page.locator(".st-key-lang_switch button").click()
    settle(page)
    expect(page).to_have_url(re.compile(r"/contact\?lang=zh&kiosk=1$"))
    expect(page.locator("button.tg-start-over")).to_be_visible()


@pytest.mark.parametrize("lang", locales.LANGS)
@pytest.mark.parametrize("page_spec", pages.PAGES, ids=lambda p: p.id)
def test_nothing_on_a_kiosk_leads_out_of_the_app(visit, server, page_spec, lang):
    page = open_kiosk(visit, f"/{page_spec.path}?lang={lang}&kiosk=1")
    links = page.evaluate("""() => [...document.querySelectorAll('a[href]')].map(a => [a.getAttribute('href'), a.target, a.hasAttribute('download')])""")
    own = urlsplit(server).netloc
    for href, target, download in links:
        url = urlsplit(href)
        assert url.scheme in ("", "http", "https") and url.netloc in ("", own), href  # no tel:, no other site
        assert target != "_blank" and not download, href
        assert not url.path.startswith("/handout"), href
    assert page.locator(".tg-print, button.tg-copy").count() == 0  # no print dialog, no clipboard
    # The phone number is there to note, with the QR code to carry the page away.
    expect(page.locator(".tg-kiosk-phone").first).to_be_visible()
    expect(page.locator(".st-key-share .tg-qr img")).to_be_visible()


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
    press(page, "start", False)
    assert _small_targets(page) == []  # radios, number fields, Back and Continue
    assert Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).violations_count == 0
    screenshot(page, f"kiosk-check-{lang}-1080x1920")
    home = open_kiosk(visit, f"/?lang={lang}&kiosk=1")
    assert _small_targets(home) == []
    assert Axe().run(home, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).violations_count == 0
    screenshot(home, f"kiosk-home-{lang}-1080x1920")


def _start_and_answer_age(page: Page) -> None:
    press(page, "start", False)
    field = page.locator(".st-key-w_age_value input")
    field.fill("47")
    field.press("Enter")
    settle(page)
    page.evaluate("window.__tgBefore = true")  # gone once a new page has loaded


def test_left_alone_the_kiosk_starts_over_with_nothing_of_the_last_visitor(visit):
    page = open_kiosk(visit, "/check?lang=zh&kiosk=1")
    _start_and_answer_age(page)
    dialog = page.locator('[role="alertdialog"]')
    expect(dialog).to_be_visible(timeout=(KIOSK_IDLE_SECONDS + 5) * 1000)
    seconds = int(re.search(r"\d+", dialog.locator(".tg-idle-text").inner_text()).group())
    assert seconds >= 20  # WCAG 2.2.1: time enough to say "I'm still here"
    expect(dialog.locator("button")).to_be_focused()
    assert Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).violations_count == 0
    page.wait_for_function("() => window.__tgBefore === undefined", timeout=(seconds + 10) * 1000)
    Visit(page, []).settle()
    expect(page).to_have_url(re.compile(r"/check\?lang=zh&kiosk=1$"))
    expect(page.locator(".st-key-start button")).to_be_visible()
    assert "47" not in page.content()
    page.go_back()
    page.wait_for_load_state()
    page.wait_for_timeout(1500)
    if page.locator('[data-testid="stApp"]').count():
        Visit(page, []).settle()
    assert "47" not in page.content()
    assert page.locator(".st-key-w_age_value input").count() == 0


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
    page.wait_for_function("() => window.__tgBefore === undefined")
    Visit(page, []).settle()
    assert "47" not in page.content()


def test_each_change_button_says_what_it_changes(visit):
    page = visit("/check?lang=en", PHONE).page
    walk_to_review(page)
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
    press(page, "start", False)
    header = page.locator(".st-key-tg_header").bounding_box()
    heading = page.locator('[data-testid="stMain"] h2').first
    expect(heading).to_be_focused()
    assert heading.bounding_box()["y"] >= header["y"] + header["height"]


def test_a_kiosk_visitor_takes_away_what_to_ask_and_the_number_but_no_file(visit):
    page = open_kiosk(visit, "/check?lang=zh&kiosk=1")
    walk(page, UNSURE_WOMAN)
    box = page.locator(".st-key-take_away")
    expect(box).to_be_visible()
    for criterion in ("ecog", "lvef"):  # the two things she was not sure of, as questions to ask
        expect(box).to_contain_text(CHECK_BY_ID[criterion].text["zh"]["ask"])
    expect(box.locator(".tg-kiosk-phone")).to_contain_text("020-8734 3383")
    expect(page.locator(".st-key-pdf, .tg-print, a[download]")).to_have_count(0)  # nothing saved on a shared screen
    screenshot(page, "kiosk-result-zh-1080x1920")
