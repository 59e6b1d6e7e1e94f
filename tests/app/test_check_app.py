"""The self-check flow without a browser (AppTest): each outcome in each language."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import compat
from trialguide.check.answers import widget_key, widget_of

from tests.profiles import FINE_MAN, HEPATITIS_B, PROFILES, UNSURE_WOMAN
from trialguide.domain import i18n
from trialguide.pages import registry as site
from trialguide.check.eligibility import default

ROOT = Path(__file__).resolve().parents[2]
CHECK = default()
CHECK_BY_ID = {c.id: c for c in CHECK.criteria}
ZH = i18n.translator(i18n.load(ROOT / "locales"), "zh")
HEADINGS = {
    "nothing_rules_out": "Nothing in your answers to these questions rules you out",
    "check_with_doctor": "Some things need checking with your doctor",
    "probably_not": "Something you told us means this study is probably not for you",
}


def open_check(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "components" / "main.py"), default_timeout=30)
    at.query_params["lang"] = lang
    at.run()
    compat.open_page(at, "check")
    at.run()
    return at


def keys(at) -> set[str]:
    return {w.key for w in list(at.radio) + list(at.text_input)}


def fill_screen(at, profile: dict) -> None:
    """Answer what the screen shows, rerunning as follow-up questions appear."""
    done: set[str] = set()
    while True:
        todo = [k for k in keys(at) if k not in done and widget_of(k)]
        if not todo:
            return
        for key in todo:
            done.add(key)
            qid, field = widget_of(key)
            answer = profile[qid]
            if field == "mode":
                at.radio(key=key).set_value(answer if isinstance(answer, str) else answer[0])
            elif field == "value":
                at.text_input(key=key).input(answer[1])
            elif field == "uln":
                at.text_input(key=key).input(answer[2])
            elif CHECK.questions[qid].type == "number":
                at.text_input(key=key).input(answer[1])
            else:
                at.radio(key=key).set_value(answer)
        at.run()


def walk_to_review(at, profile: dict) -> AppTest:
    at.button(key="start").click().run()
    for _ in range(12):
        if not any(b.key == "continue" for b in at.button):
            break
        fill_screen(at, profile)
        at.button(key="continue").click().run()
        assert not at.exception, at.exception
    assert "see_result" in [b.key for b in at.button]
    return at


def walk(at, profile: dict) -> AppTest:
    walk_to_review(at, profile).button(key="see_result").click().run()
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("outcome", list(PROFILES))
def test_each_outcome_in_each_language(outcome, lang):
    at = walk(open_check(lang), PROFILES[outcome])
    expected = HEADINGS[outcome] if lang == "en" else ZH(HEADINGS[outcome])
    assert expected in [h.value for h in at.header]
    assert not any("eligible" in m.lower() for m in written(at))
    assert any("most likely stopped" in m or "\u5f88\u53ef\u80fd\u5df2\u7ecf\u4e0d\u518d\u62db\u52df" in m for m in written(at))


def test_the_ruled_out_result_names_what_does_not_fit():
    at = walk(open_check("en"), PROFILES["probably_not"])
    text = " ".join(written(at))
    assert "Study rule: Age 18 to 70." in text
    assert "ALT and AST are at most 2.5 times" in text
    every = next(m for m in written(at) if "tg-every" in m)
    consent_card = every[:every.index("Signed and dated")].rsplit('<li class="tg-card">', 1)[1]
    assert "The study doctor checks this" in consent_card  # it applies; only the doctor can judge it
    assert "72 years" in every
    facts = next(m for m in written(at) if "tg-answers" in m)
    assert "72 years" in facts  # among what a doctor checks first


def in_order(node) -> list[str]:
    """What the screen says, top to bottom (the element tree in document order)."""
    children = getattr(node, "children", None)
    if children:
        return [text for key in sorted(children) for text in in_order(children[key])]
    value = getattr(node, "value", None)
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_reason_reads_as_the_study_rule_under_the_call_button(lang):
    """Readers flagged "You have never taken anlotinib." in bold above their own "Yes", even
    quoted after "The study only takes people for whom this is true:": it read as a statement
    about them. The card says the study's rule, in words that are not about the reader; and the call button sits
    under the status as on any result with a list, not after a short one (half off a phone)."""
    _ = (lambda s: s) if lang == "en" else ZH
    at = walk(open_check(lang), {**FINE_MAN, "age": ("value", "65"), "prior_anlotinib": "yes"})
    shown = in_order(at.main)
    call = next(i for i, t in enumerate(shown) if 'href="tel:+862087343383"' in t)
    cards = [i for i, t in enumerate(shown) if 'class="tg-cards"' in t]
    assert call < cards[0]
    rule = _("Study rule: {plain}").format(plain=CHECK_BY_ID["no-prior-anlotinib"].text[lang]["plain"])
    assert rule == {"en": "Study rule: People who have taken anlotinib before cannot join.", "zh": "研究的要求：以前用过安罗替尼的人不能参加。"}[lang]
    assert f"<strong>{rule}</strong>" in shown[cards[0]]
    assert shown[cards[0]].count('<li class="tg-card">') == 1


def test_hbv_dna_is_asked_only_after_a_positive_hbsag():
    at = walk(open_check("en"), HEPATITIS_B)
    assert "Something you told us means this study is probably not for you" in [h.value for h in at.header]
    assert at.session_state["check"].answers["hbv_dna"].value == 800
    at = walk(open_check("en"), PROFILES["nothing_rules_out"])
    assert "hbv_dna" not in at.session_state["check"].answers


def test_pregnancy_questions_are_not_asked_of_a_man():
    at = walk(open_check("en"), PROFILES["nothing_rules_out"])
    assert at.session_state["check"].answers.get("could_become_pregnant") is None


def test_bad_input_is_named_next_to_the_field_and_nothing_is_lost():
    at = open_check("en")
    at.button(key="start").click().run()
    at.text_input(key=widget_key("age", "value")).input("300")
    at.radio(key=widget_key("sex")).set_value("female")
    at.button(key="continue").click().run()
    errors = [e.value for e in at.error]
    assert "This number is not possible here. Please check it." in errors
    assert errors.count("Please answer this question.") == 2  # ECOG and survival
    assert at.radio(key=widget_key("sex")).value == "female" and at.text_input(key=widget_key("age", "value")).value == "300"
    at.text_input(key=widget_key("age", "value")).input("forty").run()
    at.button(key="continue").click().run()
    errors = [e.value for e in at.error]
    assert "Please type a number, for example 65." in errors  # an age: no "1.5" as the example
    assert not any("1.5" in e for e in errors)


def test_clear_my_answers_asks_first_and_forgets_everything_only_when_told():
    at = walk(open_check("en"), PROFILES["probably_not"])
    answers = dict(at.session_state["check"].answers)
    at.button(key="clear").click().run()
    assert "Clear all your answers? This cannot be undone." in " ".join(written(at))
    assert at.session_state["check"].answers == answers
    at.button(key="clear_no").click().run()
    assert at.session_state["check"].answers == answers
    assert "clear_yes" not in [b.key for b in at.button]
    at.button(key="clear").click().run()
    at.button(key="clear_yes").click().run()
    assert at.session_state["check"].answers == {}
    assert "start" in [b.key for b in at.button]
    assert [s.value for s in at.success] == ["Your answers were cleared. You can start again."]
    at.button(key="start").click().run()
    assert not at.success


def written(at) -> list[str]:
    """What the screen says in words: its Markdown and the app's own HTML (chrome.prose), not
    its style sheet or script."""
    return [m.value for m in at.markdown] + [h.value for h in at.html if h.value.startswith('<div class="tg-prose">')]


def step_count(at) -> str:
    return next(m for m in written(at) if "tg-step-count" in m)


def test_the_step_count_never_changes_its_total():
    """A woman's pregnancy topic is counted before she has said she is a woman."""
    at = open_check("en")
    at.button(key="start").click().run()
    assert f"Step 1 of {len(CHECK.topics)}" in step_count(at)
    fill_screen(at, UNSURE_WOMAN)
    at.button(key="continue").click().run()
    assert f"Step 2 of {len(CHECK.topics)}" in step_count(at)


