"""What a visitor types becomes an answer, or a clear reason it cannot be one."""
import pytest

from trialguide.check import answers
from trialguide.check.eligibility import default

Q = default().questions


@pytest.mark.parametrize(
    "text, expected",
    [("85", 85.0), (" 1.5 ", 1.5), ("1,5", 1.5), ("１２０", 120.0), ("1,234", 1234.0), ("0.8", 0.8), (".5", 0.5),
     ("abc", None), ("", None), ("1.2.3", None), ("nan", None), ("inf", None), ("12abc", None), ("85 g/L", None)],
)
def test_parse_number(text, expected):
    assert answers.parse_number(text) == expected


@pytest.mark.parametrize(
    "qid, raw, answer, problems",
    [
        ("age", {"value": "45"}, answers.NumberAnswer("value", 45.0, None), {}),
        ("age", {"value": "300"}, None, {"value": answers.OUT_OF_RANGE}),
        ("age", {"value": "forty"}, None, {"value": answers.NOT_A_NUMBER}),
        ("age", {"value": ""}, None, {"value": answers.REQUIRED}),
        ("platelets", {"mode": "value", "value": "-5"}, None, {"value": answers.OUT_OF_RANGE}),
        ("platelets", {}, None, {"mode": answers.REQUIRED}),
        ("platelets", {"mode": "normal"}, answers.NumberAnswer("normal", None, None), {}),
        ("platelets", {"mode": "unsure", "value": "junk"}, answers.NumberAnswer("unsure", None, None), {}),
        ("alt", {"mode": "value", "value": "80", "uln": "40"}, answers.NumberAnswer("value", 80.0, 40.0), {}),
        ("alt", {"mode": "value", "value": "80", "uln": ""}, None, {"uln": answers.ULN_REQUIRED}),
        ("alt", {"mode": "value", "value": "80", "uln": "0"}, None, {"uln": answers.ULN_INVALID}),
        ("alt", {"mode": "value", "value": "x", "uln": "y"}, None, {"value": answers.NOT_A_NUMBER, "uln": answers.ULN_INVALID}),
        # Hb and albumin typed in g/dL (12, 3.5) where the question asks g/L: asked again, never judged
        ("hemoglobin", {"mode": "value", "value": "12"}, None, {"value": answers.LIKELY_OTHER_UNIT}),
        ("hemoglobin", {"mode": "value", "value": "89"}, answers.NumberAnswer("value", 89.0, None), {}),
        ("albumin", {"mode": "value", "value": "3.5"}, None, {"value": answers.LIKELY_OTHER_UNIT}),
        ("albumin", {"mode": "value", "value": "27"}, answers.NumberAnswer("value", 27.0, None), {}),
        # NEUT% (60.5) typed where the count NEUT# (3.2) is asked: asked again, never judged
        ("neutrophils", {"mode": "value", "value": "60.5"}, None, {"value": answers.LIKELY_PERCENT}),
        ("neutrophils", {"mode": "value", "value": "3.2"}, answers.NumberAnswer("value", 3.2, None), {}),
        # numbers as reports and people write them (issue 15): converted where unambiguous
        ("age", {"value": "70.5"}, answers.NumberAnswer("value", 70.0, None), {}),  # a 70-year-old
        ("lvef", {"mode": "value", "value": "0.62"}, answers.NumberAnswer("value", 62.0, None), {}),
        ("lvef", {"mode": "value", "value": "62"}, answers.NumberAnswer("value", 62.0, None), {}),
        ("hbv_dna", {"mode": "value", "value": "<20"}, answers.NumberAnswer("value", 20.0, None, below=True), {}),
        ("hbv_dna", {"mode": "value", "value": "＜ 500"}, answers.NumberAnswer("value", 500.0, None, below=True), {}),
        ("hbv_dna", {"mode": "value", "value": "未检出"}, answers.NumberAnswer("value", None, None, below=True), {}),
        ("hbv_dna", {"mode": "value", "value": "測不到"}, answers.NumberAnswer("value", None, None, below=True), {}),  # as a Hong Kong patient says it
        ("hbv_dna", {"mode": "value", "value": "Not detected"}, answers.NumberAnswer("value", None, None, below=True), {}),
        ("hbv_dna", {"mode": "value", "value": "阴性(-)"}, answers.NumberAnswer("value", None, None, below=True), {}),
        ("hbv_dna", {"mode": "value", "value": "未检测到"}, answers.NumberAnswer("value", None, None, below=True), {}),
        ("hbv_dna", {"mode": "value", "value": "5.2×10²"}, answers.NumberAnswer("value", 520.0, None), {}),
        ("hbv_dna", {"mode": "value", "value": "5.2E+02"}, answers.NumberAnswer("value", 520.0, None), {}),
        ("hbv_dna", {"mode": "value", "value": "3.1x10^4"}, answers.NumberAnswer("value", 31000.0, None), {}),
        ("platelets", {"mode": "value", "value": "<20"}, None, {"value": answers.NOT_A_NUMBER}),  # only where asked for
        ("glucose", {"mode": "value", "value": "126"}, answers.NumberAnswer("value", 126 * 0.0555, None, typed=126.0, typed_unit="mg/dL"), {}),
        ("glucose", {"mode": "value", "value": "5.6"}, answers.NumberAnswer("value", 5.6, None), {}),
        # NEUT% values of 10 to 30 were once taken as a count: asked again
        ("neutrophils", {"mode": "value", "value": "25"}, None, {"value": answers.LIKELY_PERCENT}),
        ("neutrophils", {"mode": "value", "value": "9.8"}, answers.NumberAnswer("value", 9.8, None), {}),
        # units typed as the report prints them: the question's own unit is read, another is asked about
        ("hemoglobin", {"mode": "value", "value": "120g/L"}, answers.NumberAnswer("value", 120.0, None), {}),
        ("hemoglobin", {"mode": "value", "value": "12 g/dL"}, None, {"value": answers.OTHER_UNIT}),
        ("lvef", {"mode": "value", "value": "62%"}, answers.NumberAnswer("value", 62.0, None), {}),
        ("neutrophils", {"mode": "value", "value": "8%"}, None, {"value": answers.OTHER_UNIT}),  # NEUT%, not NEUT#
        ("age", {"value": "45岁"}, answers.NumberAnswer("value", 45.0, None), {}),
        ("qtc", {"mode": "value", "value": "450 ms"}, answers.NumberAnswer("value", 450.0, None), {}),
        ("hbv_dna", {"mode": "value", "value": "<20 IU/mL"}, answers.NumberAnswer("value", 20.0, None, below=True), {}),
        ("hbv_dna", {"mode": "value", "value": "未检出(<20)"}, answers.NumberAnswer("value", 20.0, None, below=True), {}),
        ("hbv_dna", {"mode": "value", "value": "1200 copies/mL"}, None, {"value": answers.OTHER_UNIT}),
        ("hbv_dna", {"mode": "value", "value": "1.2E+03 copies/mL"}, None, {"value": answers.OTHER_UNIT}),
        ("glucose", {"mode": "value", "value": "30 mg/dL"}, answers.NumberAnswer("value", 30 * 0.0555, None, typed=30.0, typed_unit="mg/dL"), {}),
        # the upper limit typed as the whole normal range printed beside the result: its second number
        ("alt", {"mode": "value", "value": "80", "uln": "7-40"}, answers.NumberAnswer("value", 80.0, 40.0), {}),
        ("alt", {"mode": "value", "value": "80", "uln": "7～40"}, answers.NumberAnswer("value", 80.0, 40.0), {}),
        ("ecog", {"choice": "ecog2"}, "ecog2", {}),
        ("ecog", {"choice": None}, None, {"choice": answers.REQUIRED}),
        ("ecog", {"choice": "ecog9"}, None, {"choice": answers.REQUIRED}),
    ],
)
def test_read(qid, raw, answer, problems):
    assert answers.read(Q[qid], raw) == (answer, problems)
