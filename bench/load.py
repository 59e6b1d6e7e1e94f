"""Many visitors at once, measured in one run (a benchmark, not a test).

    .venv/bin/python bench/load.py [--levels 10 50 100] [--think 1.0] [--stack]

A link posted in a patient group brings many phones at once. This starts the app as README
starts it and a bare one-widget Streamlit app as the floor, twice: with Streamlit's defaults,
and without the full garbage collection Streamlit runs after every script run (the app turns it
off in .streamlit/config.toml; with it, the bare app itself breaks at 50 sessions). For each
level it opens that many sessions together (over ``--ramp`` seconds). Each session speaks Streamlit's
real WebSocket protocol (``bench/wsclient.py``): it opens the home page, follows the link to the
self-check and walks it to a result with a full set of answers, one tap at a time, pausing
``--think`` seconds (on average, 0.5x to 1.5x) between taps as a reader would. The bare app's
sessions tap its one button as many times. ``--stack`` also runs the same walk through
deploy/stack.py (nginx in front of two replicas).

Per server and level: p50 and p95 of the time from a tap to the screen's new content (the run
finished), the same for opening the page, errors (exceptions on screen, timeouts, dropped
connections, a walk that did not reach its result), and the server's memory per session
(resident memory once every session has walked, minus before, divided by the sessions).
Then bench/rerun.py's rerun costs, so both reports come from one run.

The load generator shares this machine's two cores with the servers: the figures are an upper
bound on what a visitor would wait, and ratios within one run are what compare.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

from bench.firstload import BARE_APP, serving
from bench import wsclient
from bench.wsclient import Visitor

from trialguide.check.answers import NORMAL, UNSURE, VALUE, widget_of
from trialguide.check.eligibility import CHECK_DIR, default



def scenario_person(name: str = "man") -> dict:
    """A whole set of answers from the self-check's scenario table (content/check/scenarios.toml),
    as the walk types them: a choice's option id, ("value", text[, upper limit]), "normal" or "unsure"."""
    person = tomllib.loads((CHECK_DIR / "scenarios.toml").read_text(encoding="utf-8"))["person"][name]
    check = default()
    profile: dict = {}
    for qid, given in person.items():
        if check.questions[qid].type == "choice" or given in (NORMAL, UNSURE):
            profile[qid] = given
        else:
            profile[qid] = (VALUE, *given) if isinstance(given, list) else (VALUE, given)
    return profile


FINE_MAN = scenario_person()
TARGET_P95_S = 0.5
TARGET_SESSIONS = 50


@dataclass
class Walk:
    opens: list[float] = field(default_factory=list)
    taps: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def _pause(think: float) -> None:
    await asyncio.sleep(think * random.uniform(0.5, 1.5))


async def _answer(v: Visitor, key: str, profile: dict, think: float, walk: Walk) -> None:
    """One widget answered as a person would: a choice tapped, or a number typed."""
    check = default()
    qid, part = widget_of(key)
    question, answer = check.questions[qid], profile[qid]
    await _pause(think)
    if part == "mode":
        modes = [VALUE] + ([NORMAL] if question.normal else []) + ([UNSURE] if question.unsure else [])
        walk.taps.append(await v.choose(key, modes.index(answer if isinstance(answer, str) else answer[0])))
    elif part in ("value", "uln") or question.type == "number":
        walk.taps.append(await v.type(key, answer[2] if part == "uln" else answer[1]))
    else:
        walk.taps.append(await v.choose(key, question.options.index(answer)))


async def answer_to_result(v: Visitor, profile: dict, think: float, walk: Walk) -> None:
    """From the screen shown, every question answered screen by screen, then the result."""
    for _ in range(20):
        if "continue" not in v.screen.widgets:
            break
        done: set[str] = set()
        while todo := [k for k in v.screen.widgets if k not in done and widget_of(k)]:
            done.add(todo[0])
            await _answer(v, todo[0], profile, think, walk)
        await _pause(think)
        walk.taps.append(await v.tap("continue"))
        if v.screen.exceptions:
            break
    await _pause(think)
    walk.taps.append(await v.tap("see_result"))
    if v.screen.exceptions:
        walk.errors.append("exception: " + v.screen.exceptions[0][:80])
    elif "to_review" not in v.screen.widgets:
        walk.errors.append("did not reach the result")


async def walk_check(base: str, think: float, walk: Walk, lang: str, profile: dict = FINE_MAN) -> Visitor:
    """Home page, then the self-check from its start to a result."""
    v = Visitor(base)
    try:
        walk.opens.append(await v.open("/", f"lang={lang}"))
        await _pause(think)
        walk.taps.append(await v.go("check"))
        await _pause(think)
        walk.taps.append(await v.tap("start"))
        await answer_to_result(v, profile, think, walk)
    except Exception as exc:  # a timeout or a dropped connection is an error of the run, not of the bench
        walk.errors.append(f"{type(exc).__name__}: {exc}"[:100])
    return v


