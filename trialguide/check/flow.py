"""Where the self-check goes next: its screens and every tap, as pure functions of a typed session.

GOV.UK's question-page and check-answers patterns: one topic per screen, Back and Continue, a
review with a Change link per screen. A change made from the review that opens new questions
(a woman's pregnancy questions after "sex" is changed, say) asks them first, then returns to the
review; a change that closes them simply returns. Each tap is ``session -> session``: the screen
module reads what the widgets hold, hands it in, and keeps what comes back. Nothing here draws,
stores or sends anything.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping

from trialguide.check import answers as parse
from trialguide.check.eligibility import Check, Question

START, REVIEW, RESULT = "start", "review", "result"

# Where a new screen puts the visitor's focus (page.js lands there): its heading, the error
# summary after a failed Continue, or the question and the button of "Clear my answers".
HEADING, ERRORS, CLEAR_QUESTION, CLEAR_BUTTON = "heading", "errors", "clear", "kept"

Raw = Mapping[str, Mapping[str, Any]]  # question id -> what its widgets hold (answers.read's raw)
Problems = Mapping[str, Mapping[str, str]]  # question id -> field -> problem code


@dataclass(frozen=True)
class CheckSession:
    """One visitor's self-check: where they are and what they answered. Lives only in their
    Streamlit session; a tap makes a new one."""

    step: str = START  # START, a topic id, REVIEW or RESULT
    answers: Mapping[str, Any] = field(default_factory=dict)  # question id -> a choice id or a NumberAnswer
    errors: Problems = field(default_factory=dict)  # what the last failed Continue found
    changing: bool = False  # the visitor came from the review with Change
    confirm_clear: bool = False  # "Clear all your answers?" is asked
    visit: int = 0  # grows with every tap that changes the screen (page.js scrolls and focuses then)
    focus: str = HEADING
    answers_lost: bool = False  # the server lost this visitor's session: said on the start screen
    answers_cleared: bool = False  # "Clear my answers" was confirmed: said on the start screen


@dataclass(frozen=True)
class Shown:
    question: Question
    answer: Any  # what its widgets hold now, read as an answer; None while missing or wrong
    problems: Mapping[str, str]  # field -> problem code


def first_topic(check: Check, answers: Mapping[str, Any]) -> str:
    return check.topics_for(answers)[0]


def unanswered(check: Check, answers: Mapping[str, Any], topic: str | None = None) -> list[Question]:
    """The questions that show, given the answers, and have no answer yet."""
    topics = [topic] if topic else check.topics_for(answers)
    return [q for t in topics for q in check.questions_in(t, answers) if q.id not in answers]


def after_continue(check: Check, answers: Mapping[str, Any], topic: str, changing: bool) -> str:
    """The step after a screen's answers were saved. ``changing``: the visitor came from the review."""
    topics = check.topics_for(answers)
    if changing:
        opened = unanswered(check, answers)
        return opened[0].topic if opened else REVIEW
    index = topics.index(topic) if topic in topics else -1
    return topics[index + 1] if index + 1 < len(topics) else REVIEW


def after_back(check: Check, answers: Mapping[str, Any], topic: str) -> str:
    topics = check.topics_for(answers)
    index = topics.index(topic) if topic in topics else 0
    return topics[index - 1] if index > 0 else START


def review_back(check: Check, answers: Mapping[str, Any]) -> str:
    """Back from the review: the last topic that shows."""
    return check.topics_for(answers)[-1]


def result_ready(check: Check, answers: Mapping[str, Any]) -> bool:
    """The result is shown only once every question that shows has an answer."""
    return not unanswered(check, answers)


def screen_step(check: Check, session: CheckSession) -> str:
    """The screen to show: a topic that an answer has since closed shows as the review."""
    if session.step in (START, REVIEW, RESULT) or session.step in check.topics_for(session.answers):
        return session.step
    return REVIEW


# ---- One screen: which questions show, and what their widgets hold ----


