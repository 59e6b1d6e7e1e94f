"""The self-check's screen order: Continue, Back, and changes made from the review (GOV.UK
check-answers: new questions first, then back to the review)."""
from __future__ import annotations

import pytest

from tests.unit.test_eligibility import CHECK, FINE, WOMAN
from trialguide.check import flow
def without(answers: dict, *ids: str) -> dict:
    return {k: v for k, v in answers.items() if k not in ids}


@pytest.mark.parametrize(
    "topic, expected",
    [("about-you", "sarcoma"), ("sarcoma", "treatment"), ("health", "pregnancy"), ("pregnancy", flow.REVIEW)],
)
def test_continue_goes_to_the_next_topic_then_the_review(topic, expected):
    assert flow.after_continue(CHECK, FINE, topic, changing=False) == expected


@pytest.mark.parametrize(
    "change, answers, topic, expected",
    [
        # opens questions on another screen: ask them first
        ("sex: man to woman", without({**FINE, "sex": "female"}, "contraception_men"), "about-you", "pregnancy"),
        ("sex: woman to man", {**without(WOMAN, "contraception_men"), "sex": "male"}, "about-you", "pregnancy"),
        ("HBsAg: no to yes", {**FINE, "hbsag": "yes"}, "health", "health"),
        ("brain spread: no to yes", {**FINE, "brain_mets": "yes"}, "sarcoma", "sarcoma"),
        ("could become pregnant: no to yes", without({**WOMAN, "could_become_pregnant": "yes"}, "pregnant", "contraception_women"),
         "pregnancy", "pregnancy"),
        # opens nothing new, or closes questions: straight back to the review
        ("liver spread: no to yes", {**FINE, "liver_mets": "yes"}, "sarcoma", flow.REVIEW),
        ("could become pregnant: yes to no", {**WOMAN, "could_become_pregnant": "no"}, "pregnancy", flow.REVIEW),
        ("HBsAg: yes to no", {**FINE, "hbsag": "no", "hbv_dna": None}, "health", flow.REVIEW),
        ("brain spread: yes to no", {**FINE, "brain_mets": "no", "brain_controlled": "no"}, "sarcoma", flow.REVIEW),
        ("age", {**FINE, "age": FINE["age"]}, "about-you", flow.REVIEW),
    ],
    ids=lambda v: v if isinstance(v, str) and ":" in v else None,
)
def test_a_change_from_the_review_asks_what_it_opens_then_returns(change, answers, topic, expected):
    answers = {k: v for k, v in answers.items() if v is not None}
    assert flow.after_continue(CHECK, answers, topic, changing=True) == expected, change
    if expected == flow.REVIEW:
        assert flow.result_ready(CHECK, answers), change


def test_the_result_waits_for_every_question_that_shows():
    assert flow.result_ready(CHECK, FINE) and flow.result_ready(CHECK, WOMAN)
    assert not flow.result_ready(CHECK, without({**FINE, "sex": "female"}, "contraception_men"))
    assert [q.id for q in flow.unanswered(CHECK, {**FINE, "hbsag": "yes"})] == ["hbv_dna"]


@pytest.mark.parametrize("topic, expected", [("about-you", flow.START), ("sarcoma", "about-you"), ("pregnancy", "health")])
def test_back_goes_to_the_topic_before(topic, expected):
    assert flow.after_back(CHECK, FINE, topic) == expected


def test_back_from_the_review_is_the_last_topic_that_shows():
    assert flow.review_back(CHECK, FINE) == "pregnancy"  # a man is asked about contraception there
    assert flow.first_topic(CHECK, {}) == "about-you"


def test_a_screen_opened_again_holds_its_saved_answers_and_shows_their_follow_ups():
    """Back from the review to the pregnancy screen: its widgets are drawn anew with the saved
    answers, and the follow-ups those answers open show, answered, before anything is tapped."""
    saved = {**WOMAN, "could_become_pregnant": "yes", "pregnant": "no", "contraception_women": "yes"}
    shown = flow.screen(CHECK, saved, "pregnancy", raw={})
    assert [s.question.id for s in shown] == ["could_become_pregnant", "pregnant", "breastfeeding", "contraception_women"]
    assert all(not s.problems for s in shown)
    session = flow.CheckSession(step="pregnancy", answers=saved)
    assert flow.submit(CHECK, session, "pregnancy", raw={}).step == flow.REVIEW


def raw_of(answers: dict, topic: str) -> dict:
    """What the widgets of a screen hold when the visitor has answered it as ``answers`` says."""
    from trialguide.check import answers as parse
    held = {}
    for q in CHECK.questions.values():
        if q.topic != topic or q.id not in answers:
            continue
        a = answers[q.id]
        if q.type == "choice":
            held[q.id] = {"choice": a}
        else:
            held[q.id] = {"mode": a.mode, "value": None if a.value is None else str(a.value), "uln": None if a.uln is None else str(a.uln)}
    return held


def test_a_tap_is_a_new_session_and_each_screen_change_is_counted():
    start = flow.CheckSession()
    first = flow.start(CHECK, start)
    assert (first.step, first.visit, first.focus) == ("about-you", 1, flow.HEADING)
    assert start.step == flow.START  # the old session is untouched
    failed = flow.submit(CHECK, first, "about-you", raw={})
    assert failed.step == "about-you" and failed.focus == flow.ERRORS and failed.visit == 2
    assert set(failed.errors) == {"age", "sex", "ecog", "survival"}
    done = flow.submit(CHECK, failed, "about-you", raw_of(FINE, "about-you"))
    assert (done.step, done.errors, done.visit) == ("sarcoma", {}, 3)
    assert done.answers["age"] == FINE["age"]


def test_back_keeps_what_is_answered_and_forgets_nothing_saved():
    session = flow.CheckSession(step="sarcoma", answers={"age": FINE["age"]})
    half = {"pathology": {"choice": "yes"}, "advanced": {"choice": None}}
    back = flow.back(CHECK, session, "sarcoma", half)
    assert back.step == "about-you" and back.answers == {"age": FINE["age"], "pathology": "yes"}


def test_change_returns_to_the_review_and_clearing_asks_first():
    review = flow.CheckSession(step=flow.REVIEW, answers=dict(FINE), visit=10)
    changing = flow.change(review, "about-you")
    assert changing.step == "about-you" and changing.changing
    back_again = flow.submit(CHECK, changing, "about-you", raw_of(FINE, "about-you"))
    assert back_again.step == flow.REVIEW and not back_again.changing
    asked = flow.ask_clear(back_again)
    assert asked.confirm_clear and asked.answers == back_again.answers and asked.focus == flow.CLEAR_QUESTION
    kept = flow.keep(asked)
    assert not kept.confirm_clear and kept.answers == back_again.answers and kept.focus == flow.CLEAR_BUTTON
    cleared = flow.clear(asked)
    assert cleared.answers == {} and cleared.step == flow.START and cleared.visit == asked.visit + 1
    assert cleared.answers_cleared  # the start screen says so, until the visitor starts again
    assert not flow.start(CHECK, cleared).answers_cleared
