"""The scenario table (content/check/scenarios.toml): patients written from the registry's words,
each run through the rules and through a walk of the self-check's screens as that patient would
answer them. A truthful patient must get the outcome the registry's words give."""
from __future__ import annotations

import tomllib

import pytest

from trialguide.check import answers as parse
from trialguide.domain import content
from trialguide.check import flow
from trialguide.check.eligibility import CHECK_DIR, Outcome, Status, evaluate, load

CHECK = load()
TABLE = tomllib.loads((CHECK_DIR / "scenarios.toml").read_text(encoding="utf-8"))
SCENARIOS = TABLE["scenario"]
BULLETS = {item["id"]: item["text"] for kind in ("inclusion", "exclusion") for item in content.default().registry[kind]}
BY_ID = {c.id: c for c in CHECK.criteria}
OUTCOME = {Status.MET: Outcome.NOTHING_RULES_OUT, Status.NOT_ASKED: Outcome.NOTHING_RULES_OUT,
           Status.UNKNOWN: Outcome.CHECK_WITH_DOCTOR, Status.NOT_MET: Outcome.PROBABLY_NOT}


def typed(scenario: dict) -> dict:
    """What the patient would type or choose, question by question."""
    person = dict(TABLE["person"][scenario.get("person", "man")])
    for qid, value in scenario.get("answers", {}).items():
        if value == "":
            person.pop(qid, None)
        else:
            person[qid] = value
    return person


def raw(qid: str, value) -> dict:
    if CHECK.questions[qid].type == "choice":
        return {"choice": value}
    if value in (parse.NORMAL, parse.UNSURE):
        return {"mode": value}
    if isinstance(value, list):
        return {"mode": parse.VALUE, "value": value[0], "uln": value[1]}
    return {"mode": parse.VALUE, "value": value}


def answer(qid: str, value):
    result, problems = parse.read(CHECK.questions[qid], raw(qid, value))
    assert not problems, f"{qid}={value!r} is refused: {problems}"
    return result


def walk(person: dict) -> dict:
    """Every screen in order, each question that shows answered as the patient would; the
    answers the flow collected by the review."""
    answers: dict = {}
    step = flow.first_topic(CHECK, answers)
    for _ in range(len(CHECK.topics) + 1):
        if step == flow.REVIEW:
            break
        for question in (q for q in CHECK.questions.values() if q.topic == step):
            if CHECK.visible(question, answers):
                assert question.id in person, f"the screen {step!r} asks {question.id!r}, which this patient was not given"
                answers[question.id] = answer(question.id, person[question.id])
        step = flow.after_continue(CHECK, answers, step, changing=False)
    assert step == flow.REVIEW and flow.result_ready(CHECK, answers)
    return answers


def test_the_people_fit():
    for name, person in TABLE["person"].items():
        result = evaluate(CHECK, walk(person))
        assert result.outcome is Outcome.NOTHING_RULES_OUT, (name, [c.id for c in result.not_met + result.unknown])


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[f"{s['criterion']}: {s['who']}" for s in SCENARIOS])
def test_scenario(scenario):
    criterion = BY_ID[scenario["criterion"]]
    assert scenario["words"] in BULLETS[criterion.source], "the words must be the registry's, verbatim"
    expected = Status(scenario["expect"])
    kind = scenario["kind"]
    assert kind in ("meets", "fails", "unknown", "boundary", "unclear")
    assert kind != "meets" or expected is Status.MET
    result = evaluate(CHECK, walk(typed(scenario)))
    assert result.statuses[criterion.id] is expected, scenario["who"]
    if kind == "fails":  # a patient who fails it never hears it fits
        decided = scenario.get("decided_by", criterion.id)
        assert result.statuses[decided] in (Status.NOT_MET, Status.UNKNOWN), scenario["who"]
        assert decided == criterion.id or result.statuses[decided] is Status.NOT_MET
    others = [c.id for c in result.not_met + result.unknown if c.id != criterion.id]
    if not others:  # the patient is otherwise fine: the outcome is this criterion's
        assert result.outcome is OUTCOME[expected], scenario["who"]


def test_every_criterion_has_a_patient_who_meets_it_and_one_who_fails_it():
    kinds: dict[str, set] = {}
    for s in SCENARIOS:
        kinds.setdefault(s["criterion"], set()).add(s["kind"])
    missing = [c.id for c in CHECK.criteria if not c.doctor and not {"meets", "fails"} <= kinds.get(c.id, set())]
    assert missing == []


def test_every_unclear_reading_has_a_check_with_your_doctor_row():
    unclear = {s["criterion"] for s in SCENARIOS if s["kind"] == "unclear" and s["expect"] == "unknown"}
    missing = [c.id for c in CHECK.criteria if "reading" in c.text["en"] and c.id not in unclear]
    assert missing == []


def test_a_fails_row_that_is_not_ruled_out_rests_on_an_unclear_reading():
    """"Probably not" only where the words plainly exclude; where a patient who fails the words
    hears "check with your doctor", the criterion says why (its reading, shown to doctors)."""
    soft = {s["criterion"] for s in SCENARIOS if s["kind"] == "fails" and s["expect"] == "unknown"}
    assert [cid for cid in soft if "reading" not in BY_ID[cid].text["en"]] == []
