"""The self-check in a real Chromium at phone size, done the way a person does it."""
from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import PHONE, SCREENSHOTS, screenshot
from tests.browser.test_pages import CATALOGS, axe_violations
from tests.check_profiles import FINE_MAN, PROFILES
from trialguide.domain import content
from trialguide.domain import i18n
from trialguide.domain import locales
from trialguide.check import summary
from trialguide.check.answers import widget_key, widget_of
from trialguide.check.eligibility import Outcome, default

CHECK = default()
CHECK_BY_ID = {c.id: c for c in CHECK.criteria}
OUTCOME_TEXT = {
    ("nothing_rules_out", "en"): "Nothing in your answers to these questions rules you out",
    ("check_with_doctor", "en"): "Some things need checking with your doctor",
    ("probably_not", "en"): "Something you told us means this study is probably not for you",
    ("nothing_rules_out", "zh"): "就您对这些问题的回答来看，没有哪一条不符合",
    ("check_with_doctor", "zh"): "\u6709\u4e9b\u4e8b\u9700\u8981\u548c\u60a8\u7684\u533b\u751f\u786e\u8ba4",
    ("probably_not", "zh"): "\u6839\u636e\u60a8\u544a\u8bc9\u6211\u4eec\u7684\u5185\u5bb9\uff0c\u8fd9\u9879\u7814\u7a76\u5f88\u53ef\u80fd\u4e0d\u9002\u5408\u60a8",
    # Traditional is generated from the Simplified: what its catalog says is what a reader sees.
    **{(o.value, "zh-Hant"): i18n.translator(CATALOGS, "zh-Hant")(text) for o, text in summary.OUTCOME_TEXT.items()},
}


def settle(page: Page) -> None:
    page.wait_for_timeout(150)  # let a rerun that a tap started begin
    page.wait_for_function(
        """() => {const a = document.querySelector('[data-testid="stApp"]');
                  return a && a.dataset.testScriptState === 'notRunning' && !document.querySelector('[data-testid="stSkeleton"]');}""",
        timeout=30_000,
    )


