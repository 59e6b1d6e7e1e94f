"""Turning what a visitor typed or chose into an answer, or a plain reason it cannot be one.

Numbers are typed as printed on a lab report: full-width digits, a decimal comma and spaces
are accepted, and where a question allows it a report's "<20" or "not detected". What is
unambiguous is converted (an LVEF of 0.62 is 62%; a glucose of 126 can only be mg/dL); what is
not is asked again. A problem comes back as a code; the screen words it in the visitor's language.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trialguide.check.eligibility import Question

VALUE, NORMAL, UNSURE = "value", "normal", "unsure"


@dataclass(frozen=True)
class NumberAnswer:
    """A number question's answer: the number as typed (and the report's upper limit of normal,
    where asked), or "my doctor said it is normal", or "I'm not sure"."""

    mode: str  # VALUE, NORMAL or UNSURE
    value: float | None = None  # in the question's unit; None with below=True: "not detected"
    uln: float | None = None
    below: bool = False  # the report said "<value" (or "not detected"): the true value is lower
    typed: float | None = None  # the number as typed, where it was converted from another unit
    typed_unit: str | None = None


def widget_key(question_id: str, field: str | None = None) -> str:
    """The Streamlit key of a question's widget: the choice, or a number's "mode", "value", "uln".
    Every key starts with "w_", so clearing the answers can find them all."""
    return f"w_{question_id}" if field is None else f"w_{question_id}_{field}"


NUMBER_FIELDS = ("mode", "value", "uln")


def widget_of(key: str) -> tuple[str, str | None] | None:
    """(question id, field) for a widget key made by widget_key; None for any other key."""
    if not key.startswith("w_"):
        return None
    qid, _, field = key[2:].rpartition("_")
    return (qid, field) if field in NUMBER_FIELDS else (key[2:], None)

REQUIRED = "required"  # nothing chosen or typed
NOT_A_NUMBER = "not_a_number"
OUT_OF_RANGE = "out_of_range"  # not physically possible: age 300, negative platelets
ULN_REQUIRED = "uln_required"
ULN_INVALID = "uln_invalid"
LIKELY_OTHER_UNIT = "likely_other_unit"  # Hb 12 typed in g/dL where the report unit asked is g/L
LIKELY_PERCENT = "likely_percent"  # NEUT% 60.5 typed where the count NEUT# is asked
OTHER_UNIT = "other_unit"  # a unit typed that the question does not use: "1200 copies/mL" for IU/mL


# A report's words for "below what the test can measure" (HBV DNA 未检出, "not detected").
NOT_DETECTED = ("未检出", "未檢出", "未检测到", "未檢測到", "阴性", "陰性", "检测不到", "檢測不到", "测不到", "測不到", "验不到", "驗不到", "低于检测下限", "低於檢測下限",
                "notdetected", "undetectable", "undetected", "negative", "tnd")
BELOW_SIGNS = ("<", "＜", "〈", "小于", "小於", "低于", "低於", "lessthan", "below")


def _below(text: str) -> tuple[bool, str]:
    """(True, the rest) when the text starts with a "less than" sign or word."""
    compact = unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "")
    for sign in BELOW_SIGNS:
        if compact.startswith(sign):
            return True, compact[len(sign):]
    return False, text


_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")


def parse_number(text: str | None) -> float | None:
    if text is None:
        return None
    # 5.2×10² as a report prints it: the exponent's superscripts would read as plain digits
    power = re.fullmatch(r"\s*([\d.,]+)\s*[×xX*]\s*10\s*(\^?\s*[+-]?\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+)\s*", str(text))
    if power:
        mantissa, exponent = parse_number(power.group(1)), power.group(2).translate(_SUPERSCRIPT).lstrip("^ ")
        return None if mantissa is None else parse_number(f"{mantissa}e{exponent}")
    text = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    if re.fullmatch(r"[+-]?\d+,\d{1,2}", text):
        text = text.replace(",", ".")  # 1,5 written for 1.5
    text = text.replace(",", "")  # 1,234
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _compact(text: str) -> str:
    """The text as compared with units and report words: no spaces, lower case, one micro sign."""
    return unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "").replace("μ", "u")


# Units people type after a number whatever the question's own unit is written as.
_ALWAYS_UNITS = ("周岁", "週歲", "岁", "歲", "years", "year", "ms", "毫秒", "个周期", "個週期", "cycles", "cycle")


def _without_unit(question: "Question", text: str) -> tuple[str, str | None, str | None]:
    """(the number's text, the unit typed after it if it is another known one, a problem).

    "120 g/L", "62%", "45岁" and "450ms" are the number: the unit is the question's own. A unit
    the question does not use ("1200 copies/mL" for IU/mL) is a problem, never silently read;
    the question's ``other_unit`` ("126 mg/dL" for glucose) is returned for conversion.
    """
    compact = _compact(text)
    own = {_compact(t["unit"]) for t in question.text.values() if t.get("unit")}
    other = _compact(question.other_unit[2]) if question.other_unit else None
    for unit in sorted({*own, *(_compact(u) for u in _ALWAYS_UNITS), *([other] if other else [])}, key=len, reverse=True):
        if unit and compact.endswith(unit) and parse_number(compact[: -len(unit)]) is not None:
            return compact[: -len(unit)], (question.other_unit[2] if unit == other else None), None
    number = re.match(r"[+-]?[\d.,]+(?:[eE][+-]?\d+)?", compact)
    rest = compact[number.end():] if number else ""
    if number and ("copies" in rest or "拷贝" in rest or "拷貝" in rest or rest == "%" or re.fullmatch(r"[a-zu%]+/[a-z]+", rest)):
        return text, None, OTHER_UNIT
    return text, None, None


def upper_limit(text: str) -> float | None:
    """The upper limit of normal as typed: "40", or the whole range printed beside a result
    ("7-40", "7～40"), whose second number it is."""
    compact = _compact(text)
    parts = re.fullmatch(r"([\d.,]+)[-–—~～至到](.+)", compact)
    return parse_number(parts.group(2) if parts else compact)


def read(question: "Question", raw: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    """(answer, {}) when the raw input is complete and sensible, else (None, {field: problem}).

    raw holds what the widgets hold: "choice" for a choice; "mode", "value" and "uln" (text)
    for a number. Fields: "choice", "mode", "value", "uln".
    """
    if question.type == "choice":
        choice = raw.get("choice")
        return (choice, {}) if choice in question.options else (None, {"choice": REQUIRED})
    mode = raw.get("mode") or (VALUE if not (question.normal or question.unsure) else None)
    if mode is None:
        return None, {"mode": REQUIRED}
    if mode in (NORMAL, UNSURE):
        return NumberAnswer(mode), {}
    problems: dict[str, str] = {}
    text = (raw.get("value") or "").strip()
    below, typed = False, None
    if question.below_ok:
        compact = re.sub(r"[\s()（）+\-]", "", unicodedata.normalize("NFKC", text).lower())  # 阴性(-)
        word = next((w for w in NOT_DETECTED if compact.startswith(w)), None)
        if word is not None and compact == word:
            return NumberAnswer(VALUE, None, below=True), {}
        if word is not None:  # "未检出(<20)": below the limit printed after it
            text = compact[len(word):]
        below, text = _below(text)
    text, typed_unit, unit_problem = _without_unit(question, text)
    if unit_problem:
        return None, {"value": unit_problem}
    value = parse_number(text)
    if value is not None and question.whole:
        value = float(math.floor(value))  # "70.5" from a 70-year-old: age in whole years
    if value is not None and question.fraction_percent and 0 < value <= 1:
        value *= 100  # 0.62 is 62%: no one's LVEF is below 1%
    if value is not None and question.other_unit and (typed_unit or value > question.other_unit[0]):
        typed, typed_unit = value, question.other_unit[2]
        value = value * question.other_unit[1]  # glucose 126 can only be mg/dL: 7.0 mmol/L
    if not text:
        problems["value"] = REQUIRED
    elif value is None:
        problems["value"] = NOT_A_NUMBER
    elif not question.min <= value <= question.max:
        problems["value"] = OUT_OF_RANGE
    elif question.suspect_below is not None and value < question.suspect_below:
        problems["value"] = LIKELY_OTHER_UNIT
    elif question.suspect_above is not None and value > question.suspect_above:
        problems["value"] = LIKELY_PERCENT
    uln = None
    if question.uln:
        uln_text = (raw.get("uln") or "").strip()
        uln = upper_limit(uln_text)
        if not uln_text:
            problems["uln"] = ULN_REQUIRED
        elif uln is None or not 0 < uln <= question.max:
            problems["uln"] = ULN_INVALID
    if problems:
        return None, problems
    return NumberAnswer(VALUE, value, uln, below=below, typed=typed, typed_unit=typed_unit), {}
