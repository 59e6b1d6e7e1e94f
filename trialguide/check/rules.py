"""How a criterion's answers decide it: a few leaf rules and three combinators (all, any, when).

A criterion's ``rule`` in criteria.toml is one of these, possibly nested:

    rule = "range"    question, min and/or max: a number within min..max (inclusive)
    rule = "choice"   question, met / not_met / unknown / skip (option lists), otherwise (a status)
    rule = "answers"  questions, met / met_all / not_met ("question=option" lists): for follow-ups
    rule = "lab_min"  question, min: a lab value >= min ("my doctor said it is normal" counts as met)
    rule = "lab_max"  question, max: a lab value <= max
    rule = "lab_uln"  question, multiple: a lab value <= multiple x the upper limit on the report
    rule = "below"    question, limit: a number strictly below limit; only the number decides
    rule = "met" / "unknown" / "not_met"   a fixed status (inside a "when")
    rule = "doctor"   only the study doctor can judge it; not asked
    rule = "all"      of = [rules]: met when all are; not met when any is not; else unknown
    rule = "any"      of = [rules]: met when any is; not met when all are not; else unknown
    rule = "when"     question, cases = { option = rule, ... }: the case of the answer given; for an
                      answer no case names (or none), what every case agrees on, else unknown

Each rule takes only the keys it declares, of the kinds it declares: a misspelt or mistyped one
stops loading with the file and the place in the rule named.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Mapping

from trialguide.check.answers import NORMAL, UNSURE, VALUE, NumberAnswer
from trialguide.domain.content import ContentError

# Float products such as 1.5 x 40 must not put a value exactly on the limit outside it.
_EPS = 1e-9


class Status(str, Enum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    NOT_ASKED = "not_asked"


# ---- Reading a numeric answer ----


def _number(answers: Mapping[str, Any], qid: str) -> NumberAnswer | None:
    answer = answers.get(qid)
    return answer if isinstance(answer, NumberAnswer) else None


def at_least(answer: NumberAnswer | None, limit: float) -> Status:
    if answer is None or answer.mode == UNSURE:
        return Status.UNKNOWN
    if answer.mode == NORMAL:
        return Status.MET
    if answer.below:  # "<N": surely below the limit only when N is not above it
        return Status.NOT_MET if answer.value is not None and answer.value <= limit + _EPS else Status.UNKNOWN
    return Status.MET if answer.value >= limit - _EPS else Status.NOT_MET


def at_most(answer: NumberAnswer | None, limit: float) -> Status:
    if answer is None or answer.mode == UNSURE:
        return Status.UNKNOWN
    if answer.mode == NORMAL:
        return Status.MET
    if answer.below:  # "<N" or "not detected": within the limit when N is
        return Status.MET if answer.value is None or answer.value <= limit + _EPS else Status.UNKNOWN
    return Status.MET if answer.value <= limit + _EPS else Status.NOT_MET


def uln_multiple(answer: NumberAnswer | None) -> float | None:
    """How many times the report's upper limit of normal the value is, when both are given."""
    if answer is None or answer.mode != VALUE or not answer.uln or answer.value is None or answer.below:
        return None
    return answer.value / answer.uln


def within_uln(answer: NumberAnswer | None, multiple: float) -> Status:
    if answer is not None and answer.mode == NORMAL:
        return Status.MET
    ratio = uln_multiple(answer)
    if ratio is None:
        return Status.UNKNOWN
    return Status.MET if ratio <= multiple + _EPS else Status.NOT_MET


def strictly_below(answer: NumberAnswer | None, limit: float) -> Status:
    """Only a number decides ("normal" is not enough: a man's 450 ms QTc is often called
    borderline-normal and the registry excludes it)."""
    if answer is None or answer.mode != VALUE:
        return Status.UNKNOWN
    if answer.below:  # "<N" or "not detected"
        return Status.MET if answer.value is None or answer.value <= limit + _EPS else Status.UNKNOWN
    return Status.MET if answer.value < limit - _EPS else Status.NOT_MET


# ---- The rules ----


@dataclass(frozen=True)
class Rule:
    kind: str
    question: str | None
    params: Mapping[str, Any]
    parts: tuple["Rule", ...] = ()  # all / any: its rules
    cases: Mapping[str, "Rule"] | None = None  # when: option -> rule

    def questions(self) -> tuple[str, ...]:
        """Every question the rule reads, in the order it reads them, each once."""
        found = [self.question] if self.question else []
        found += list(self.params.get("questions", ()))
        for part in (*self.parts, *(self.cases or {}).values()):
            found += part.questions()
        return tuple(dict.fromkeys(found))

    def decide(self, answers: Mapping[str, Any]) -> Status:
        return DECIDE[self.kind](self, answers)