async def walk_bare(base: str, think: float, walk: Walk, taps: int) -> Visitor:
    v = Visitor(base)
    try:
        walk.opens.append(await v.open("/", ""))
        for _ in range(taps):
            await _pause(think)
            walk.taps.append(await v.tap(next(iter(v.screen.widgets))))
            if v.screen.exceptions:
                walk.errors.append("exception")
                break
    except Exception as exc:
        walk.errors.append(f"{type(exc).__name__}: {exc}"[:100])
    return v


def rss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def cpu_ns(pids: list[int]) -> int:
    """CPU time the processes have used, every thread, in nanoseconds."""
    return sum(int((task / "schedstat").read_text().split()[0]) for pid in pids for task in Path(f"/proc/{pid}/task").iterdir())


async def _cpu_per_rerun(v: Visitor, pids: list[int], fragment: str, times: int) -> float:
    before = cpu_ns(pids)
    for _ in range(times):
        await v.again(fragment)
    return (cpu_ns(pids) - before) / times / 1e6


def screen_name(v: Visitor) -> str:
    if "to_review" in v.screen.widgets:
        return "result"
    if "see_result" in v.screen.widgets:
        return "review"
    qid = next(widget_of(k)[0] for k in v.screen.widgets if widget_of(k))
    return default().questions[qid].topic


