"""The engine is not tied to one trial: a made-up trial (tests/fixtures/toy-trial) loads, and each
way its criteria file combines rules decides as its registry words say.

Nothing in the engine names a question, a criterion or a page of the real trial; if it did, the
made-up trial would not load or would decide wrongly here.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from trialguide.check.answers import NumberAnswer
from trialguide.check.eligibility import Outcome, Status, evaluate, load
from trialguide.domain import content, zh_hant

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "toy-trial"
CONTENT = content.load(TOY)
CHECK = load(TOY / "check", CONTENT.registry, CONTENT.glossary)


def n(value, uln=None):
    return NumberAnswer("value", value, uln)


UNSURE = NumberAnswer("unsure")
FINE_MAN = {
    "age": n(40), "sex": "male", "creatinine": n(80, 100), "creatinine_clearance": n(90), "liver_mets": "no",
    "alt": n(30, 40), "ast": n(30, 40), "qtc": n(420), "hbsag": "no", "effusion": "no",
}


def test_the_made_up_trial_loads_with_its_own_pages_and_questions():
    assert CONTENT.facts["study"]["nct_id"] == "NCT00000000"
    assert [p.id for p in CONTENT.site.pages] == ["home", "about", "check", "contact", "glossary"]
    assert CHECK.topics == ("you", "tests", "health")
    assert CHECK.doctor_reads_first == ("age", "sex")
    # The Traditional Chinese texts were generated for it too.
    assert CHECK.questions["age"].text["zh-Hant"]["label"] == "您今年幾歲（足歲）？"  # with the Hong Kong phrase table applied


def test_its_traditional_chinese_is_generated_and_up_to_date():
    assert zh_hant.out_of_date(content_dir=TOY, catalogs=False) == [], "run: python scripts/zh_hant.py --content tests/fixtures/toy-trial"


@pytest.mark.parametrize(
    "criterion, answers, expected",
    [
        # any: creatinine OR its clearance is enough
        ("kidneys", {}, Status.MET),
        ("kidneys", {"creatinine": n(200, 100)}, Status.MET),  # 2 x ULN, but the clearance is fine
        ("kidneys", {"creatinine": n(200, 100), "creatinine_clearance": n(40)}, Status.NOT_MET),
        ("kidneys", {"creatinine": n(200, 100), "creatinine_clearance": UNSURE}, Status.UNKNOWN),
        ("kidneys", {"creatinine": UNSURE, "creatinine_clearance": n(90)}, Status.MET),
        # all of two "when"s: the limit depends on liver metastases
        ("liver", {"alt": n(120, 40)}, Status.NOT_MET),  # 3 x ULN without liver spread
        ("liver", {"alt": n(120, 40), "liver_mets": "yes"}, Status.MET),  # within 5 x ULN with it
        ("liver", {"ast": n(250, 40), "liver_mets": "yes"}, Status.NOT_MET),  # AST above 5 x ULN
        ("liver", {"alt": n(120, 40), "liver_mets": "unsure"}, Status.UNKNOWN),  # the limit is not known
        ("liver", {"alt": n(90, 40), "liver_mets": "unsure"}, Status.MET),  # within both limits
        # when sex: the QTc limit is a man's or a woman's
        ("qtc", {"qtc": n(460)}, Status.NOT_MET),
        ("qtc", {"qtc": n(460), "sex": "female", "breastfeeding": "no"}, Status.MET),
        ("qtc", {"qtc": UNSURE}, Status.UNKNOWN),
        # when HBsAg: the DNA matters only when it is positive
        ("hepatitis-b", {"hbsag": "yes", "hbv_dna": n(800)}, Status.NOT_MET),
        ("hepatitis-b", {"hbsag": "yes", "hbv_dna": n(100)}, Status.MET),
        ("hepatitis-b", {"hbsag": "unsure"}, Status.UNKNOWN),
        # a question shown only to women
        ("not-breastfeeding", {}, Status.NOT_ASKED),
        ("not-breastfeeding", {"sex": "female", "breastfeeding": "yes"}, Status.NOT_MET),
        # range, choice and what only the study doctor judges
        ("age", {"age": n(81)}, Status.NOT_MET),
        ("effusion", {"effusion": "unsure"}, Status.UNKNOWN),
        ("consent", {}, Status.NOT_ASKED),
    ],
)
def test_each_way_of_combining_rules_decides_as_the_registry_says(criterion, answers, expected):
    assert evaluate(CHECK, {**FINE_MAN, **answers}).statuses[criterion] is expected


def test_the_three_outcomes():
    assert evaluate(CHECK, FINE_MAN).outcome is Outcome.NOTHING_RULES_OUT
    assert evaluate(CHECK, {**FINE_MAN, "effusion": "unsure"}).outcome is Outcome.CHECK_WITH_DOCTOR
    assert evaluate(CHECK, {**FINE_MAN, "age": n(81), "effusion": "unsure"}).outcome is Outcome.PROBABLY_NOT