def _choice(r: Rule, answers) -> Status:
    answer = answers.get(r.question)
    for key, status in (("met", Status.MET), ("not_met", Status.NOT_MET), ("unknown", Status.UNKNOWN), ("skip", Status.NOT_ASKED)):
        if answer in r.params.get(key, ()):
            return status
    if answer is None:
        return Status.UNKNOWN
    return Status(r.params.get("otherwise", "unknown"))


def _answers(r: Rule, answers) -> Status:
    """Several questions (a follow-up, or two halves of one rule): not met if any "question=option"
    in not_met was given; met if any in met was, or every one in met_all; otherwise unknown."""
    given = {f"{qid}={answers.get(qid)}" for qid in r.params["questions"] if answers.get(qid) is not None}
    if given & set(r.params.get("not_met", ())):
        return Status.NOT_MET
    if given & set(r.params.get("met", ())):
        return Status.MET
    if r.params.get("met_all") and set(r.params["met_all"]) <= given:
        return Status.MET
    return Status.UNKNOWN


def _range(r: Rule, answers) -> Status:
    answer = _number(answers, r.question)
    low, high = r.params.get("min", float("-inf")), r.params.get("max", float("inf"))
    if answer is None or answer.mode != VALUE or answer.below:
        return Status.UNKNOWN
    return Status.MET if low <= answer.value <= high else Status.NOT_MET


def _all(r: Rule, answers) -> Status:
    statuses = [part.decide(answers) for part in r.parts]
    if Status.NOT_MET in statuses:
        return Status.NOT_MET
    return Status.UNKNOWN if Status.UNKNOWN in statuses else Status.MET


def _any(r: Rule, answers) -> Status:
    statuses = [part.decide(answers) for part in r.parts]
    if Status.MET in statuses:
        return Status.MET
    return Status.NOT_MET if all(s is Status.NOT_MET for s in statuses) else Status.UNKNOWN


def _when(r: Rule, answers) -> Status:
    answer = answers.get(r.question)
    if answer in r.cases:
        return r.cases[answer].decide(answers)
    # Not known which case applies: decide only where every case agrees.
    statuses = {case.decide(answers) for case in r.cases.values()}
    return statuses.pop() if len(statuses) == 1 else Status.UNKNOWN


DECIDE: dict[str, Callable[[Rule, Mapping], Status]] = {
    "doctor": lambda r, a: Status.NOT_ASKED,
    "met": lambda r, a: Status.MET,
    "unknown": lambda r, a: Status.UNKNOWN,
    "not_met": lambda r, a: Status.NOT_MET,
    "range": _range,
    "choice": _choice,
    "answers": _answers,
    "lab_min": lambda r, a: at_least(_number(a, r.question), r.params["min"]),
    "lab_max": lambda r, a: at_most(_number(a, r.question), r.params["max"]),
    "lab_uln": lambda r, a: within_uln(_number(a, r.question), r.params["multiple"]),
    "below": lambda r, a: strictly_below(_number(a, r.question), r.params["limit"]),
    "all": _all,
    "any": _any,
    "when": _when,
}

# ---- What each rule takes, and reading it strictly ----

NUMBER = (int, float)
OPTIONS = "options"  # a list of the question's option ids
ANSWERS = "answers"  # a list of "question=option" among the rule's questions
STATUS = "status"  # one of met, not_met, unknown
QUESTIONS = "questions"  # a list of question ids
RULES_LIST = "rules"  # a list of rules
CASES = "cases"  # a table of option -> rule


@dataclass(frozen=True)
class Spec:
    takes: Mapping[str, Any]  # every key the rule takes besides "rule", and its kind
    required: tuple[str, ...] = ()
    required_any: tuple[str, ...] = ()  # at least one of these
    question: bool = True  # it names one question