def wait_idle(pids: list[int], seconds: float = 60) -> None:
    """Until the servers use under 2% of a core (the app compresses Streamlit's files once, at start)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        before = cpu_ns(pids)
        time.sleep(0.5)
        if cpu_ns(pids) - before < 0.01e9:
            return


async def rerun_costs(app: str, app_pids: list[int], bare: str, bare_pids: list[int], times: int = 100) -> list[tuple[str, float, float]]:
    """Server CPU per rerun of each self-check screen, as a tap reruns it (the check's fragment)
    and as a whole page; the bare app's one rerun is the floor. (screen, fragment ms, page ms)."""
    wait_idle(app_pids + bare_pids)
    floor_visitor = Visitor(bare)
    await floor_visitor.open("/", "")
    floor = await _cpu_per_rerun(floor_visitor, bare_pids, "", times)
    await floor_visitor.close()
    v, walk = Visitor(app), Walk()
    await v.open("/check", "lang=zh")
    await v.tap("start")
    rows = [("empty-script floor (bare app)", floor, floor)]
    while True:
        fragment = v.fragment_of("clear")
        rows.append((screen_name(v), await _cpu_per_rerun(v, app_pids, fragment, times), await _cpu_per_rerun(v, app_pids, "", times)))
        if "to_review" in v.screen.widgets:
            break
        if "see_result" in v.screen.widgets:
            walk.taps.append(await v.tap("see_result"))
            continue
        done: set[str] = set()
        while todo := [k for k in v.screen.widgets if k not in done and widget_of(k)]:
            done.add(todo[0])
            await _answer(v, todo[0], FINE_MAN, 0.0, walk)
        walk.taps.append(await v.tap("continue"))
    await v.close()
    return rows


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def level(base: str, pids: list[int], sessions: int, think: float, ramp: float, kind: str, taps: int) -> dict:
    walks = [Walk() for _ in range(sessions)]
    before = rss_kb(pids)

    async def one(i: int) -> Visitor:
        await asyncio.sleep(ramp * i / max(1, sessions - 1))
        if kind == "bare":
            return await walk_bare(base, think, walks[i], taps)
        return await walk_check(base, think, walks[i], ("en", "zh")[i % 2])

    start = time.perf_counter()
    visitors = await asyncio.gather(*(one(i) for i in range(sessions)))
    elapsed = time.perf_counter() - start
    after = rss_kb(pids)  # every session still open, having walked
    await asyncio.gather(*(v.close() for v in visitors if v is not None), return_exceptions=True)
    taps_all = [t for w in walks for t in w.taps]
    opens = [t for w in walks for t in w.opens]
    errors = [e for w in walks for e in w.errors]
    return {
        "sessions": sessions, "steps": len(taps_all) // max(1, sessions), "tap_p50": pct(taps_all, 50), "tap_p95": pct(taps_all, 95),
        "tap_max": max(taps_all, default=float("nan")), "open_p50": pct(opens, 50), "open_p95": pct(opens, 95),
        "errors": len(errors), "first_error": errors[0] if errors else "", "mb_per_session": (after - before) / 1024 / sessions,
        "rss_mb": after / 1024, "seconds": elapsed,
    }


def count_check_taps(base: str) -> int:
    walk = Walk()
    asyncio.run(_one_walk(base, walk))
    if walk.errors:
        raise SystemExit(f"the self-check walk failed on its own: {walk.errors}")
    return len(walk.taps)


async def _one_walk(base: str, walk: Walk) -> None:
    v = await walk_check(base, 0.0, walk, "en")
    await v.close()


def run_levels(name: str, base: str, pids: list[int], args, kind: str, taps: int) -> list[dict]:
    rows = []
    for sessions in args.levels:
        row = asyncio.run(level(base, pids, sessions, args.think, args.ramp, kind, taps))
        row["server"] = name
        rows.append(row)
        print(f"  {name} x{sessions}: tap p95 {row['tap_p95'] * 1000:.0f} ms, errors {row['errors']}", file=sys.stderr, flush=True)
        time.sleep(2)
    return rows


def server_pid(base: str) -> list[int]:
    """The pid listening on base's port (streamlit run is one process)."""
    port = base.rsplit(":", 1)[1]
    out = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True).stdout
    return sorted({int(part.split("pid=")[1].split(",")[0]) for part in out.split() if "pid=" in part})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[10, 50, 100], help="concurrent sessions per level")
    parser.add_argument("--think", type=float, default=1.0, help="average seconds a visitor pauses between taps")
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds over which a level's sessions arrive")
    parser.add_argument("--stack", action="store_true", help="also through deploy/stack.py (nginx, two replicas)")
    parser.add_argument("--no-reruns", action="store_true", help="skip bench/rerun.py's rerun costs")
    args = parser.parse_args()
    random.seed(8)
    logs = Path(tempfile.mkdtemp(prefix="load-"))
    (logs / "bare").mkdir()
    (logs / "bare" / "bare.py").write_text(BARE_APP)

    rows: list[dict] = []
    no_gc = ("--runner.postScriptGC", "false")  # as the app's .streamlit/config.toml sets it
    with serving("bare.py", logs / "bare", logs / "bare.log") as bare, serving("app.py", ROOT, logs / "app.log") as app, \
            serving("bare.py", logs / "bare", logs / "bare-nogc.log", no_gc) as bare_no_gc:
        taps = count_check_taps(app)
        print(f"one walk of the self-check: {taps} taps after opening the page", file=sys.stderr)
        costs = asyncio.run(rerun_costs(app, server_pid(app), bare_no_gc, server_pid(bare_no_gc)))
        rows += run_levels("bare", bare, server_pid(bare), args, "bare", taps)
        rows += run_levels("bare, no post-run GC", bare_no_gc, server_pid(bare_no_gc), args, "bare", taps)
        rows += run_levels("app", app, server_pid(app), args, "check", taps)
    if args.stack:
        from deploy.stack import Stack

        # One address plays hundreds of phones here: without the per-address limits it would
        # measure them, not the stack (deploy/README.md, "Rate limits").
        with Stack(logs / "stack", rate_limits=False) as stack:
            wsclient.DEFAULT_VERIFY = stack.ssl_context()  # its self-signed loopback certificate
            rows += run_levels(f"stack ({len(stack.replicas)} replicas)", stack.base, stack.replica_pids(), args, "check", taps)

    print(f"\nLoad: each session opens the home page, then walks the self-check to a result ({taps} taps; the bare app: "
          f"as many taps on its button). Think time {args.think} s on average; sessions arrive over {args.ramp} s. "
          f"Streamlit's WebSocket protocol; Python {sys.version.split()[0]}, {os.cpu_count()} cores shared with the load generator.\n")
    print("| server | sessions | taps each | tap p50 ms | tap p95 ms | tap max ms | open p50 ms | open p95 ms | errors | MB per session | server RSS MB | p95 x bare (no GC) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    floor = {row["sessions"]: row["tap_p95"] for row in rows if row["server"] == "bare, no post-run GC"}
    for row in rows:
        ratio = row["tap_p95"] / floor[row["sessions"]] if floor.get(row["sessions"]) else float("nan")
        print(f"| {row['server']} | {row['sessions']} | {row['steps']} | {row['tap_p50'] * 1000:.0f} | {row['tap_p95'] * 1000:.0f} | "
              f"{row['tap_max'] * 1000:.0f} | {row['open_p50'] * 1000:.0f} | {row['open_p95'] * 1000:.0f} | {row['errors']} | "
              f"{row['mb_per_session']:.2f} | {row['rss_mb']:.0f} | {ratio:.1f} |")
    for row in rows:
        if row["first_error"]:
            print(f"first error, {row['server']} x{row['sessions']}: {row['first_error']}")
    for row in rows:
        if not row["server"].startswith("bare") and row["sessions"] == TARGET_SESSIONS:
            ok = row["tap_p95"] <= TARGET_P95_S and row["errors"] == 0
            print(f"target for {row['server']}: {TARGET_SESSIONS} sessions, p95 {row['tap_p95'] * 1000:.0f} ms "
                  f"(target {TARGET_P95_S * 1000:.0f}), errors {row['errors']} (target 0): {'ok' if ok else 'MISSED'}")
    floor = costs[0][1]
    print("\nServer CPU per rerun, one visitor, 100 reruns of each screen over the same protocol (ms; x the bare app's rerun, "
          "both without the post-run GC):\n")
    print("| screen | a tap in the check (fragment) | x floor | the whole page | x floor |")
    print("|---|---|---|---|---|")
    for name, fragment_ms, page_ms in costs:
        print(f"| {name} | {fragment_ms:.2f} | {fragment_ms / floor:.1f} | {page_ms:.2f} | {page_ms / floor:.1f} |")
    if not args.no_reruns:
        print("\nRerun cost (bench/rerun.py, same run):\n")
        print(subprocess.run([sys.executable, "-m", "bench.rerun"], capture_output=True, text=True, cwd=ROOT).stdout)


if __name__ == "__main__":
    main()