def visible_widget_keys(page: Page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('[class*="st-key-w_"]')]
                 .map(e => [...e.classList].find(c => c.startsWith('st-key-w_')).slice(7))"""  # st-key- + widget_key
    )


def plan(key: str, profile: dict):
    """What a visitor does with one widget: ("option", index) or ("type", text)."""
    qid, field = widget_of(key)
    question, answer = CHECK.questions[qid], profile[qid]
    if question.type == "choice":
        return "option", question.options.index(answer)
    if field == "mode":
        modes = ["value"] + (["normal"] if question.normal else []) + (["unsure"] if question.unsure else [])
        return "option", modes.index(answer if isinstance(answer, str) else answer[0])
    return "type", answer[2] if field == "uln" else answer[1]


def tap(page: Page, key: str, profile: dict) -> None:
    action, value = plan(key, profile)
    if action == "option":
        page.locator(f".st-key-{key} [data-testid=stRadioOption]").nth(value).click()
    else:
        field = page.locator(f".st-key-{key} input")
        field.click()
        field.fill(value)
        field.press("Enter")


def tab_to(page: Page, css: str, limit: int = 400) -> None:
    for _ in range(limit):
        if page.evaluate("css => !!document.activeElement && document.activeElement.matches(css)", css):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {css}")


def by_keyboard(page: Page, key: str, profile: dict) -> None:
    action, value = plan(key, profile)
    if action == "option":
        # A radio group is one Tab stop; arrow keys move through it and select.
        tab_to(page, f".st-key-{key} input[type=radio]")
        page.keyboard.press("Space")
        for _ in range(value):
            page.keyboard.press("ArrowDown")
        expect(page.locator(f".st-key-{key} input[type=radio][value='{value}']")).to_be_checked()
    else:
        tab_to(page, f".st-key-{key} input")
        page.keyboard.type(value)
        page.keyboard.press("Enter")


# The self-check's mark of its screen (components/check.py): every button that changes the
# screen counts one more visit, so a test knows the next screen is drawn, not just asked for.
VISIT = "() => { const m = document.querySelector('[data-testid=\"stMain\"] .tg-step'); return m ? m.dataset.visit : null; }"
NEXT_VISIT = """before => {
    const m = document.querySelector('[data-testid="stMain"] .tg-step');
    const a = document.querySelector('[data-testid="stApp"]');
    return m && m.dataset.visit !== before && a.dataset.testScriptState === 'notRunning'; }"""


def press(page: Page, key: str, keyboard: bool) -> None:
    before = page.evaluate(VISIT)
    if keyboard:
        tab_to(page, f".st-key-{key} button")
        page.keyboard.press("Enter")
    else:
        page.locator(f".st-key-{key} button").click()
    if before is not None:
        page.wait_for_function(NEXT_VISIT, arg=before, timeout=30_000)
    settle(page)


def answer_screen(page: Page, profile: dict, act) -> None:
    done: set[str] = set()
    while todo := [k for k in visible_widget_keys(page) if k not in done]:
        for key in todo:
            done.add(key)
            act(page, key, profile)
            settle(page)


def walk(page: Page, profile: dict, keyboard: bool = False) -> None:
    act = by_keyboard if keyboard else tap
    press(page, "start", keyboard)
    for _ in range(10):
        if not page.locator(".st-key-continue").count():
            break
        answer_screen(page, profile, act)
        press(page, "continue", keyboard)
        expect(page.locator('[data-testid="stAlert"], .tg-error-summary')).to_have_count(0)
    press(page, "see_result", keyboard)


def any_answer(page: Page, key: str, _profile=None) -> None:
    """What any visitor might do with a widget, whatever the questions are: a choice's first
    option, a number's last way to answer ("I'm not sure" where offered), a plausible number."""
    qid, field = widget_of(key)
    question = CHECK.questions[qid]
    if field in (None, "mode"):
        options = page.locator(f".st-key-{key} [data-testid=stRadioOption]")
        options.nth(options.count() - 1 if field == "mode" else 0).click()
        return
    low = max(question.min, question.suspect_below or question.min)
    high = min(question.max, question.suspect_above or question.max, low + 100)
    typed = page.locator(f".st-key-{key} input")
    typed.fill("40" if field == "uln" else "%g" % round((low + high) / 2))
    typed.press("Enter")


def first_heading(page: Page):
    """The screen's own heading: the first h2 on the page (the h1 is the page's title)."""
    return page.locator('[data-testid="stMain"] h2').first


def expect_landed_on_the_heading(page: Page) -> None:
    heading = first_heading(page)
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport(ratio=1)


def step_counts(page: Page) -> tuple[int, int]:
    n, total = map(int, re.findall(r"\d+", page.locator(".tg-step-count").inner_text()))
    return n, total


SMALL_TARGETS = """() => [...document.querySelectorAll(
        '[data-testid="stMain"] button, [data-testid="stMain"] a[href], [data-testid="stMain"] summary,'
        + ' [data-testid="stMain"] [data-testid="stRadio"] label, [data-testid="stMain"] input[type="text"]')]
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
    .map(e => [e.textContent.trim().slice(0, 30) || e.tagName, e.getBoundingClientRect()])
    .filter(([_, r]) => r.bottom > 0 && (r.width < 44 || r.height < 44))
    .map(([name, r]) => `${name} ${Math.round(r.width)}x${Math.round(r.height)}`)"""


def small_targets(page: Page) -> list[str]:
    return page.evaluate(SMALL_TARGETS)


def walk_anyhow(page: Page, on_screen=lambda page: None) -> None:
    """Start (unless started), then answer every screen anyhow and Continue, to the
    check-your-answers screen. ``on_screen`` looks at each screen once it has been answered."""
    if page.locator(".st-key-start").count():
        press(page, "start", False)
    for _ in range(len(CHECK.topics) + 1):
        if not page.locator(".st-key-continue").count():
            break
        answer_screen(page, None, any_answer)
        on_screen(page)
        press(page, "continue", False)
    expect(page.locator(".st-key-see_result button")).to_be_visible()


