"""The self-check's screen order: Continue, Back, and changes made from the review (GOV.UK
check-answers: new questions first, then back to the review)."""
from __future__ import annotations

import pytest

from tests.test_eligibility import CHECK, FINE, WOMAN
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