def test_an_error_goes_as_soon_as_its_question_is_answered():
    at = open_check("en")
    at.button(key="start").click().run()
    at.button(key="continue").click().run()
    before = [e.value for e in at.error]
    assert at.session_state["check"].errors
    at.radio(key=widget_key("sex")).set_value("female").run()
    after = [e.value for e in at.error]
    assert len(after) == len(before) - 1  # without another Continue
    fill_screen(at, UNSURE_WOMAN)
    assert [e.value for e in at.error] == []


def test_changing_sex_from_the_review_asks_the_new_questions_then_returns():
    """GOV.UK check-answers: a change that opens questions asks them before the review."""
    at = walk_to_review(open_check("en"), FINE_MAN)
    assert "Check your answers" in [h.value for h in at.header]
    at.button(key="change_about-you").click().run()
    at.radio(key=widget_key("sex")).set_value("female").run()
    at.button(key="continue").click().run()
    assert "Pregnancy and birth control" in [h.value for h in at.header], [h.value for h in at.header]
    fill_screen(at, UNSURE_WOMAN)
    at.button(key="continue").click().run()
    assert "Check your answers" in [h.value for h in at.header]
    see_result = next(b for b in at.button if b.key == "see_result")
    assert not see_result.disabled


def _markdown_with_html(at) -> list[str]:
    return [m.value[:60] for m in at.markdown if m.proto.allow_html]


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_no_screen_sends_its_html_through_markdown(lang):
    """Markdown that holds HTML makes every phone fetch and run Streamlit's HTML parser for
    Markdown (rehype-raw, 48 KB) for HTML the server has already written: every page and every
    screen of the check draws its own HTML with st.html (chrome.prose) instead."""
    at = AppTest.from_file(str(ROOT / "components" / "main.py"), default_timeout=30)
    at.query_params["lang"] = lang
    at.run()
    for spec in site.pages():
        compat.open_page(at, spec.path)
        at.run()
        assert at.title[0].value == spec.title[lang]
        assert _markdown_with_html(at) == [], spec.id
    at = open_check(lang)
    at.button(key="start").click().run()
    at.button(key="continue").click().run()  # nothing answered: the error summary
    assert "tg-error-summary" in " ".join(written(at))
    assert _markdown_with_html(at) == []
    at = walk_to_review(open_check(lang), PROFILES["check_with_doctor"])
    at.button(key="clear").click().run()  # "Clear all your answers?"
    assert _markdown_with_html(at) == []
    at.button(key="clear_no").click().run()
    at.button(key="see_result").click().run()
    assert _markdown_with_html(at) == []