SPECS: dict[str, Spec] = {
    "doctor": Spec({}, question=False),
    "met": Spec({}, question=False),
    "unknown": Spec({}, question=False),
    "not_met": Spec({}, question=False),
    "range": Spec({"min": NUMBER, "max": NUMBER}, required_any=("min", "max")),
    "choice": Spec({"met": OPTIONS, "not_met": OPTIONS, "unknown": OPTIONS, "skip": OPTIONS, "otherwise": STATUS}),
    "answers": Spec({"questions": QUESTIONS, "met": ANSWERS, "met_all": ANSWERS, "not_met": ANSWERS},
                    required=("questions", "not_met"), required_any=("met", "met_all"), question=False),
    "lab_min": Spec({"min": NUMBER}, required=("min",)),
    "lab_max": Spec({"max": NUMBER}, required=("max",)),
    "lab_uln": Spec({"multiple": NUMBER}, required=("multiple",)),
    "below": Spec({"limit": NUMBER}, required=("limit",)),
    "all": Spec({"of": RULES_LIST}, required=("of",), question=False),
    "any": Spec({"of": RULES_LIST}, required=("of",), question=False),
    "when": Spec({"cases": CASES}, required=("cases",)),
}


def parse(entry: Mapping[str, Any], where: str, questions: Mapping[str, Any], extra_keys: frozenset = frozenset()) -> Rule:
    """A rule from criteria.toml (a criterion's keys, or an inline table inside one). ``extra_keys``:
    the criterion's own keys around its rule (id, texts...), not the rule's."""
    kind = entry.get("rule")
    if kind not in SPECS:
        raise ContentError(f"{where} unknown rule {kind!r}")
    spec = SPECS[kind]
    given = {k: v for k, v in entry.items() if k not in extra_keys and k not in ("rule", "question")}
    for key in given:
        if key not in spec.takes:
            raise ContentError(f"{where} rule {kind} takes no parameter {key!r} (it takes: {', '.join(spec.takes) or 'none'})")
    for key in spec.required:
        if key not in given:
            raise ContentError(f"{where} rule {kind} needs {key}")
    if spec.required_any and not any(key in given for key in spec.required_any):
        raise ContentError(f"{where} rule {kind} needs {' or '.join(spec.required_any)}")
    question = entry.get("question")
    if spec.question:
        if question not in questions:
            raise ContentError(f"{where} question {question!r} is not in questions.toml")
    elif question is not None:
        raise ContentError(f"{where} rule {kind} takes no question")
    params: dict[str, Any] = {}
    parts: tuple[Rule, ...] = ()
    cases: dict[str, Rule] | None = None
    for key, value in given.items():
        what = spec.takes[key]
        if what is NUMBER:
            if isinstance(value, bool) or not isinstance(value, NUMBER):
                raise ContentError(f"{where} {key} must be a number, not {value!r}")
            params[key] = value
        elif what == STATUS:
            if value not in (Status.MET.value, Status.NOT_MET.value, Status.UNKNOWN.value):
                raise ContentError(f"{where} {key} must be met, not_met or unknown, not {value!r}")
            params[key] = value
        elif what == QUESTIONS:
            if not isinstance(value, list) or len(value) < 2 or any(q not in questions for q in value):
                raise ContentError(f"{where} {key} must list two or more questions of questions.toml")
            params[key] = tuple(value)
        elif what == RULES_LIST:
            if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, dict) for v in value):
                raise ContentError(f"{where} {key} must list two or more rules")
            parts = tuple(parse(v, f"{where} {key}[{n}]", questions) for n, v in enumerate(value))
        elif what == CASES:
            if not isinstance(value, dict) or not value:
                raise ContentError(f"{where} {key} must be a table of option = rule")
            cases = {}
            for option, rule in value.items():
                if option not in questions[question].options:
                    raise ContentError(f"{where} {key}: {option!r} is not an option of question {question!r}")
                if not isinstance(rule, dict):
                    raise ContentError(f"{where} {key}.{option} must be a rule")
                cases[option] = parse(rule, f"{where} {key}.{option}", questions)
        else:  # OPTIONS or ANSWERS
            if not isinstance(value, list):
                raise ContentError(f"{where} {key} must be a list")
            for item in value:
                if what == OPTIONS:
                    qid, option = question, item
                else:
                    qid, _, option = str(item).partition("=")
                    if qid not in given.get("questions", ()):
                        raise ContentError(f"{where} {key} names {qid!r}, not one of its questions")
                if option not in questions[qid].options:
                    raise ContentError(f"{where} {key}: {option!r} is not an option of question {qid!r}")
            params[key] = tuple(value)
    if kind == "choice" and "otherwise" not in params:
        listed = {o for key in ("met", "not_met", "unknown", "skip") for o in params.get(key, ())}
        for option in questions[question].options:
            if option not in listed:
                raise ContentError(f"{where} option {option!r} is in no list and there is no otherwise")
    return Rule(kind, question, params, parts, cases)
