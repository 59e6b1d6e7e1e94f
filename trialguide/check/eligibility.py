"""The self-check's rules: pure functions from a visitor's answers to a status per criterion.

Safety stance: this never decides who can join. Each registry criterion comes out as
met / not met / unknown / not asked, and the overall outcome is one of three honest
statements: something you said probably rules this study out; some things need checking with
your doctor; nothing you said rules you out (only the study team can decide). "Met" always
means what the study needs is true: for an exclusion criterion, that its condition is absent.
Answers are plain values passed in and returned; nothing here stores or sends them.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Mapping

from trialguide.check import rules
from trialguide.check.rules import Status, uln_multiple  # noqa: F401  (what callers read a criterion's status as)
from trialguide.domain import locales
from trialguide.domain.content import CONTENT_DIR, ContentError, read_toml
from trialguide.domain.content import default as default_content

CHECK_DIR = CONTENT_DIR / "check"


class Outcome(str, Enum):
    PROBABLY_NOT = "probably_not"
    CHECK_WITH_DOCTOR = "check_with_doctor"
    NOTHING_RULES_OUT = "nothing_rules_out"


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    type: str  # "choice" or "number"
    options: tuple[str, ...] = ()
    normal: bool = False
    unsure: bool = False
    uln: bool = False
    min: float = 0.0
    max: float = float("inf")
    suspect_below: float | None = None  # below this, the number is likely in another unit
    suspect_above: float | None = None  # above this, it can only be a percentage (NEUT% for NEUT#)
    whole: bool = False  # whole units only: age 70.5 is 70
    fraction_percent: bool = False  # 0.62 typed for 62%
    below_ok: bool = False  # "<20" and "not detected" accepted
    other_unit: tuple[float, float, str] | None = None  # (above, factor, unit): read above as that unit
    show_if: tuple[tuple[str, tuple[str, ...]], ...] = ()
    text: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # lang -> label / hint / unit

    def box_label(self, lang: str, with_unit: str = "{label} ({unit})") -> str:
        """The number box's label: the question, then its unit unless the question already names
        it ("您今年多少周岁？" asks in 岁; "(岁)" after it said the same twice). `with_unit` is the
        language's own pattern (full-width brackets in Chinese)."""
        text = self.text[lang]
        unit = text.get("unit", "")
        return text["label"] if not unit or unit in text["label"] else with_unit.format(label=text["label"], unit=unit)


@dataclass(frozen=True)
class Criterion:
    id: str
    source: str  # registry bullet id, e.g. "exc-9"
    excerpt: str  # the registry's words, verbatim
    rule: rules.Rule
    questions: tuple[str, ...]  # every question its rule reads, the first the one it is about
    text: Mapping[str, Mapping[str, str]]  # lang -> plain / ask / reading (how an unclear bullet is read)
    item: int | None = None  # numbered sub-item of the bullet, where it has them
    term: str | None = None  # the glossary entry that explains its word (QTc, ULN, ECOG)

    @property
    def doctor(self) -> bool:
        """Only the study doctor can judge it: not asked."""
        return self.rule.kind == "doctor"