def on_first_screen(page: Page, css: str) -> None:
    """Wholly within the phone's first screen of the result (it opens at its headline)."""
    box = page.locator(css).first.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (css, box)


@pytest.mark.parametrize("lang", locales.LANGS)
@pytest.mark.parametrize("outcome", list(PROFILES))
def test_taps_alone_reach_each_outcome_and_it_reads_on_one_screen(visit, server, outcome, lang):
    v = visit(f"/check?lang={lang}", PHONE)
    page = v.page
    walk(page, PROFILES[outcome])
    expect(page.locator(".st-key-outcome h2")).to_have_text(OUTCOME_TEXT[(outcome, lang)])
    # One phone screen: the headline, the first reason (a plain sentence, each answer on its own
    # line, the registry's words behind "For your doctor") and the call button.
    expect_landed_on_the_heading(page)
    on_first_screen(page, ".st-key-outcome h2")
    on_first_screen(page, ".st-key-outcome a[href='tel:+862087343383']")
    if outcome != Outcome.NOTHING_RULES_OUT.value:
        on_first_screen(page, ".st-key-outcome li.tg-card")
        card = page.locator(".st-key-outcome li.tg-card").first
        expect(card.locator("ul.tg-given li").first).to_be_visible()
        expect(card.locator("details.tg-registry summary")).to_be_visible()
        expect(card.locator("[lang=en]")).to_be_hidden()
    if outcome == Outcome.CHECK_WITH_DOCTOR.value:
        # What to ask, why it matters (what the study needs) and what the word means (ECOG first)
        card = page.locator(".st-key-outcome li.tg-card").first
        expect(card.locator(".tg-card-head")).to_have_text(CHECK_BY_ID["ecog"].text[lang]["ask"])
        expect(card.locator(".tg-needs")).to_contain_text(CHECK_BY_ID["ecog"].text[lang]["plain"])
        expect(card.locator(".tg-explain")).to_contain_text(content.default().glossary["ecog"][lang]["text"])
    page.screenshot(path=str(SCREENSHOTS / f"check-result-first-screen-{outcome}-{lang}-390x844.png"))
    expect(page.locator(".st-key-outcome")).not_to_contain_text("eligible")
    expect(page.locator(".st-key-status_notice").first).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == locales.HTML_LANG[lang]
    assert v.foreign_hosts(server) == set()
    address = page.url.split("/", 3)[3]  # path and query: answers never reach the address
    assert address == f"check?lang={lang}"
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert axe_violations(page) == ""
    screenshot(page, f"check-result-{outcome}-{lang}-390x844")


def english_outside_disclosures(page: Page) -> list[str]:
    """Registry excerpts (English) a reader sees in the result and the summary, disclosures aside."""
    shown = page.evaluate(
        """() => ['.st-key-result', '.st-key-summary'].map(s => {
               const copy = document.querySelector(s).cloneNode(true);
               copy.querySelectorAll('details').forEach(d => d.remove());
               return copy.textContent; }).join(' ')"""
    )
    return [c.excerpt for c in CHECK.criteria if c.excerpt in shown]


@pytest.mark.parametrize("lang", ["zh", "zh-Hant"])
def test_a_chinese_result_shows_no_english_registry_text_outside_the_disclosures(visit, lang):
    page = visit(f"/check?lang={lang}", PHONE).page
    walk_anyhow(page)  # many answers that do not fit: many reasons to show
    press(page, "see_result", False)
    expect(page.locator(".st-key-summary")).to_be_visible()
    assert english_outside_disclosures(page) == []
    page.locator(".st-key-outcome details.tg-registry summary").first.click()
    expect(page.locator(".st-key-outcome details.tg-registry [lang=en]").first).to_be_visible()
    page.locator("details.tg-every > summary").click()
    expect(page.locator("details.tg-every li.tg-card")).to_have_count(len(CHECK.criteria))


