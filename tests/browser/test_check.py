"""The self-check in a real Chromium at phone size, done the way a person does it.

A whole walk takes the longest; each walk is made once per module (``walked``) and the tests that
read its result look at the same page, in file order: those that only read come first, those that
tap on come after them.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import Visit, open_visit
from tests.browser.helpers import (
    CHECK, CHECK_BY_ID, PHONE, answer_screen, any_answer, axe_violations, expect_landed_on_the_heading,
    a_run, first_heading, font_files, lines_holding, live, policy_violations, press, screenshot, small_targets, step_counts, tap, visible_widget_keys, walk,
    walk_anyhow, walk_to_review,
)
from tests.profiles import FINE_MAN, PROFILES
from trialguide.check import summary
from trialguide.check.answers import widget_key, widget_of
from trialguide.check.eligibility import Outcome
from trialguide.domain import content, i18n, locales
from trialguide.pages import views

CATALOGS = i18n.default()


def outcome_text(outcome: str, lang: str) -> str:
    return i18n.translator(CATALOGS, lang)(summary.OUTCOME_TEXT[Outcome(outcome)])


@dataclass
class Walked:
    """One visitor's walk to the result, and what they saw on each screen on the way."""

    page: Page
    requests: list[str]
    landed: list[tuple[bool, bool, bool]] = field(default_factory=list)  # heading focused, heading in view, count in view
    counts: list[tuple[int, int]] = field(default_factory=list)
    small: list[str] = field(default_factory=list)  # targets under 44 px, on any screen
    keyboards: list[str] = field(default_factory=list)  # each number box's inputmode, on any screen
    walked_in: str = ""  # the language of every screen on the way
    landed_on_result: tuple[bool, bool] = (False, False)  # the result's heading focused, and in view, on arrival


# Each outcome is walked in one language; a visitor reading its result in another language taps
# the language switch on the result, which keeps their answers. (Every language is walked screen
# by screen in "anyhow", and each language's result read after a switch.)
WALKED_IN = {"probably_not": "en", "nothing_rules_out": "zh", "check_with_doctor": "zh-Hant"}


@pytest.fixture(scope="module")
def walked(browser, server):
    """walked(profile name, lang): a visitor who walked the check to its result, once per module,
    the result shown in ``lang``. "anyhow" answers every screen with whatever comes first (many
    things that do not fit), once per language."""
    made: dict[tuple[str, str], Walked] = {}
    contexts: list = []

    def make(name: str, lang: str) -> Walked:
        walked_in = WALKED_IN.get(name, lang)
        if (name, walked_in) not in made:
            made[(name, walked_in)] = walk_once(name, walked_in)
        w = made[(name, walked_in)]
        if w.page.evaluate("document.documentElement.lang") != locales.HTML_LANG[lang]:
            with a_run(w.page):
                w.page.locator(".st-key-lang_switches button", has_text=locales.ENDONYM[lang]).click()
            expect(w.page.locator("html")).to_have_attribute("lang", locales.HTML_LANG[lang])
            first_heading(w.page).evaluate("h => h.scrollIntoView()")  # the reader scrolls back down to the result
        return w

    def walk_once(name: str, lang: str) -> Walked:
        v = open_visit(browser, f"{server}/check?lang={lang}", PHONE, contexts=contexts)
        w = Walked(v.page, v.requests, walked_in=lang)
        if name == "anyhow":
            page = v.page
            press(page, "start")

            def look(page: Page) -> None:
                w.small.extend(small_targets(page))
                w.keyboards.extend(page.locator('[class*="st-key-w_"][class*="_value"] input').evaluate_all("es => es.map(e => e.inputMode)"))

            for _ in range(len(CHECK.topics) + 1):
                if not page.locator(".st-key-continue").count():
                    break
                heading = first_heading(page)
                w.landed.append((heading.evaluate("h => h === document.activeElement"),
                                 heading.evaluate("h => { const r = h.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"),
                                 page.locator(".tg-step-count").evaluate("c => { const r = c.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")))
                w.counts.append(step_counts(page))
                answer_screen(page, None, any_answer)
                look(page)
                press(page, "continue")
            look(page)  # check your answers: the Change buttons
            press(page, "see_result")
        else:
            walk(v.page, PROFILES[name])
        try:
            expect_landed_on_the_heading(v.page)
            w.landed_on_result = (True, True)
        except AssertionError:
            heading = first_heading(v.page)
            w.landed_on_result = (heading.evaluate("h => h === document.activeElement"),
                                  heading.evaluate("h => { const r = h.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"))
        return w

    yield make
    for context in contexts:
        context.close()


