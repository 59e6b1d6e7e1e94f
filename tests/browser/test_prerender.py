"""The page a phone shows before the live app has loaded, and with JavaScript off (real Chromium)."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import Visit, open_visit
from tests.browser.helpers import AXE_TAGS, KIOSK, PHONE, TEL, a_run, screenshot
from trialguide.domain import locales
from trialguide.pages import registry as pages
from trialguide.pages import views
STATUS_WORDS = {"en": "most likely", "zh": "很可能", "zh-Hant": "很可能"}

# Watches every frame the browser could paint: while the copy is there it must cover the
# viewport (the loading app never shows beside it), and once gone it must never come back.
WATCH_FRAMES = """
window.__tg = { frames: 0, seenCopy: false, gone: false, showThrough: 0, cameBack: 0 };
(function frame() {
  const t = window.__tg, copy = document.getElementById('tg-prerender');
  if (document.body) {
    t.frames++;
    if (copy) {
      t.seenCopy = true;
      if (t.gone) t.cameBack++;
      const hit = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
      if (hit && !copy.contains(hit)) t.showThrough++;
    } else if (t.seenCopy) {
      t.gone = true;
    }
  }
  requestAnimationFrame(frame);
})();
"""


@pytest.fixture(scope="module")
def no_js_browsers(browser):
    """Browsers with JavaScript turned off, one per screen and language setting (a new tab in
    one for each visit: nothing of a visit without JavaScript stays behind to change the next)."""
    contexts: dict = {}

    def for_(viewport: dict, locale: str):
        key = (viewport["width"], viewport["height"], locale)
        if key not in contexts:
            contexts[key] = browser.new_context(viewport=viewport, locale=locale, java_script_enabled=False)
        return contexts[key]

    yield for_
    for context in contexts.values():
        context.close()


@pytest.fixture
def reader(no_js_browsers, server):
    """A visitor whose browser has JavaScript turned off."""
    tabs = []

    def open_(path: str, viewport: dict = PHONE, locale: str = "en-US"):
        page = no_js_browsers(viewport, locale).new_page()
        tabs.append(page)
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(server + path)
        return Visit(page, requests)

    yield open_
    for page in tabs:
        page.close()


@pytest.fixture(scope="module")
def before_the_app(browser, server):
    """The page as a phone shows it while the app's scripts are still on their way (they never
    arrive here), with the copy's own inline script running: what axe should judge."""
    context = browser.new_context(viewport=PHONE)
    context.route(re.compile(r".*/static/js/.*"), lambda route: route.abort())
    tabs = []

    def open_(path: str):
        if tabs:
            tabs.pop().close()
        tabs.append(context.new_page())
        tabs[-1].goto(server + path)
        return tabs[-1]

    yield open_
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, KIOSK], ids=["phone", "kiosk"])
@pytest.mark.parametrize("lang", locales.LANGS)
@pytest.mark.parametrize("page", pages.pages(), ids=lambda p: p.id)
def test_without_javascript_every_page_is_readable(reader, server, page, lang, viewport):
    v = reader(pages.url(page.id, lang), viewport)
    title = views.view(page.id, lang).title
    expect(v.page.locator("h1")).to_have_text(title)
    assert v.page.title() == views.document_title(title, lang)
    assert v.page.evaluate("document.documentElement.lang") == locales.HTML_LANG[lang]
    notice = v.page.locator("#tg-main .st-key-status_notice, #tg-main .st-key-status_panel").first
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(re.compile(STATUS_WORDS[lang], re.I))
    assert notice.bounding_box()["y"] < viewport["height"]
    expect(v.page.locator(f'a[href="{TEL}"]').first).to_be_visible()
    assert not v.page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert v.foreign_hosts(server) == set()
    screenshot(v.page, f"nojs-{page.id}-{lang}-{viewport['width']}x{viewport['height']}", container="#tg-prerender")


def test_without_javascript_links_lead_between_pages_in_the_same_language(reader):
    page = reader("/?lang=zh").page
    page.locator("#tg-main .st-key-nextlinks a", has_text=views.view("contact", "zh").title).click()
    expect(page).to_have_url(re.compile(r"/contact\?lang=zh$"))
    expect(page.locator("h1")).to_have_text(views.view("contact", "zh").title)
    page.locator("#tg-main .st-key-pagelinks a", has_text=views.view("results", "zh").title).click()
    expect(page).to_have_url(re.compile(r"/results\?lang=zh$"))
    page.locator('.tg-lang[hreflang="en"]').click()
    expect(page).to_have_url(re.compile(r"/results\?lang=en$"))
    expect(page.locator("h1")).to_have_text("What the study found")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_without_javascript_the_self_check_says_to_call_instead(reader):
    page = reader("/check?lang=zh").page
    expect(page.locator("#tg-main")).to_contain_text("这些问题需要开启浏览器的JavaScript功能")
    expect(page.locator("#tg-main .tg-js-only")).to_be_hidden()  # no promise of questions that cannot come
    expect(page.locator("#tg-main .tg-no-js")).to_be_visible()
    expect(page.locator(f'#tg-main a[href="{TEL}"]').first).to_be_visible()


@pytest.mark.parametrize("lang", locales.LANGS)
@pytest.mark.parametrize("page", pages.pages(), ids=lambda p: p.id)
def test_before_the_app_loads_the_page_passes_axe(before_the_app, page, lang):
    shown = before_the_app(pages.url(page.id, lang))
    expect(shown.locator("#tg-prerender h1")).to_be_visible()
    results = Axe().run(shown, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", ["/?lang=zh", "/doctors?lang=en", "/check?lang=en"])
def test_the_copy_gives_way_to_the_live_app_once_and_for_all(browser, server, path):
    contexts: list = []
    page = open_visit(browser, server + path, PHONE, init=WATCH_FRAMES, contexts=contexts).page
    try:
        expect(page.locator("#tg-prerender")).to_have_count(0)
        expect(page.locator("h1")).to_have_count(1)
        assert page.evaluate("document.getElementById('root').inert") is False
        # a tap that reruns the app, then another page: the copy never returns
        with a_run(page):
            page.locator(".st-key-lang_switch button").click()
        with a_run(page):
            page.locator(".st-key-pagelinks a").first.click()
        watched = page.evaluate("window.__tg")
    finally:
        for context in contexts:
            context.close()
    assert watched["seenCopy"] and watched["gone"], watched
    assert watched["showThrough"] == 0 and watched["cameBack"] == 0, watched


def test_while_the_app_loads_the_self_check_says_its_questions_are_coming(before_the_app):
    page = before_the_app("/check?lang=en")
    expect(page.locator("#tg-main .tg-js-only")).to_have_text(re.compile("The questions are loading"))
    expect(page.locator("#tg-main .tg-no-js")).to_be_hidden()


def test_without_javascript_a_link_to_one_criterion_lands_on_it(reader):
    page = reader("/doctors?lang=zh#exc-9").page
    expect(page.locator("#exc-9")).to_contain_text("Uncontrollable hypertension")
    expect(page.locator("#exc-9")).to_be_in_viewport()