def test_keyboard_alone_completes_the_check(visit):
    page = visit("/check?lang=en", PHONE).page
    walk(page, FINE_MAN, keyboard=True)
    expect(page.locator(".st-key-outcome h2")).to_have_text(OUTCOME_TEXT[("nothing_rules_out", "en")])
    expect(page.locator(".st-key-outcome h2")).to_be_focused()  # where the keyboard goes on from


def test_start_question_and_review_screens_pass_axe(visit):
    page = visit("/check?lang=zh", PHONE).page
    assert axe_violations(page) == ""
    screenshot(page, "check-start-zh-390x844")
    press(page, "start", False)
    press(page, "continue", False)  # nothing answered: the errors must be accessible too
    expect(page.locator('[data-testid="stAlert"]').first).to_be_visible()
    assert axe_violations(page) == ""
    screenshot(page, "check-errors-zh-390x844")
    page.goto(page.url)  # a new session starts empty
    settle(page)
    walk_to_review(page)
    assert axe_violations(page) == ""
    screenshot(page, "check-review-zh-390x844")


def test_errors_are_summarised_at_the_top_with_links_to_each_field(visit):
    """GOV.UK error summary: announced at once, each problem a link to its field, title first."""
    page = visit("/check?lang=en", PHONE).page
    press(page, "start", False)
    page.locator(f".st-key-{widget_key('age', 'value')} input").fill("300")
    page.locator(f".st-key-{widget_key('age', 'value')} input").press("Enter")
    settle(page)
    press(page, "continue", False)
    summary = page.locator(".tg-error-summary[role=alert]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator("h2")).to_have_text("There is a problem")
    expect(summary.locator("li")).to_have_count(4)  # age out of range; sex, ECOG and survival not answered
    expect(summary).to_contain_text("How old are you? This number is not possible here. Please check it.")
    assert page.title().startswith("Error: ")
    assert summary.bounding_box()["y"] < PHONE["height"]
    summary.locator("li a").nth(2).click()  # the third problem: the ECOG question, further down
    expect(page.locator(f".st-key-{widget_key('ecog')}")).to_be_in_viewport()
    expect(page.locator(f".st-key-{widget_key('ecog')} input").first).to_be_focused()
    assert "#" not in page.url  # a shared link never keeps it
    # Once the answers are right, the summary and the "Error:" title go.
    answer_screen(page, FINE_MAN, tap)
    press(page, "continue", False)
    expect(page.locator(".tg-error-summary")).to_have_count(0)
    assert not page.title().startswith("Error")


def walk_to_review(page: Page) -> None:
    press(page, "start", False)
    while page.locator(".st-key-continue").count():
        answer_screen(page, FINE_MAN, tap)
        press(page, "continue", False)
    expect(page.locator(".st-key-see_result button")).to_be_visible()


def test_back_and_change_keep_answers(visit):
    page = visit("/check?lang=en", PHONE).page
    press(page, "start", False)
    answer_screen(page, FINE_MAN, tap)
    press(page, "continue", False)
    expect(page.locator("h2", has_text="Your sarcoma")).to_be_visible()
    press(page, "back", False)
    expect(page.locator(".st-key-w_age_value input")).to_have_value("45")
    expect(page.locator(".st-key-w_sex input[value='1']")).to_be_checked()
    page.reload()
    settle(page)
    walk_to_review(page)
    expect(page.locator(".st-key-r_about-you")).to_contain_text("1: I can do light work")
    press(page, "change_about-you", False)
    expect(page.locator(".st-key-w_ecog input[value='1']")).to_be_checked()
    expect(page.locator(".st-key-w_age_value input")).to_have_value("45")
    page.locator(".st-key-w_ecog [data-testid=stRadioOption]").nth(2).click()
    settle(page)
    press(page, "continue", False)
    expect(page.locator(".st-key-r_about-you")).to_contain_text("2: I can look after myself")  # straight back to the review
    expect(page.locator(".st-key-r_about-you")).to_contain_text("45")


def test_the_summary_prints_with_the_answers(visit):
    page = visit("/check?lang=zh", PHONE).page
    walk(page, PROFILES["probably_not"])
    summary = page.locator(".st-key-summary")
    page.emulate_media(media="print")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("NCT03890068")
    expect(summary).to_contain_text("72")
    expect(summary).to_contain_text("160 U/L")
    # On paper every answer is there, with the registry's own words beside it.
    expect(summary.locator("details.tg-every [lang=en]", has_text="18-70 years")).to_be_visible()
    expect(summary.locator("details.tg-every > summary")).to_be_hidden()
    expect(page.locator(".st-key-outcome")).to_be_hidden()  # the summary alone is printed
    expect(page.locator(".st-key-share")).to_be_hidden()
    expect(page.locator(".st-key-to_review button")).to_be_hidden()
    expect(page.locator("#tg-print")).to_be_hidden()
    expect(page.locator(".st-key-pdf button")).to_be_hidden()
    screenshot(page, "check-summary-print-zh-390x844")


@pytest.mark.parametrize("lang", ["zh", "zh-Hant"])
def test_the_summary_for_the_doctor_is_short_with_every_answer_a_tap_away(visit, lang):
    page = visit(f"/check?lang={lang}", PHONE).page
    walk(page, PROFILES["probably_not"])
    summary = page.locator(".st-key-summary")
    expect(summary.locator("table")).to_have_count(0)  # cards, not a table, on a phone
    expect(summary.locator("dl.tg-answers dd").first).to_be_visible()  # what a doctor checks first
    expect(summary).to_contain_text("72")
    assert summary.bounding_box()["height"] < 4 * PHONE["height"]
    every = summary.locator("details.tg-every")
    expect(every.locator("li.tg-card").first).to_be_hidden()
    summary.locator("h2").first.evaluate("e => e.scrollIntoView()")
    page.screenshot(path=str(SCREENSHOTS / f"check-summary-{lang}-390x844.png"))
    every.locator("summary").click()
    expect(every.locator("li.tg-card")).to_have_count(len(CHECK.criteria))
    expect(every.locator("li.tg-card").first).to_be_visible()
    screenshot(page, f"check-summary-every-answer-{lang}-390x844")


def pdf_text(download) -> str:
    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))
    assert len(reader.pages) >= 1
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("lang", locales.LANGS)
def test_save_as_pdf_downloads_the_summary_in_the_visitors_language(visit, lang):
    _ = i18n.translator(CATALOGS, lang)
    page = visit(f"/check?lang={lang}", PHONE).page
    walk(page, PROFILES["probably_not"])
    with page.expect_download() as downloaded:
        page.locator(".st-key-pdf button").click()
    expect(page.locator(".tg-save-status[role=status]")).to_have_text(_("Your summary is downloading. Look for it in your downloads."))
    assert re.fullmatch(r"self-check-\d{4}-\d{2}-\d{2}\.pdf", downloaded.value.suggested_filename)
    text = pdf_text(downloaded.value)
    squeezed = re.sub(r"\s+", "", text)  # the PDF wraps lines where the screen does not
    for words in (_("Summary to take to your doctor"), _(summary.OUTCOME_TEXT[Outcome.PROBABLY_NOT]), "NCT03890068", "160 U/L"):
        assert re.sub(r"\s+", "", words) in squeezed, words
    if lang != "en":
        assert "Summary to take to your doctor" not in text
    # Another visitor's PDF holds their answers alone.
    other = visit(f"/check?lang={lang}", PHONE).page
    walk(other, FINE_MAN)
    with other.expect_download() as theirs:
        other.locator(".st-key-pdf button").click()
    their_text = re.sub(r"\s+", "", pdf_text(theirs.value))
    assert "160U/L" not in their_text and re.sub(r"\s+", "", _(summary.OUTCOME_TEXT[Outcome.PROBABLY_NOT])) not in their_text


