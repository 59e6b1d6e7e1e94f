"""The rule combinators, on their own: all, any and when over leaf rules, as a table of answers
and the status each must give (the trial's own criteria: test_eligibility.py, test_scenarios.py)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from trialguide.check import rules
from trialguide.check.answers import NumberAnswer
from trialguide.check.rules import Status

QUESTIONS = {
    "sex": SimpleNamespace(options=("male", "female")),
    "spread": SimpleNamespace(options=("yes", "no", "unsure")),
    "n": SimpleNamespace(options=()),
    "m": SimpleNamespace(options=()),
}
MET, NOT, UNK = Status.MET, Status.NOT_MET, Status.UNKNOWN


def number(value, uln=None, mode="value", below=False):
    return NumberAnswer(mode, value, uln, below=below)


ANY = {"rule": "any", "of": [{"rule": "lab_uln", "question": "n", "multiple": 1.5}, {"rule": "lab_min", "question": "m", "min": 60}]}
ALL = {"rule": "all", "of": [{"rule": "below", "question": "n", "limit": 10}, {"rule": "lab_min", "question": "m", "min": 60}]}
WHEN = {"rule": "when", "question": "sex", "cases": {"male": {"rule": "below", "question": "n", "limit": 450},
                                                     "female": {"rule": "below", "question": "n", "limit": 470}}}
WHEN_FIXED = {"rule": "when", "question": "spread", "cases": {"no": {"rule": "met"}, "yes": {"rule": "below", "question": "n", "limit": 500}}}


@pytest.mark.parametrize("rule, answers, expected", [
    (ANY, {"n": number(60, 40)}, MET),  # 1.5 x ULN exactly: the one is enough
    (ANY, {"n": number(80, 40), "m": number(65)}, MET),  # the other is enough
    (ANY, {"n": number(80, 40), "m": number(50)}, NOT),  # neither
    (ANY, {"n": number(80, 40), "m": number(None, mode="unsure")}, UNK),  # one fails, the other unknown
    (ALL, {"n": number(9), "m": number(60)}, MET),
    (ALL, {"n": number(10), "m": number(60)}, NOT),  # below 10 means strictly below
    (ALL, {"n": number(9)}, UNK),  # one not known
    (ALL, {"n": number(11), "m": number(None, mode="unsure")}, NOT),  # one fails: not met, whatever the other
    (WHEN, {"sex": "male", "n": number(455)}, NOT),
    (WHEN, {"sex": "female", "n": number(455)}, MET),
    (WHEN, {"n": number(440)}, MET),  # sex not given: both cases agree
    (WHEN, {"n": number(460)}, UNK),  # they disagree
    (WHEN, {"n": number(480)}, NOT),
    (WHEN, {"sex": "male", "n": number(None, mode="normal")}, UNK),  # only the number decides
    (WHEN_FIXED, {"spread": "no"}, MET),
    (WHEN_FIXED, {"spread": "yes", "n": number(20, below=True)}, MET),  # "<20"
    (WHEN_FIXED, {"spread": "yes", "n": number(500)}, NOT),
    (WHEN_FIXED, {"spread": "unsure"}, UNK),  # a case with no rule of its own: where they agree, else unknown
])
def test_a_combined_rule_decides_as_its_parts_say(rule, answers, expected):
    assert rules.parse(rule, "test:", QUESTIONS).decide(answers) is expected


def test_a_rule_reads_its_questions_the_one_it_is_about_first():
    assert rules.parse(WHEN_FIXED, "test:", QUESTIONS).questions() == ("spread", "n")
    assert rules.parse(ANY, "test:", QUESTIONS).questions() == ("n", "m")
