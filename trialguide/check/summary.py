"""The self-check's result as plain data: the summary a visitor takes to their doctor.

One model, three renderings that say the same: the result screen and the summary on screen
(``components/check.py``), the printed page (its print CSS) and the PDF (``web/pdf.py``).
Everything is in the visitor's language; the registry's own words (English) are kept apart, for
the doctor. Plain Python: it holds one visitor's answers only while it is being drawn.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from trialguide.check import answers as parse
from trialguide.check.eligibility import Assessment, Check, Criterion, Outcome, Question, Status, uln_multiple
from trialguide.domain import locales
from trialguide.domain.i18n import N_

Translate = Callable[[str], str]

STATUS_TEXT = {
    Status.MET: N_("Nothing here rules you out"),
    Status.NOT_MET: N_("This probably rules you out"),
    Status.UNKNOWN: N_("Check with your doctor"),
    Status.NOT_ASKED: N_("Does not apply"),
}
DOCTOR_CHECKS = N_("The study doctor checks this")
OUTCOME_TEXT = {
    Outcome.PROBABLY_NOT: N_("Something you told us means this study is probably not for you"),
    Outcome.CHECK_WITH_DOCTOR: N_("Some things need checking with your doctor"),
    Outcome.NOTHING_RULES_OUT: N_("Nothing in your answers to these questions rules you out"),
}


@dataclass(frozen=True)
class Answer:
    """One question and what the visitor said to it, both in the visitor's language."""

    label: str
    text: str


@dataclass(frozen=True)
class Item:
    """One registry criterion as the visitor's answers leave it."""

    id: str
    source: str  # the registry bullet in words, e.g. "Exclusion criterion 9" (the id is "exc-9")
    excerpt: str  # the registry's words, verbatim (English)
    plain: str  # what the study needs, in plain words
    rule: str  # the same, said as the study's rule ("Study rule: ..."), never as a statement about the visitor
    ask: str  # what to ask the doctor when it is not known (the plain words where none is given)
    changes: str  # when this may change (optional, "" when the criterion has none)
    explain: str  # what its word means, from the glossary ("QTc: a time measured on..."), or ""
    status: str  # what the answers mean for it, in words
    answers: tuple[Answer, ...]
    lines: tuple[str, ...]  # each answer as one line: "How old are you? 72 years"
    registry_line: str  # "From the registry: exclusion criterion 9"


@dataclass(frozen=True)
class Summary:
    lang: str
    title: str
    intro: str
    outcome: str  # the result's headline
    status: tuple[str, ...]  # the study's status and the numbers to call, plain lines (pages.views.summary_status)
    facts: tuple[Answer, ...]  # what a doctor checks first
    not_met: tuple[Item, ...]
    unknown: tuple[Item, ...]
    every: tuple[Item, ...]  # every criterion, in the registry's order
    words: Mapping[str, str]  # headings and labels, translated


def describe(check: Check, question: Question, answer: Any, lang: str, _: Translate) -> str:
    """An answer as the visitor would say it, in their language."""
    if answer is None:
        return _("Not answered")
    if question.type == "choice":
        return check.options[answer][lang]["label"]
    if answer.mode == parse.NORMAL:
        return _("My doctor said it is normal")
    if answer.mode == parse.UNSURE:
        return _("I'm not sure")
    unit = question.text[lang].get("unit", "")
    if answer.below and answer.value is None:
        return _("Not detected")
    number = locales.format_number(answer.value, lang)
    gap = "" if unit and unit[0] >= "\u2e80" else " "  # 72岁, 6个周期: no space before a Chinese unit
    text = f"{'<' if answer.below else ''}{number}{gap}{unit}".strip()
    if answer.typed is not None:  # converted from another unit: both, as typed and as read
        text = f"{locales.format_number(answer.typed, lang)} {answer.typed_unit} ({locales.format_number(round(answer.value, 1), lang)} {unit})"
    ratio = uln_multiple(answer)
    if ratio is not None:
        text += " " + _("(upper limit {uln}: {ratio} times the upper limit)").format(
            uln=locales.format_number(answer.uln, lang), ratio=locales.format_number(round(ratio, 2), lang)
        )
    return text


def line(answer: Answer, _: Translate) -> str:
    """ "Platelets (PLT): 80" or, after a question, "How old are you? 45", as one line."""
    if answer.label.rstrip().endswith(("?", "？", ".", "。")):  # no "。：" after a sentence
        return _("{question} {answer}").format(question=answer.label, answer=answer.text)
    return _("{label}: {answer}").format(label=answer.label, answer=answer.text)


