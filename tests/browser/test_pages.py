"""What a visitor does on the pages in a real Chromium: reading the status, calling, switching
language, following links and terms. (Every page in every language: test_arrival.py.)"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, TEL, lines_holding, live
from trialguide.domain import locales
from trialguide.pages import views
from trialguide.pages.registry import pages as site_pages

PAGES = site_pages()
SCREEN = {s.id: s for s in PAGES}


def title(screen, lang):
    return screen.title[lang]


@pytest.mark.parametrize("lang, words", [("en", "Most likely not."), ("zh", "\u5f88\u53ef\u80fd\u5df2\u7ecf\u4e0d\u62db\u4e86")])
def test_home_opens_with_the_honest_status_and_a_call_button(visit, lang, words):
    page = visit(f"/?lang={lang}").page
    panel = page.locator(".st-key-status_panel")
    expect(panel).to_contain_text(words)
    call = panel.locator(f'a[href="{TEL}"]')
    expect(call).to_be_visible()
    assert call.bounding_box()["y"] + call.bounding_box()["height"] <= PHONE["height"] * 1.5
    assert call.bounding_box()["height"] >= 44


@pytest.mark.parametrize("lang", locales.LANGS)
def test_contact_page_gives_number_both_ways_and_address(visit, lang):
    page = visit(f"/contact?lang={lang}").page
    expect(page.locator(f'a[href="{TEL}"]').first).to_be_visible()
    main = page.locator('[data-testid="stMain"]')
    expect(main).to_contain_text("020-8734 3383")
    expect(main).to_contain_text("+86 20 8734 3383")
    expect(main).to_contain_text("\u4e1c\u98ce\u4e1c\u8def651\u53f7")
    links = page.locator("a.tg-secondary")
    assert [links.nth(i).get_attribute("href").split("?")[0] for i in range(links.count())] == [
        "https://uri.amap.com/search", "https://api.map.baidu.com/geocoder"
    ]
    assert "@" not in main.inner_text()


def test_switching_language_keeps_the_page_and_shows_in_the_link(visit):
    page = visit("/contact?lang=en").page
    page.locator(".st-key-lang_switch button").click()
    expect(page.locator("h1")).to_have_text(title(SCREEN["contact"], "zh"))
    expect(page).to_have_url(re.compile(r"/contact\?lang=zh$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.locator(".st-key-lang_switch button").click()
    expect(page.locator("h1")).to_have_text("Contact the study team")


def test_a_hong_kong_visitor_can_read_traditional_characters(visit):
    page = visit("/about?lang=en", {"width": 320, "height": 640}).page
    page.locator(".st-key-lang_switch_zh-Hant button").click()
    expect(page.locator("h1")).to_have_text(title(SCREEN["about"], "zh-Hant"))
    expect(page).to_have_url(re.compile(r"/about\?lang=zh-Hant$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("安羅替尼")  # Traditional 羅, not 罗
    # all three languages stay within reach on a small phone
    for name in ("English", "简体中文"):
        button = page.get_by_role("button", name=name)
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_moving_between_pages_keeps_the_language(visit):
    page = visit("/?lang=zh").page
    page.locator(".st-key-nextlinks a", has_text=title(SCREEN["results"], "zh")).click()
    expect(page.locator("h1")).to_have_text(title(SCREEN["results"], "zh"))
    expect(page).to_have_url(re.compile(r"/results\?lang=zh$"))


@pytest.mark.parametrize("browser_locale, lang", [("zh-CN", "zh"), ("zh-HK", "zh-Hant"), ("en-GB", "en"), ("fr-FR", "en")])
def test_browser_language_chooses_when_the_link_does_not(visit, browser_locale, lang):
    page = visit("/who-can-join", locale=browser_locale).page
    expect(page.locator("h1")).to_have_text(title(SCREEN["who-can-join"], lang))
    expect(page).to_have_url(re.compile(rf"/who-can-join\?lang={lang}$"))


@pytest.mark.parametrize(
    "path",
    ["/no-such-page?lang=zh", "/%3Cscript%3E?lang=zh", "/?lang=zh&page=%3Cb%3Ex%3C/b%3E", "/?lang=zh&x=" + "a" * 3000],
)
def test_odd_links_open_the_home_page_without_an_error(visit, path):
    page = visit(path, locale="zh-CN").page
    expect(page.locator("h1")).to_have_text(title(SCREEN["home"], "zh"))
    expect(page.locator('[data-testid="stDialog"] [role="dialog"]')).to_have_count(0)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_a_link_to_one_criterion_lands_on_it(visit):
    page = visit("/doctors?lang=en#exc-9").page
    target = page.locator("#exc-9")
    expect(target).to_contain_text("Uncontrollable hypertension")
    expect(target).to_be_in_viewport()


YELLOW = "rgb(255, 244, 194)"


def test_a_term_links_to_its_explanation_on_the_same_page(visit):
    page = visit("/about?lang=zh").page
    page.locator('a[href="#g-maintenance"]').first.click()
    definition = page.locator('[data-testid="stMain"] #g-maintenance')
    expect(definition).to_be_in_viewport()
    expect(definition).to_have_text("\u7ef4\u6301\u6cbb\u7597")
    expect(definition).to_have_css("background-color", YELLOW)  # which word was meant
    page.locator('a[href="#g-anlotinib"]').first.click()  # another word: that one alone is marked
    expect(page.locator('[data-testid="stMain"] #g-anlotinib')).to_have_css("background-color", YELLOW)
    expect(definition).not_to_have_css("background-color", YELLOW)


@pytest.mark.parametrize("lang", locales.LANGS)
def test_a_link_to_one_word_lands_on_it_marked_and_clear_of_the_screens_top(visit, lang):
    page = visit(f"/glossary?lang={lang}#g-ecog").page
    word = page.locator('[data-testid="stMain"] #g-ecog')
    expect(word).to_be_in_viewport()
    expect(word).to_have_css("background-color", YELLOW)
    assert word.bounding_box()["y"] >= 8


def test_keyboard_reaches_the_call_button(visit):
    page = visit("/?lang=en").page
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == TEL:
            break
    assert page.evaluate("document.activeElement.getAttribute('href')") == TEL


QUOTE_WIDTH = """() => {
  // How wide the first opening quote mark on the page is drawn, in ems of its text.
  const walk = document.createTreeWalker(document.querySelector('[data-testid="stMain"]'), NodeFilter.SHOW_TEXT);
  for (let t = walk.nextNode(); t; t = walk.nextNode()) {
    const at = t.data.indexOf('\\u201c');
    if (at < 0) continue;
    const range = document.createRange(); range.setStart(t, at); range.setEnd(t, at + 1);
    return range.getBoundingClientRect().width / parseFloat(getComputedStyle(t.parentElement).fontSize);
  }
  return null; }"""


@pytest.mark.parametrize("lang, widest, narrowest", [("en", 0.5, 0), ("zh", 1.01, 0.9)])
def test_quote_marks_are_drawn_as_each_language_writes_them(visit, lang, widest, narrowest):
    """English reads “Clear my answers” with its quote marks close, not as Chinese full-width
    marks set apart by a gap (the Chinese font comes first, for the Chinese pages); Chinese keeps
    its full-width marks."""
    width = visit(f"/check?lang={lang}").page.evaluate(QUOTE_WIDTH)
    assert width is not None and narrowest <= width <= widest, width


@pytest.mark.parametrize("lang", locales.LANGS)
def test_the_number_to_call_stays_on_one_line_on_a_small_phone(visit, lang):
    """Read aloud or typed into another phone, "020-8734 3383" must not break after its dash. The
    button shows the number as the language's readers dial it (Hong Kong: "+86 20 8734 3383")."""
    page = visit(f"/contact?lang={lang}", {"width": 320, "height": 640}).page
    buttons = page.locator(f'a.tg-button[href="{TEL}"]')
    expect(buttons.first).to_be_visible()
    for i in range(buttons.count()):
        expect(buttons.nth(i)).to_contain_text(views.call_number(lang))
        assert lines_holding(buttons.nth(i), views.call_number(lang)) == 1
    main = page.locator('[data-testid="stMain"]')
    for number in views.phone_numbers():  # the numbers listed under the button, by where they are dialled from
        assert lines_holding(main, number) == 1, number


@pytest.mark.parametrize("lang", locales.LANGS)
def test_a_term_in_a_sentence_is_set_as_the_sentence_is(visit, lang):
    """A glossary term linked inside a sentence takes the room of its words and wraps with the
    sentence: no gap around a short Chinese term ("是 晚期 肉瘤"), no term moved to the next line
    whole."""
    page = visit(f"/?lang={lang}").page
    terms = page.locator('[data-testid="stMain"] p a[href^="#g-"], [data-testid="stMain"] li a[href^="#g-"]')
    expect(terms.first).to_be_visible()
    misfits = terms.evaluate_all("""links => links.filter(a => {
        const words = document.createRange(); words.selectNodeContents(a);
        const drawn = [...a.getClientRects()].reduce((sum, r) => sum + r.width, 0);
        const text = [...words.getClientRects()].reduce((sum, r) => sum + r.width, 0);
        return getComputedStyle(a).display !== 'inline' || Math.abs(drawn - text) > 1; }).map(a => a.textContent)""")
    assert misfits == []
