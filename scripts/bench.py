"""How much a page view and an answer cost, measured in one run so the figures compare (not a test).

    .venv/bin/python scripts/bench.py

Prints the median time of: parsing all content (what happens once per process), fetching the
already-parsed content (what every rerun does), and a full script run of each page (AppTest,
no browser), next to an empty Streamlit script as the floor.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import logging  # noqa: E402

from streamlit.testing.v1 import AppTest  # noqa: E402

from components.registry import PAGES  # noqa: E402
from trialguide.domain import content  # noqa: E402


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
        at._page_hash = next(h for h, i in at._registered_pages.items() if i.get("url_pathname") == path)
    return at


def check_run(step: str) -> AppTest:
    """The self-check on one screen with a full set of answers, as after an answer is given."""
    from tests.test_eligibility import FINE

    at = page_run("check")
    at.run()
    at.session_state["check"] = {"step": step, "answers": dict(FINE), "errors": {}, "back_to_review": False}
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
    for screen in PAGES:
        at = page_run(screen.path)
        ms = median_ms(at.run, 15)
        print(f"rerun /{screen.path:<14} (zh):          {ms:8.2f} ms  ({ms / floor:4.1f} x floor)")
    for step in ("organs", "review", "result"):
        at = check_run(step)
        ms = median_ms(at.run, 15)
        print(f"self-check rerun on {step:<8} (zh):       {ms:8.2f} ms  ({ms / floor:4.1f} x floor)")


if __name__ == "__main__":
    main()