def reads(*walks: str):
    """The walks a test reads, other than "anyhow" (tests/conftest.py keeps tests that read the
    same walks in one process, so each is walked once)."""
    def mark(test):
        test.walks = walks
        return test
    return mark


def on_first_screen(page: Page, css: str) -> None:
    """Wholly within the phone's first screen of the result (it opens at its headline)."""
    box = page.locator(css).first.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (css, box)


# ---- The result, read (these tests only look) ----


@pytest.mark.parametrize("lang", locales.LANGS)
@pytest.mark.parametrize("outcome", list(PROFILES))
def test_taps_alone_reach_each_outcome_and_it_reads_on_one_screen(walked, server, outcome, lang):
    w = walked(outcome, lang)
    page = w.page
    expect(page.locator(".st-key-outcome h2")).to_have_text(outcome_text(outcome, lang))
    # One phone screen: the headline, the study's status (most likely closed: FACTS.md 1), the
    # call button and the first reason's head; the reason goes on below (a plain sentence, each
    # answer on its own line, the registry's words behind "For your doctor").
    assert w.landed_on_result == (True, True)  # "See result" opened it at its heading, focused
    on_first_screen(page, ".st-key-outcome h2")
    on_first_screen(page, ".st-key-outcome .st-key-status_notice")
    expect(page.locator(".st-key-outcome .st-key-status_notice")).to_contain_text(views.notice(lang).replace("**", ""))
    on_first_screen(page, ".st-key-outcome a[href='tel:+862087343383']")
    if outcome != Outcome.NOTHING_RULES_OUT.value:
        on_first_screen(page, ".st-key-outcome li.tg-card .tg-card-head")
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
    screenshot(page, f"check-result-first-screen-{outcome}-{lang}-390x844", full=False)
    expect(page.locator(".st-key-outcome")).not_to_contain_text("eligible")
    expect(page.locator(".st-key-status_notice").first).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == locales.HTML_LANG[lang]
    assert Visit(page, w.requests).foreign_hosts(server) == set()
    assert policy_violations(page) == []  # every screen of the walk ran under the policy
    assert font_files(w.requests) == set()  # no screen of the walk draws an icon: no font to fetch
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
def test_a_chinese_result_shows_no_english_registry_text_outside_the_disclosures(walked, lang):
    page = walked("anyhow", lang).page  # many answers that do not fit: many reasons to show
    expect(page.locator(".st-key-summary")).to_be_visible()
    assert english_outside_disclosures(page) == []
    page.locator(".st-key-outcome details.tg-registry summary").first.click()
    expect(page.locator(".st-key-outcome details.tg-registry [lang=en]").first).to_be_visible()
    page.locator("details.tg-every > summary").click()
    expect(page.locator("details.tg-every li.tg-card")).to_have_count(len(CHECK.criteria))
    page.locator("details.tg-every > summary").click()  # closed again, as it was


@pytest.mark.parametrize("lang", locales.LANGS)
def test_each_step_opens_at_its_heading_and_counts_the_same(walked, lang):
    """Continue never leaves the next step scrolled to where the button was: its heading is in
    view and has the focus (so a keyboard or screen reader goes on from there), and the step
    count's total never changes."""
    w = walked("anyhow", lang)
    assert w.landed and all(all(seen) for seen in w.landed), w.landed
    assert {total for _, total in w.counts} == {len(CHECK.topics)}
    assert [n for n, _ in w.counts] == sorted(set(n for n, _ in w.counts))


@pytest.mark.parametrize("lang", locales.LANGS)
def test_every_target_on_the_check_screens_is_at_least_44_px(walked, lang):
    w = walked("anyhow", lang)
    assert w.small == []
    page = w.page
    page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
    assert small_targets(page) == []  # the result, every disclosure open
    page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = false)")


@pytest.mark.parametrize("lang", ["en"])
def test_number_boxes_open_a_number_keyboard(walked, lang):
    """Age, platelets, creatinine...: a phone shows digits and a decimal point, not letters."""
    keyboards = walked("anyhow", lang).keyboards
    assert keyboards and set(keyboards) == {"decimal"}, keyboards