@dataclass(frozen=True)
class Check:
    topics: tuple[str, ...]
    topic_titles: Mapping[str, Mapping[str, str]]
    topic_terms: Mapping[str, tuple[str, ...]]  # glossary ids explained on each topic's screen
    options: Mapping[str, Mapping[str, str]]  # option id -> lang -> label
    questions: Mapping[str, Question]
    criteria: tuple[Criterion, ...]
    # The answers a doctor reads first, at the top of the summary (age, sex, the diagnosis...).
    doctor_reads_first: tuple[str, ...] = ()

    def visible(self, question: Question, answers: Mapping[str, Any]) -> bool:
        return all(answers.get(qid) in values for qid, values in question.show_if)

    @functools.cached_property
    def leads(self) -> frozenset[str]:
        """The questions whose answer shows or hides another question on the same screen (a
        positive HBsAg brings HBV DNA): answering one of them changes more than itself."""
        return frozenset(qid for q in self.questions.values() for qid, _values in q.show_if
                         if self.questions[qid].topic == q.topic)

    @functools.cached_property
    def leads_by_topic(self) -> Mapping[str, tuple[Question, ...]]:
        """Each screen's leads, in order (worked out once, not on every tap)."""
        return {topic: tuple(q for q in self.questions.values() if q.topic == topic and q.id in self.leads)
                for topic in dict.fromkeys(q.topic for q in self.questions.values())}

    def shown(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """Only the answers to questions that show: an answer left from a follow-up that no
        longer applies (brain symptoms, after "no spread to the brain") must never count."""
        kept: dict[str, Any] = {}
        for question in self.questions.values():  # a follow-up always comes after what it follows
            if question.id in answers and self.visible(question, kept):
                kept[question.id] = answers[question.id]
        return kept

    def questions_in(self, topic: str, answers: Mapping[str, Any]) -> list[Question]:
        return [q for q in self.questions.values() if q.topic == topic and self.visible(q, answers)]

    def topics_for(self, answers: Mapping[str, Any]) -> list[str]:
        """The topics with at least one question to ask, given the answers so far."""
        return [t for t in self.topics if self.questions_in(t, answers)]


@dataclass(frozen=True)
class Assessment:
    statuses: Mapping[str, Status]
    outcome: Outcome
    not_met: tuple[Criterion, ...]
    unknown: tuple[Criterion, ...]
    doctor_checks: tuple[Criterion, ...]


# Every key a question may have: a misspelt one (show_iff) stops loading instead of being ignored.
QUESTION_KEYS = {"topic", "type", "options", "normal", "unsure", "uln", "min", "max", "suspect_below", "suspect_above",
                 "show_if", "whole", "fraction_percent", "below_ok", "other_unit", *locales.LANGS}
# Keys of a criterion that are not rule parameters.
CRITERION_KEYS = frozenset({"id", "source", "excerpt", "item", "term", *locales.LANGS})


def evaluate(check: Check, answers: Mapping[str, Any]) -> Assessment:
    """Every criterion's status and the overall outcome, for one visitor's answers."""
    answers = check.shown(answers)
    statuses: dict[str, Status] = {}
    for c in check.criteria:
        # A criterion whose first question was skipped (pregnancy questions for a man, say) does
        # not apply; later questions may be follow-ups (HBV DNA only after a positive HBsAg).
        if c.doctor or not check.visible(check.questions[c.questions[0]], answers):
            statuses[c.id] = Status.NOT_ASKED
        else:
            statuses[c.id] = c.rule.decide(answers)
    not_met = tuple(c for c in check.criteria if statuses[c.id] is Status.NOT_MET)
    unknown = tuple(c for c in check.criteria if statuses[c.id] is Status.UNKNOWN)
    if not_met:
        outcome = Outcome.PROBABLY_NOT
    elif unknown:
        outcome = Outcome.CHECK_WITH_DOCTOR
    else:
        outcome = Outcome.NOTHING_RULES_OUT
    doctor = tuple(c for c in check.criteria if c.doctor)
    return Assessment(statuses, outcome, not_met, unknown, doctor)


# ---- Loading and checking the content ----


def _texts(entry: dict, parts: tuple[str, ...], where: str, optional: tuple[str, ...] = ()) -> dict:
    """lang -> part -> text; every required part in every language, optional ones in all or none."""
    texts: dict[str, dict[str, str]] = {lang: {} for lang in locales.LANGS}
    for lang in locales.LANGS:
        for part in entry.get(lang, {}):
            if part not in parts + optional:
                raise ContentError(f"{where} unknown text {lang}.{part} (allowed: {', '.join(parts + optional)})")
    for part in parts + optional:
        given = {lang: str(entry.get(lang, {}).get(part, "")).strip() for lang in locales.LANGS}
        missing = [lang for lang, value in given.items() if not value]
        if missing and (part in parts or len(missing) < len(given)):
            raise ContentError(f"{where} {missing[0]}.{part} is missing or empty")
        for lang, value in given.items():
            if value:
                texts[lang][part] = value
    return texts


def load(check_dir: Path = CHECK_DIR, registry: dict | None = None, glossary: Mapping | None = None) -> Check:
    registry = registry if registry is not None else default_content().registry
    glossary = glossary if glossary is not None else default_content().glossary
    bullets = {item["id"]: item["text"] for kind in ("inclusion", "exclusion") for item in registry[kind]}
    qfile, cfile = check_dir / "questions.toml", check_dir / "criteria.toml"
    qdata, cdata = read_toml(qfile), read_toml(cfile)  # with their generated zh-Hant texts

    for name, data, keys in ((qfile.name, qdata, ("topics", "topic", "option", "question")), (cfile.name, cdata, ("criterion",))):
        for key in keys:
            if not data.get(key):
                raise ContentError(f"{name}: no {key} table")
    topics = tuple(qdata["topics"])
    titles = {t: _texts(qdata["topic"].get(t, {}), ("title",), f"{qfile.name}: [topic.{t}]") for t in topics}
    options = {o: _texts(entry, ("label",), f"{qfile.name}: [option.{o}]") for o, entry in qdata["option"].items()}
    terms = {t: tuple(qdata["topic"][t].get("terms", ())) for t in topics}
    for topic, ids in terms.items():
        for term in ids:
            if term not in glossary:
                raise ContentError(f"{qfile.name}: [topic.{topic}] term {term!r} is not in glossary.toml")

    questions: dict[str, Question] = {}
    for qid, entry in qdata["question"].items():
        where = f"{qfile.name}: [question.{qid}]"
        for key in entry:
            if key not in QUESTION_KEYS:
                raise ContentError(f"{where} unknown key {key!r} (allowed: {', '.join(sorted(QUESTION_KEYS))})")
        for key in ("normal", "unsure", "uln", "whole", "fraction_percent", "below_ok"):
            if not isinstance(entry.get(key, False), bool):
                raise ContentError(f"{where} {key} must be true or false")
        for qid_, values in entry.get("show_if", ()):
            if not isinstance(values, list):
                raise ContentError(f"{where} show_if of {qid_!r} must list option ids")
        other_unit = entry.get("other_unit")
        if other_unit is not None and not (
            isinstance(other_unit, list) and len(other_unit) == 3 and all(isinstance(x, rules.NUMBER) for x in other_unit[:2])
            and isinstance(other_unit[2], str)
        ):
            raise ContentError(f"{where} other_unit must be [above, factor, \"unit\"]")
        if entry.get("topic") not in topics:
            raise ContentError(f"{where} topic {entry.get('topic')!r} is not in topics")
        if entry.get("type") not in ("choice", "number"):
            raise ContentError(f"{where} type must be choice or number")
        for option in entry.get("options", []):
            if option not in options:
                raise ContentError(f"{where} option {option!r} has no [option.{option}]")
        if entry["type"] == "choice" and not entry.get("options"):
            raise ContentError(f"{where} a choice needs options")
        questions[qid] = Question(
            id=qid, topic=entry["topic"], type=entry["type"], options=tuple(entry.get("options", ())),
            normal=entry.get("normal", False), unsure=entry.get("unsure", False), uln=entry.get("uln", False),
            min=float(entry.get("min", 0)), max=float(entry.get("max", float("inf"))),
            suspect_below=float(entry["suspect_below"]) if "suspect_below" in entry else None,
            suspect_above=float(entry["suspect_above"]) if "suspect_above" in entry else None,
            show_if=tuple((q, tuple(v)) for q, v in entry.get("show_if", ())),
            whole=entry.get("whole", False), fraction_percent=entry.get("fraction_percent", False),
            below_ok=entry.get("below_ok", False),
            other_unit=(float(other_unit[0]), float(other_unit[1]), other_unit[2]) if other_unit else None,
            text=_texts(entry, ("label",), where, optional=("hint", "unit")),
        )
    order = list(questions)
    for q in questions.values():
        for qid, values in q.show_if:
            if qid not in questions:
                raise ContentError(f"{qfile.name}: [question.{q.id}] show_if names unknown question {qid!r}")
            if order.index(qid) > order.index(q.id):
                raise ContentError(f"{qfile.name}: [question.{q.id}] follows {qid!r}, which must come before it")
            for value in values:
                if questions[qid].type == "choice" and value not in questions[qid].options:
                    raise ContentError(f"{qfile.name}: [question.{q.id}] show_if: {value!r} is not an option of {qid!r}")

    criteria = []
    for n, entry in enumerate(cdata["criterion"], 1):
        cid = entry.get("id") or f"#{n}"
        where = f"{cfile.name}: criterion {cid}"
        if entry.get("source") not in bullets:
            raise ContentError(f"{where} source {entry.get('source')!r} is not a registry criterion")
        if entry.get("excerpt", "") not in bullets[entry["source"]] or not entry.get("excerpt"):
            raise ContentError(f"{where} excerpt is not verbatim from {entry['source']}")
        rule = rules.parse(entry, where, questions, extra_keys=CRITERION_KEYS)
        if "term" in entry and entry["term"] not in glossary:
            raise ContentError(f"{where} term {entry['term']!r} is not in glossary.toml")
        criteria.append(
            Criterion(
                id=cid, source=entry["source"], excerpt=entry["excerpt"], rule=rule, questions=rule.questions(),
                text=_texts(entry, ("plain",), where, optional=("ask", "reading", "changes")),
                item=entry.get("item"), term=entry.get("term"),
            )
        )
    ids = [c.id for c in criteria]
    if len(ids) != len(set(ids)):
        raise ContentError(f"{cfile.name}: criterion ids repeat")
    for bullet in bullets:
        if not any(c.source == bullet for c in criteria):
            raise ContentError(f"{cfile.name}: registry criterion {bullet} has no criterion")
    used = {qid for c in criteria for qid in c.questions} | {qid for q in questions.values() for qid, _ in q.show_if}
    for qid in questions:
        if qid not in used:
            raise ContentError(f"{qfile.name}: [question.{qid}] is asked but no rule or skip uses it")
    first = tuple(qdata.get("doctor_reads_first", ()))
    for qid in first:
        if qid not in questions:
            raise ContentError(f"{qfile.name}: doctor_reads_first names unknown question {qid!r}")
    return Check(topics, titles, terms, options, questions, tuple(criteria), first)


@functools.cache
def default() -> Check:
    """The self-check, parsed once per process; it holds no answers, so it is safe to share."""
    return load()
