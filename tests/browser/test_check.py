"""The self-check in a real Chromium at phone size, done the way a person does it."""
from __future__ import annotations


import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_pages import axe_violations
from tests.check_profiles import FINE_MAN, PROFILES
from trialguide.answers import widget_key, widget_of
from trialguide.eligibility import default

CHECK = default()
OUTCOME_TEXT = {
    ("nothing_rules_out", "en"): "Nothing in your answers to these questions rules you out",
    ("check_with_doctor", "en"): "Some things need checking with your doctor",
    ("probably_not", "en"): "Something you told us means this study is probably not for you",
    ("nothing_rules_out", "zh"): "就您对这些问题的回答来看，没有哪一条不符合",
    ("check_with_doctor", "zh"): "\u6709\u4e9b\u4e8b\u9700\u8981\u548c\u60a8\u7684\u533b\u751f\u786e\u8ba4",
    ("probably_not", "zh"): "\u6839\u636e\u60a8\u544a\u8bc9\u6211\u4eec\u7684\u5185\u5bb9\uff0c\u8fd9\u9879\u7814\u7a76\u5f88\u53ef\u80fd\u4e0d\u9002\u5408\u60a8",
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


def press(page: Page, key: str, keyboard: bool) -> None:
    if keyboard:
        tab_to(page, f".st-key-{key} button")
        page.keyboard.press("Enter")
    else:
        page.locator(f".st-key-{key} button").click()
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


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("outcome", list(PROFILES))
def test_taps_alone_reach_each_outcome(visit, server, outcome, lang):
    v = visit(f"/check?lang={lang}", PHONE)
    page = v.page
    walk(page, PROFILES[outcome])
    expect(page.locator(".st-key-outcome h2")).to_have_text(OUTCOME_TEXT[(outcome, lang)])
    expect(page.locator(".st-key-outcome")).not_to_contain_text("eligible")
    expect(page.locator(".st-key-outcome a[href='tel:+862087343383']")).to_be_visible()
    expect(page.locator(".st-key-status_notice").first).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == ("en" if lang == "en" else "zh-Hans")
    assert v.foreign_hosts(server) == set()
    address = page.url.split("/", 3)[3]  # path and query: answers never reach the address
    assert address == f"check?lang={lang}"
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert axe_violations(page) == ""
    screenshot(page, f"check-result-{outcome}-{lang}-390x844")


def test_keyboard_alone_completes_the_check(visit):
    page = visit("/check?lang=en", PHONE).page
    walk(page, FINE_MAN, keyboard=True)
    expect(page.locator(".st-key-outcome h2")).to_have_text(OUTCOME_TEXT[("nothing_rules_out", "en")])


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
    expect(summary.locator("h2")).to_have_text("There is a problem")
    expect(summary.locator("li")).to_have_count(4)  # age out of range; sex, ECOG and survival not answered
    expect(summary).to_contain_text("How old are you? This number is not possible here. Please check it.")
    assert page.title().startswith("Error: ")
    assert summary.bounding_box()["y"] < PHONE["height"]
    summary.locator("a").nth(2).click()  # the third problem: the ECOG question, further down
    expect(page.locator(f".st-key-{widget_key('ecog')}")).to_be_in_viewport()
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
    expect(summary).to_contain_text("18-70 years")  # the registry's own words beside the answer
    expect(page.locator(".st-key-to_review button")).to_be_hidden()
    expect(page.locator("#tg-print")).to_be_hidden()
    screenshot(page, "check-summary-print-zh-390x844")


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


def test_clear_my_answers_starts_again(visit):
    page = visit("/check?lang=en", PHONE).page
    press(page, "start", False)
    page.locator(".st-key-w_sex [data-testid=stRadioOption]").nth(1).click()
    settle(page)
    press(page, "clear", False)
    expect(page.locator(".st-key-start button")).to_be_visible()
    press(page, "start", False)
    expect(page.locator(".st-key-w_sex input:checked")).to_have_count(0)