@reads("probably_not")
def test_the_summary_prints_with_the_answers(walked):
    page = walked("probably_not", "zh").page
    summary_box = page.locator(".st-key-summary")
    page.emulate_media(media="print")
    try:
        expect(summary_box).to_be_visible()
        expect(summary_box).to_contain_text("NCT03890068")
        expect(summary_box).to_contain_text("72")
        expect(summary_box).to_contain_text("160 U/L")
        # Away from the pages, the paper says the study has most likely stopped, and whom to call.
        for line in views.summary_status("zh"):
            expect(summary_box).to_contain_text(line)
        expect(summary_box).to_contain_text("+86 20 8734 3383")
        # On paper every answer is there, with the registry's own words beside it.
        expect(summary_box.locator("details.tg-every [lang=en]", has_text="18-70 years")).to_be_visible()
        expect(summary_box.locator("details.tg-every > summary")).to_be_hidden()
        expect(page.locator(".st-key-outcome")).to_be_hidden()  # the summary alone is printed
        expect(page.locator(".st-key-share")).to_be_hidden()
        expect(page.locator(".st-key-to_review button")).to_be_hidden()
        expect(page.locator("#tg-print")).to_be_hidden()
        expect(page.locator(".st-key-pdf button")).to_be_hidden()
        screenshot(page, "check-summary-print-zh-390x844")
    finally:
        page.emulate_media(media="screen")


@reads("probably_not")
@pytest.mark.parametrize("lang", locales.LANGS)
def test_the_summary_for_the_doctor_is_short_with_every_answer_a_tap_away(walked, lang):
    page = walked("probably_not", lang).page
    summary_box = page.locator(".st-key-summary")
    expect(summary_box.locator("table")).to_have_count(0)  # cards, not a table, on a phone
    expect(summary_box.locator("dl.tg-answers dd").first).to_be_visible()  # what a doctor checks first
    expect(summary_box).to_contain_text("72")
    assert summary_box.bounding_box()["height"] < 4 * PHONE["height"]
    for number in views.phone_numbers():  # read or dialled from paper: never split ("+86" / "20 8734 3383")
        assert lines_holding(summary_box, number) == 1, number
    every = summary_box.locator("details.tg-every")
    expect(every.locator("li.tg-card").first).to_be_hidden()
    summary_box.locator("h2").first.evaluate("e => e.scrollIntoView()")
    screenshot(page, f"check-summary-{lang}-390x844", full=False)
    every.locator("summary").click()
    expect(every.locator("li.tg-card")).to_have_count(len(CHECK.criteria))
    expect(every.locator("li.tg-card").first).to_be_visible()
    screenshot(page, f"check-summary-every-answer-{lang}-390x844")
    every.locator("summary").click()


def pdf_text(download) -> str:
    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))
    assert len(reader.pages) >= 1
    return "\n".join(page.extract_text() for page in reader.pages)


@reads("probably_not", "nothing_rules_out")
@pytest.mark.parametrize("lang", locales.LANGS)
def test_save_as_pdf_downloads_the_summary_in_the_visitors_language(walked, lang):
    _ = i18n.translator(CATALOGS, lang)
    page = walked("probably_not", lang).page
    with page.expect_download() as downloaded:
        page.locator(".st-key-pdf button").click()
    expect(page.locator(".tg-save-status[role=status]")).to_have_text(_("Your summary is downloading. Look for it in your downloads."))
    assert re.fullmatch(r"self-check-\d{4}-\d{2}-\d{2}\.pdf", downloaded.value.suggested_filename)
    text = pdf_text(downloaded.value)
    squeezed = re.sub(r"\s+", "", text)  # the PDF wraps lines where the screen does not
    for words in (_("Summary to take to your doctor"), outcome_text("probably_not", lang), "NCT03890068", "160 U/L",
                  *views.summary_status(lang), "+86 20 8734 3383"):  # the study's status and whom to call, on paper too
        assert re.sub(r"\s+", "", words) in squeezed, words
    if lang != "en":
        assert "Summary to take to your doctor" not in text
    # Another visitor's PDF holds their answers alone.
    other = walked("nothing_rules_out", lang).page
    with other.expect_download() as theirs:
        other.locator(".st-key-pdf button").click()
    their_text = re.sub(r"\s+", "", pdf_text(theirs.value))
    assert "160U/L" not in their_text and re.sub(r"\s+", "", outcome_text("probably_not", lang)) not in their_text


# ---- From here on, the tests tap on ----