def test_print_says_so_where_the_browser_cannot_print(visit):
    """WeChat's browser has no print window: the tap must not go unanswered."""
    page = visit("/check?lang=zh", PHONE).page
    walk(page, FINE_MAN)
    page.evaluate("window.print = function () {}")  # what such a browser does
    page.locator("#tg-print").click()
    zh = i18n.translator(CATALOGS, "zh")
    status = page.locator(".tg-save-status[role=status]")
    expect(status).to_have_text(zh("This browser did not open a print window. Use “Save as PDF” instead, or open this page in another browser."))


def test_two_visitors_never_see_each_others_answers(visit):
    first = visit("/check?lang=en", PHONE).page
    press(first, "start", False)
    first.locator(".st-key-w_age_value input").fill("45")
    first.locator(".st-key-w_age_value input").press("Enter")
    first.locator(".st-key-w_sex [data-testid=stRadioOption]").nth(0).click()
    settle(first)
    second = visit("/check?lang=en", PHONE).page
    press(second, "start", False)
    expect(second.locator(".st-key-w_age_value input")).to_have_value("")
    expect(second.locator(".st-key-w_sex input:checked")).to_have_count(0)
    expect(first.locator(".st-key-w_age_value input")).to_have_value("45")


def test_bad_input_is_explained_next_to_the_field(visit):
    page = visit("/check?lang=en", PHONE).page
    press(page, "start", False)
    field = page.locator(".st-key-w_age_value input")
    field.fill("300")
    field.press("Enter")
    settle(page)
    press(page, "continue", False)
    box = page.locator(".st-key-q_age")
    expect(box).to_contain_text("This number is not possible here. Please check it.")
    expect(page.locator(".st-key-q_sex")).to_contain_text("Please answer this question.")
    expect(field).to_have_value("300")


