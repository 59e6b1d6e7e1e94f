"""Where the self-check goes next: the order of its screens, as pure functions of the answers.

GOV.UK's question-page and check-answers patterns: one topic per screen, Back and Continue, a
review with a Change link per answer. A change made from the review that opens new questions
(a woman's pregnancy questions after "sex" is changed, say) asks them first, then returns to
the review; a change that closes them simply returns. Nothing here stores anything.
"""
from __future__ import annotations

from typing import Any, Mapping

from trialguide.check.eligibility import Check, Question

START, REVIEW, RESULT = "start", "review", "result"


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