@reads("nothing_rules_out")
def test_print_says_so_where_the_browser_cannot_print(walked):
    """WeChat's browser has no print window: the tap must not go unanswered."""
    page = walked("nothing_rules_out", "zh").page
    page.evaluate("window.print = function () {}")  # what such a browser does
    page.locator("#tg-print").click()
    zh = i18n.translator(CATALOGS, "zh")
    status = page.locator(".tg-save-status[role=status]")
    expect(status).to_have_text(zh("This browser did not open a print window. Use “Save as PDF” instead, or open this page in another browser."))
    assert policy_violations(page) == []  # the print button's script is allowed


@pytest.mark.parametrize("lang", locales.LANGS)
def test_back_change_and_the_result_each_open_at_their_heading(walked, lang):
    page = walked("anyhow", lang).page
    press(page, "to_review")
    expect_landed_on_the_heading(page)
    press(page, "back")
    expect_landed_on_the_heading(page)
    assert step_counts(page)[1] == len(CHECK.topics)
    press(page, "continue")
    with a_run(page):
        page.locator('[class*="st-key-change_"] button').first.click()
    expect_landed_on_the_heading(page)
    press(page, "continue")
    press(page, "see_result")
    expect_landed_on_the_heading(page)


def test_keyboard_alone_completes_the_check(visit):
    page = visit("/check?lang=en", PHONE).page
    walk(page, FINE_MAN, keyboard=True)
    expect(page.locator(".st-key-outcome h2")).to_have_text(outcome_text("nothing_rules_out", "en"))
    expect(page.locator(".st-key-outcome h2")).to_be_focused()  # where the keyboard goes on from


def test_start_question_and_review_screens_pass_axe(visit):
    page = visit("/check?lang=zh", PHONE).page
    assert axe_violations(page) == ""
    screenshot(page, "check-start-zh-390x844")
    press(page, "start")
    press(page, "continue")  # nothing answered: the errors must be accessible too
    expect(page.locator('[data-testid="stAlert"]').first).to_be_visible()
    assert axe_violations(page) == ""
    screenshot(page, "check-errors-zh-390x844")
    page.goto(page.url)  # a new session starts empty
    live(page)
    walk_to_review(page, FINE_MAN)
    assert axe_violations(page) == ""
    screenshot(page, "check-review-zh-390x844")
    # Change, from the review: the answers are there to change, and Continue returns to the review.
    about_you = page.locator(".st-key-r_about-you")
    expect(about_you).to_contain_text(CHECK.options["ecog1"]["zh"]["label"])
    press(page, "change_about-you")
    expect(page.locator(".st-key-w_ecog input[value='1']")).to_be_checked()
    expect(page.locator(".st-key-w_age_value input")).to_have_value("45")
    tap(page, widget_key("ecog"), {**FINE_MAN, "ecog": "ecog2"})
    press(page, "continue")
    expect(page.locator(".st-key-see_result button")).to_be_visible()  # straight back to the review
    expect(about_you).to_contain_text(CHECK.options["ecog2"]["zh"]["label"])
    expect(about_you).to_contain_text("45")


@pytest.mark.parametrize("lang", locales.LANGS)
def test_a_question_an_answer_brings_is_said_to_a_screen_reader(visit, lang):
    """A sighted reader sees a follow-up question appear below their answer; a screen reader
    says it (politely: the reader's place stays), in the page's language, and nothing else."""
    _ = i18n.translator(CATALOGS, lang)
    page = visit(f"/check?lang={lang}", PHONE).page
    said = page.locator(".tg-said[role=status][aria-live=polite]")
    press(page, "start")
    answer_screen(page, FINE_MAN)
    press(page, "continue")  # the sarcoma's step
    expect(said).to_have_text("")  # a new screen is not a new question
    label = lambda qid: CHECK.questions[qid].text[lang]["label"]
    tap(page, widget_key("brain_mets"), {"brain_mets": "yes"})
    expect(said).to_have_text(_("A new question appeared below: {question}").format(question=label("brain_controlled")))
    tap(page, widget_key("brain_controlled"), {"brain_controlled": "yes"})
    expect(said).to_have_text(_("A new question appeared below: {question}").format(question=label("brain_controlled_2m")))
    tap(page, widget_key("brain_mets"), {"brain_mets": "no"})  # they go again: nothing new to say
    expect(page.locator(f".st-key-{widget_key('brain_controlled')}")).to_have_count(0)
    expect(said).to_have_text(_("A new question appeared below: {question}").format(question=label("brain_controlled_2m")))
    box = said.bounding_box()  # for a screen reader; the eye sees the question itself
    assert box["width"] <= 1 and box["height"] <= 1
    assert axe_violations(page) == ""