def widget_values(page: Page) -> list:
    return page.evaluate(
        """() => [...document.querySelectorAll('[class*="st-key-w_"] input')].map(i => i.type === 'radio' ? i.checked : i.value)"""
    )


@pytest.mark.parametrize("lang", locales.LANGS)
def test_clearing_takes_a_second_deliberate_tap(visit, lang):
    page = visit(f"/check?lang={lang}", PHONE).page
    press(page, "start", False)
    answer_screen(page, None, any_answer)
    first_screen = widget_values(page)
    press(page, "continue", False)
    answer_screen(page, None, any_answer)
    second_screen = widget_values(page)
    # Set apart: below a divider, well under Continue.
    continue_box, clear_box = page.locator(".st-key-continue button").bounding_box(), page.locator(".st-key-clear button").bounding_box()
    assert clear_box["y"] >= continue_box["y"] + continue_box["height"] + 44
    expect(page.locator(".st-key-clear_area hr")).to_have_count(1)
    press(page, "clear", False)  # a slip of the finger
    question = page.locator(".tg-clear-question")
    expect(question).to_be_visible()
    expect(question).to_be_focused()
    expect(page.locator(".st-key-clear_yes button")).to_be_visible()
    assert widget_values(page) == second_screen
    press(page, "clear_no", False)
    expect(question).to_have_count(0)
    expect(page.locator(".st-key-clear button")).to_be_focused()
    assert widget_values(page) == second_screen
    press(page, "back", False)
    expect(page.locator(".st-key-continue button")).to_be_visible()
    assert widget_values(page) == first_screen  # every answer kept
    press(page, "clear", False)
    press(page, "clear_yes", False)
    expect(page.locator(".st-key-start button")).to_be_visible()
    expect(page.locator("h1")).to_be_focused()
    press(page, "start", False)
    expect(page.locator('[class*="st-key-w_"] input:checked')).to_have_count(0)
    assert not any(v for v in widget_values(page) if isinstance(v, str))


