"""How much a page view and an answer cost, measured in one run so the figures compare (not a test).

    .venv/bin/python -m bench.rerun

Prints the median time of: parsing all content (what happens once per process), fetching the
already-parsed content (what every rerun does), and a full script run of each page (AppTest,
no browser), next to an empty Streamlit script as the floor.
"""
from __future__ import annotations

import logging
import statistics
import tempfile
import time
import tomllib
from pathlib import Path

from streamlit.testing.v1 import AppTest

from components import compat
from trialguide.check import answers as parse
from trialguide.check.eligibility import CHECK_DIR, default
from trialguide.check.flow import CheckSession
from trialguide.domain import content
from trialguide.pages import registry as pages

ROOT = Path(__file__).resolve().parent.parent


def scenario_answers(name: str = "man") -> dict:
    """The scenario table's person (content/check/scenarios.toml), read as the check reads answers."""
    check = default()
    answers = {}
    for qid, given in tomllib.loads((CHECK_DIR / "scenarios.toml").read_text(encoding="utf-8"))["person"][name].items():
        question = check.questions[qid]
        if question.type == "choice":
            raw = {"choice": given}
        elif given in (parse.NORMAL, parse.UNSURE):
            raw = {"mode": given}
        else:
            value, uln = (given, None) if isinstance(given, str) else given
            raw = {"mode": parse.VALUE, "value": value, "uln": uln}
        answers[qid], problems = parse.read(question, raw)
        assert not problems, (qid, problems)
    return answers


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def page_run(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "components" / "main.py"), default_timeout=30)
    at.query_params["lang"] = "zh"
    at.run()
    if path:
        compat.open_page(at, path)
    return at


def check_run(step: str) -> AppTest:
    """The self-check on one screen with a full set of answers, as after an answer is given."""
    at = page_run("check")
    at.run()
    at.session_state["check"] = CheckSession(step=step, answers=scenario_answers())
    return at


def main() -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    print(f"parse all content (once per process): {median_ms(content.load, 20):8.2f} ms")
    content.default()
    print(f"get parsed content (every rerun):      {median_ms(content.default, 1000) * 1000:8.2f} us")
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.py"
        empty.write_text("import streamlit as st\nst.write('x')\n")
        at = AppTest.from_file(str(empty))
        floor = median_ms(at.run, 20)
    print(f"empty Streamlit script run (floor):    {floor:8.2f} ms")
    for screen in pages.pages():
        at = page_run(screen.path)
        ms = median_ms(at.run, 15)
        print(f"rerun /{screen.path:<14} (zh):          {ms:8.2f} ms  ({ms / floor:4.1f} x floor)")
    for step in ("organs", "review", "result"):
        at = check_run(step)
        ms = median_ms(at.run, 15)
        print(f"self-check rerun on {step:<8} (zh):       {ms:8.2f} ms  ({ms / floor:4.1f} x floor)")


if __name__ == "__main__":
    main()