def given(check: Check, c: Criterion, answers: Mapping[str, Any], lang: str, _: Translate) -> tuple[Answer, ...]:
    """What the visitor answered to the questions that check criterion c and were asked."""
    shown = check.shown(answers)
    return tuple(
        Answer(check.questions[qid].text[lang]["label"], describe(check, check.questions[qid], shown.get(qid), lang, _))
        for qid in c.questions
        if check.visible(check.questions[qid], shown)
    )


SOURCE_NAMES = {"inc": N_("Inclusion criterion {number}"), "exc": N_("Exclusion criterion {number}")}


def source_name(source: str, _: Translate) -> str:
    """A registry bullet's id in words a patient can say aloud: "exc-9" is "Exclusion criterion 9"."""
    kind, _sep, number = source.partition("-")
    return _(SOURCE_NAMES[kind]).format(number=number) if kind in SOURCE_NAMES and number.isdigit() else source


def item(check: Check, c: Criterion, assessment: Assessment, answers: Mapping[str, Any], lang: str, _: Translate,
         glossary: Mapping[str, Mapping] | None = None) -> Item:
    text = c.text[lang]
    status = DOCTOR_CHECKS if c.doctor else STATUS_TEXT[assessment.statuses[c.id]]
    entry = (glossary or {}).get(c.term or "", {}).get(lang)
    explain = _("{label}: {answer}").format(label=entry["term"], answer=entry["text"]) if entry else ""
    shown = given(check, c, answers, lang, _)
    source = source_name(c.source, _)
    # "This may change 5 years after the other cancer" only where it can: not under an answer that meets the rule.
    open_question = assessment.statuses[c.id] in (Status.NOT_MET, Status.UNKNOWN)
    return Item(
        id=c.id, source=source, excerpt=c.excerpt, plain=text["plain"], rule=_("Study rule: {plain}").format(plain=text["plain"]), ask=text.get("ask", text["plain"]),
        changes=text.get("changes", "") if open_question else "", explain=explain, status=_(status), answers=shown,
        lines=tuple(line(a, _) for a in shown), registry_line=_("From the registry: {criterion}").format(criterion=source),
    )


def build(check: Check, assessment: Assessment, answers: Mapping[str, Any], lang: str, _: Translate,
          today: dt.date, nct_id: str, glossary: Mapping[str, Mapping] | None = None, status: tuple[str, ...] = ()) -> Summary:
    """``glossary``: the glossary's entries, to say on the result what each criterion's word means;
    ``status``: the study's status and its numbers, said at the top of the summary."""
    shown = check.shown(answers)
    facts = tuple(
        Answer(check.questions[qid].text[lang]["label"], describe(check, check.questions[qid], shown[qid], lang, _))
        for qid in check.doctor_reads_first  # questions.toml: the answers a doctor reads first
        if qid in shown
    )
    every = tuple(item(check, c, assessment, answers, lang, _, glossary) for c in check.criteria)
    by_id = {i.id: i for i in every}
    words = {
        "facts": _("What a doctor checks first"),
        "not_met": _("What the study requires that your answers do not meet"),
        "unknown": _("What needs checking with your doctor"),
        "none": _("No answer rules this study out. Only the study team can decide."),
        "show_every": _("Show every answer"),
        "every": _("Every answer"),
        "registry": _("For your doctor: the registry's words"),
        "means": _("For you: {status}"),
        "quote": _("{source}, in the registry's English:"),
    }
    return Summary(
        lang=lang,
        title=_("Summary to take to your doctor"),
        intro=_("Study {nct_id}, self-check of {date}. Made by the visitor on the study's explainer page; not a medical decision.").format(
            nct_id=nct_id, date=locales.format_date(today, lang)
        ),
        outcome=_(OUTCOME_TEXT[assessment.outcome]),
        status=status,
        facts=facts,
        not_met=tuple(by_id[c.id] for c in assessment.not_met),
        unknown=_one_per_question(by_id[c.id] for c in assessment.unknown),
        every=every,
        words=words,
    )


def _one_per_question(items: Iterable[Item]) -> tuple[Item, ...]:
    """One card per thing to ask: "I'm not sure" about the sarcoma's type leaves eleven criteria
    unknown, and the reader needs to ask one question, not read it eleven times (every answer,
    each criterion on its own, stays in the full list)."""
    seen: dict[str, Item] = {}
    for i in items:
        seen.setdefault(i.ask, i)
    return tuple(seen.values())


def file_name(today: dt.date) -> str:
    return f"self-check-{today.isoformat()}.pdf"