@pytest.mark.parametrize("lang", locales.LANGS)
def test_each_step_opens_at_its_heading_and_counts_the_same(visit, lang):
    """Continue never leaves the next step scrolled to where the button was: its heading is in
    view and has the focus (so a keyboard or screen reader goes on from there), and the step
    count's total never changes."""
    page = visit(f"/check?lang={lang}", PHONE).page
    press(page, "start", False)
    counts = []
    while page.locator(".st-key-continue").count():
        expect_landed_on_the_heading(page)
        expect(page.locator(".tg-step-count")).to_be_in_viewport(ratio=1)
        counts.append(step_counts(page))
        answer_screen(page, None, any_answer)
        press(page, "continue", False)
        if len(counts) == 2:
            page.screenshot(path=str(SCREENSHOTS / f"check-step-transition-{lang}-390x844.png"))
    expect_landed_on_the_heading(page)  # check your answers
    assert {total for _, total in counts} == {len(CHECK.topics)}
    assert [n for n, _ in counts] == sorted(set(n for n, _ in counts))
    press(page, "back", False)
    expect_landed_on_the_heading(page)
    assert step_counts(page)[1] == len(CHECK.topics)
    press(page, "continue", False)
    page.locator('[class*="st-key-change_"] button').first.click()
    settle(page)
    expect_landed_on_the_heading(page)
    press(page, "continue", False)
    press(page, "see_result", False)
    expect_landed_on_the_heading(page)
    press(page, "to_review", False)
    expect_landed_on_the_heading(page)


def expect_summary_landed(page: Page) -> None:
    summary = page.locator(".tg-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert summary.bounding_box()["y"] >= 0


@pytest.mark.parametrize("lang", locales.LANGS)
def test_a_failed_continue_lands_on_the_error_summary_and_a_fixed_error_goes(visit, lang):
    page = visit(f"/check?lang={lang}", PHONE).page
    press(page, "start", False)
    press(page, "continue", False)
    expect_summary_landed(page)
    problems = page.locator(".tg-error-summary li").count()
    alerts = page.locator('[data-testid="stAlert"]').count()
    assert problems >= 2
    # Answering one question takes its error away at once, the others stay.
    first = next(k for k in visible_widget_keys(page))
    any_answer(page, first)
    expect(page.locator(".tg-error-summary li")).to_have_count(problems - 1)
    expect(page.locator(f".st-key-q_{widget_of(first)[0]} [data-testid=stAlert]")).to_have_count(0)
    expect(page.locator('[data-testid="stAlert"]')).to_have_count(alerts - 1)
    screenshot(page, f"check-error-fixed-{lang}-390x844")
    answer_screen(page, None, any_answer)
    expect(page.locator(".tg-error-summary")).to_have_count(0)
    expect(page.locator('[data-testid="stAlert"]')).to_have_count(0)
    assert not page.title().startswith(i18n.translator(CATALOGS, lang)("Error: {title}").split("{")[0])
    # Further on, from the bottom of a long screen: the summary is brought into view.
    press(page, "continue", False)
    expect_landed_on_the_heading(page)
    press(page, "continue", False)
    expect_summary_landed(page)


@pytest.mark.parametrize("lang", locales.LANGS)
def test_every_target_on_the_check_screens_is_at_least_44_px(visit, lang):
    page = visit(f"/check?lang={lang}", PHONE).page
    assert small_targets(page) == []
    press(page, "start", False)
    press(page, "continue", False)
    assert small_targets(page) == []  # the error summary's links too
    seen: list[str] = []
    walk_anyhow(page, lambda page: seen.extend(small_targets(page)))
    assert seen == []
    assert small_targets(page) == []  # check your answers: Change
    press(page, "see_result", False)
    page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
    assert small_targets(page) == []
    press(page, "clear", False)
    assert small_targets(page) == []