def test_errors_are_summarised_at_the_top_with_links_to_each_field(visit):
    """GOV.UK error summary: announced at once, each problem a link to its field, title first."""
    page = visit("/check?lang=en", PHONE).page
    press(page, "start")
    tap(page, widget_key("age", "value"), {"age": ("value", "300")})
    press(page, "continue")
    summary_box = page.locator(".tg-error-summary[role=alert]")
    expect(summary_box).to_be_visible()
    expect(summary_box).to_be_focused()
    expect(summary_box.locator("h2")).to_have_text("There is a problem")
    expect(summary_box.locator("li")).to_have_count(4)  # age out of range; sex, ECOG and survival not answered
    expect(summary_box).to_contain_text("How old are you? This number is not possible here. Please check it.")
    assert page.title().startswith("Error: ")
    assert summary_box.bounding_box()["y"] < PHONE["height"]
    summary_box.locator("li a").nth(2).click()  # the third problem: the ECOG question, further down
    expect(page.locator(f".st-key-{widget_key('ecog')}")).to_be_in_viewport()
    expect(page.locator(f".st-key-{widget_key('ecog')} input").first).to_be_focused()
    assert "#" not in page.url  # a shared link never keeps it
    # The problem is named beside its field, and what was typed stays there to correct.
    expect(page.locator(".st-key-q_age")).to_contain_text("This number is not possible here. Please check it.")
    expect(page.locator(".st-key-q_sex")).to_contain_text("Please answer this question.")
    expect(page.locator(".st-key-w_age_value input")).to_have_value("300")
    # Once the answers are right, the summary and the "Error:" title go.
    answer_screen(page, FINE_MAN, tap)
    press(page, "continue")
    expect(page.locator(".tg-error-summary")).to_have_count(0)
    assert not page.title().startswith("Error")
    # Back keeps what was answered.
    press(page, "back")
    expect(page.locator(".st-key-w_age_value input")).to_have_value("45")
    expect(page.locator(".st-key-w_sex input[value='1']")).to_be_checked()


def test_two_visitors_never_see_each_others_answers(visit):
    first = visit("/check?lang=en", PHONE).page
    press(first, "start")
    tap(first, widget_key("age", "value"), FINE_MAN)
    tap(first, widget_key("sex"), {"sex": "female"})
    second = visit("/check?lang=en", PHONE).page
    press(second, "start")
    expect(second.locator(".st-key-w_age_value input")).to_have_value("")
    expect(second.locator(".st-key-w_sex input:checked")).to_have_count(0)
    expect(first.locator(".st-key-w_age_value input")).to_have_value("45")