def screen(check: Check, answers: Mapping[str, Any], topic: str, raw: Raw) -> tuple[Shown, ...]:
    """The topic's questions that show, in order, each with what its widgets hold. A question
    shows when the answers before it allow (HBV DNA right after a positive HBsAg), counting what
    is on this screen now, not only what was saved."""
    live = dict(answers)
    shown = []
    for question in (q for q in check.questions.values() if q.topic == topic):
        if not check.visible(question, live):
            continue
        held = raw.get(question.id, {})
        if question.id in answers and not any(value is not None for value in held.values()):
            # Its widgets are not drawn yet (the screen was left, and is opened again): they will
            # show the saved answer, so the saved answer is what they hold.
            answer, problems = answers[question.id], {}
        else:
            answer, problems = parse.read(question, held)
        if problems:
            live.pop(question.id, None)
        else:
            live[question.id] = answer
        shown.append(Shown(question, None if problems else answer, problems))
    return tuple(shown)


def errors_now(check: Check, session: CheckSession, topic: str, raw: Raw) -> dict[str, dict[str, str]]:
    """The problems a failed Continue found that the screen still has: a problem goes as soon as
    its field holds a valid answer, without waiting for the next Continue."""
    if not session.errors:
        return {}
    now = {s.question.id: s.problems for s in screen(check, session.answers, topic, raw)}
    still = {qid: {f: p for f, p in now.get(qid, {}).items() if f in fields} for qid, fields in session.errors.items()}
    return {qid: problems for qid, problems in still.items() if problems}


# ---- Taps ----


def _moved(session: CheckSession, focus: str = HEADING, **changes) -> CheckSession:
    """A new screen: counted, so page.js knows to land on it."""
    return dataclasses.replace(session, visit=session.visit + 1, focus=focus, **changes)


def go(session: CheckSession, step: str) -> CheckSession:
    return _moved(session, step=step, errors={}, confirm_clear=False, answers_lost=False, answers_cleared=False,
                  changing=session.changing and step not in (REVIEW, RESULT, START))


def start(check: Check, session: CheckSession) -> CheckSession:
    return go(session, first_topic(check, session.answers))


def submit(check: Check, session: CheckSession, topic: str, raw: Raw) -> CheckSession:
    """Continue: the screen's answers kept and the next screen, or (GOV.UK) the same screen with
    what is missing or wrong, the answers kept."""
    shown = screen(check, session.answers, topic, raw)
    problems = {s.question.id: dict(s.problems) for s in shown if s.problems}
    if problems:
        return _moved(session, ERRORS, errors=problems, confirm_clear=False)
    answers = {**session.answers, **{s.question.id: s.answer for s in shown}}
    return go(dataclasses.replace(session, answers=answers), after_continue(check, answers, topic, session.changing))


def back(check: Check, session: CheckSession, topic: str, raw: Raw) -> CheckSession:
    """Back: what is answered on this screen is kept, what is missing or wrong is not asked for."""
    kept = {s.question.id: s.answer for s in screen(check, session.answers, topic, raw) if not s.problems}
    answers = {**session.answers, **kept}
    return go(dataclasses.replace(session, answers=answers), after_back(check, answers, topic))


def change(session: CheckSession, topic: str) -> CheckSession:
    """Change (on the review): that screen, then back to the review."""
    return go(dataclasses.replace(session, changing=True), topic)


def review_to_back(check: Check, session: CheckSession) -> CheckSession:
    return go(session, review_back(check, session.answers))


def ask_clear(session: CheckSession) -> CheckSession:
    return _moved(session, CLEAR_QUESTION, confirm_clear=True)


def keep(session: CheckSession) -> CheckSession:
    return _moved(session, CLEAR_BUTTON, confirm_clear=False)


def clear(session: CheckSession) -> CheckSession:
    """Every answer gone, and the start screen says so; the count of screens goes on (clearing is
    a move like any other)."""
    return _moved(CheckSession(visit=session.visit, answers_cleared=True), HEADING)