def widget_values(page: Page) -> list:
    return page.evaluate(
        """() => [...document.querySelectorAll('[class*="st-key-w_"] input')].map(i => i.type === 'radio' ? i.checked : i.value)"""
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_number_typed_then_continue_tapped_at_once_moves_on_and_is_kept(visit, lang):
    """On a phone nobody presses Enter: they type, then tap Continue while the keyboard is up.
    The box sends its number as it loses focus, in the same message as the tap: the tap must
    still move on, with the number kept (a Continue that seems dead loses an older reader)."""
    page = visit(f"/check?lang={lang}", PHONE).page
    press(page, "start")
    keys = visible_widget_keys(page)
    typed = next(k for k in keys if widget_of(k)[1] == "value")
    answer_screen(page, FINE_MAN, answered=(typed,))
    page.locator(f".st-key-{typed} input").fill("55")  # no Enter, no Tab
    press(page, "continue")
    assert step_counts(page)[0] == 2
    expect(page.locator(".tg-error-summary")).to_have_count(0)
    press(page, "back")
    expect(page.locator(f".st-key-{typed} input")).to_have_value("55")
    # The same tap on a choice that brings a follow-up question: the question comes.
    press(page, "continue")
    answer_screen(page, FINE_MAN)
    press(page, "continue")
    cycles, brings = widget_key("anthracycline_cycles", "value"), widget_key("response")
    follow_up = widget_key("grown_since")
    assert follow_up not in visible_widget_keys(page)
    tap(page, widget_key("anthracycline_cycles", "mode"), FINE_MAN)  # "I have the number"
    page.locator(f".st-key-{cycles} input").fill("6")  # no Enter, no Tab
    tap(page, brings, FINE_MAN)
    expect(page.locator(f".st-key-{follow_up}")).to_be_visible()
    expect(page.locator(f".st-key-{cycles} input")).to_have_value("6")


@pytest.mark.parametrize("lang, other", [("en", "zh"), ("zh", "en")])
def test_a_language_tapped_as_a_number_is_typed_switches_the_whole_page(visit, lang, other):
    page = visit(f"/check?lang={lang}", PHONE).page
    press(page, "start")
    typed = next(k for k in visible_widget_keys(page) if widget_of(k)[1] == "value")
    page.locator(f".st-key-{typed} input").fill("55")  # no Enter, no Tab
    page.locator(".st-key-lang_switches button", has_text=locales.ENDONYM[other]).click()
    expect(page.locator("html")).to_have_attribute("lang", locales.HTML_LANG[other])
    title = views.view("check", other, False).title
    expect(page.locator('[data-testid="stMain"] h1')).to_have_text(title)
    expect(page.locator(".tg-step-count")).to_have_text(i18n.translator(CATALOGS, other)("Step {n} of {total}").format(n=1, total=len(CHECK.topics)))
    expect(page.locator(f".st-key-{typed} input")).to_have_value("55")


@pytest.mark.parametrize("lang", locales.LANGS)
def test_clearing_takes_a_second_deliberate_tap(visit, lang):
    page = visit(f"/check?lang={lang}", PHONE).page
    press(page, "start")
    answer_screen(page, None, any_answer)
    first_screen = widget_values(page)
    press(page, "continue")
    answer_screen(page, None, any_answer)
    second_screen = widget_values(page)
    # Set apart: below a divider, well under Continue.
    continue_box, clear_box = page.locator(".st-key-continue button").bounding_box(), page.locator(".st-key-clear button").bounding_box()
    assert clear_box["y"] >= continue_box["y"] + continue_box["height"] + 44
    expect(page.locator(".st-key-clear_area hr")).to_have_count(1)
    press(page, "clear")  # a slip of the finger
    question = page.locator(".tg-clear-question")
    expect(question).to_be_visible()
    expect(question).to_be_focused()
    expect(page.locator(".st-key-clear_yes button")).to_be_visible()
    assert widget_values(page) == second_screen
    press(page, "clear_no")
    expect(question).to_have_count(0)
    expect(page.locator(".st-key-clear button")).to_be_focused()
    assert widget_values(page) == second_screen
    press(page, "back")
    expect(page.locator(".st-key-continue button")).to_be_visible()
    assert widget_values(page) == first_screen  # every answer kept
    press(page, "clear")
    press(page, "clear_yes")
    expect(page.locator(".st-key-start button")).to_be_visible()
    expect(page.locator("h1")).to_be_focused()
    expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_have_text(
        i18n.translator(CATALOGS, lang)("Your answers were cleared. You can start again."))
    press(page, "start")
    expect(page.locator('[class*="st-key-w_"] input:checked')).to_have_count(0)
    assert not any(v for v in widget_values(page) if isinstance(v, str))


def expect_summary_landed(page: Page) -> None:
    summary_box = page.locator(".tg-error-summary")
    expect(summary_box).to_be_focused()
    expect(summary_box).to_be_in_viewport()
    assert summary_box.bounding_box()["y"] >= 0


@pytest.mark.parametrize("lang", locales.LANGS)
def test_a_failed_continue_lands_on_the_error_summary_and_a_fixed_error_goes(visit, lang):
    page = visit(f"/check?lang={lang}", PHONE).page
    assert small_targets(page) == []  # the start screen
    press(page, "start")
    press(page, "continue")
    expect_summary_landed(page)
    assert small_targets(page) == []  # the error summary's links too
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
    answer_screen(page, None, any_answer, answered=(first,))
    expect(page.locator(".tg-error-summary")).to_have_count(0)
    expect(page.locator('[data-testid="stAlert"]')).to_have_count(0)
    assert not page.title().startswith(i18n.translator(CATALOGS, lang)("Error: {title}").split("{")[0])
    # Further on, from the bottom of a long screen: the summary is brought into view.
    press(page, "continue")
    expect_landed_on_the_heading(page)
    press(page, "continue")
    expect_summary_landed(page)
