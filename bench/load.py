"""Many visitors at once, measured in one run (a benchmark, not a test).

    .venv/bin/python -m bench.load [--levels 10 50 100] [--think 1.0] [--stack [--replicas 2 4]] [--only-stack]
    .venv/bin/python -m bench.load --soak 1200 [--soak-sessions 50] [--replicas 2]
    .venv/bin/python -m bench.load --rolling-restart [--restart-sessions 40]
    .venv/bin/python -m bench.load --only-stack --levels 200 --profile   # py-spy on a replica: where its CPU goes

A link posted in a patient group brings many phones at once. This starts the app as README
starts it and a bare one-widget Streamlit app as the floor, twice: with Streamlit's defaults,
and without the full garbage collection Streamlit runs after every script run (the app turns it
off in .streamlit/config.toml; with it, the bare app itself breaks at 50 sessions). For each
level it opens that many sessions together (over ``--ramp`` seconds). Each session speaks Streamlit's
real WebSocket protocol (``bench/wsclient.py``): it opens the home page, follows the link to the
self-check and walks it to a result with a full set of answers, one tap at a time, pausing
``--think`` seconds (on average, 0.5x to 1.5x) between taps as a reader would. The bare app's
sessions tap its one button as many times. ``--stack`` also runs the same walk through
deploy/stack.py (nginx in front of the app's replicas), once per count in ``--replicas`` (two
unless told); ``--only-stack`` leaves out the app and the bare app with Streamlit's defaults (and
the rerun costs, which need them), and keeps the floor.

Per server and level: p50 and p95 of the time from a tap to the screen's new content (the run
finished), the same for opening the page, errors (exceptions on screen, timeouts, dropped
connections, a walk that did not reach its result), and the server's memory per session
(resident memory once every session has walked, minus before, divided by the sessions). Then,
per server, the level at which tap p95 first passes 500 ms; the targets (p95 at most 500 ms and
no error at 50 and at 200 sessions); and bench/rerun.py's rerun costs, so both reports come from
one run.

``--soak SECONDS`` holds a crowd instead: ``--soak-sessions`` visitors (50) walk the self-check
through the stack (``--replicas``, two) again and again, each walk a new visitor (a new session,
closed at its result: Streamlit keeps it for ``server.disconnectedSessionTTL``, at most 128 per
replica, the least recently used dropped first). Every minute it reads each replica's resident
memory; it prints them with the walks, errors and tap p95 of that minute, and each replica's
growth after warm-up to the end against the target (at most 10%, no error). Warm-up lasts until
replicas x 128 walks have ended, when each replica's store of closed sessions can be full (by
design memory grows until then); ``--soak-warmup MINUTE`` sets it instead.

``--rolling-restart`` has ``--restart-sessions`` visitors (40) walk through two replicas, each
with its own routing cookie (a phone keeps its cookie), while replica 0 and then replica 1 stop
gracefully (SIGTERM, as a rolling update does) and start again. A visitor whose connection drops
does what the page does: Streamlit's reconnect, then the app's page.js asks for the page again;
the walk goes on from the screen it gets. Per restart: visitors on the other replica (their taps,
p95 and failures, target 0), and for those on the restarted one whether the page said their
answers were lost, in their language, rather than starting again silently or failing. A
visitor's replica is its cookie's, or the other one while nginx cannot send it there; a
connection opened while a replica stops or comes back is counted apart (nginx's choice unknown).

``--profile`` samples one replica of each stack level with py-spy (the thread holding Python's
interpreter only: waiting threads are not counted) and prints where that replica's time went: the app's own code, Streamlit's script
run, its messages (protobuf, the WebSocket, the event loop), and the functions that used most.

The load generator shares this machine's two cores with the servers: the figures are an upper
bound on what a visitor would wait, and ratios within one run are what compare.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import inspect
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

import httpx
from streamlit.runtime.memory_session_storage import MemorySessionStorage
from websockets.exceptions import ConnectionClosed

from bench.firstload import BARE_APP, serving
from bench import wsclient
from bench.wsclient import Visitor

from components.compat import RECONNECT_KEY
from trialguide.check.answers import NORMAL, UNSURE, VALUE, widget_of
from trialguide.check.eligibility import CHECK_DIR, default
from trialguide.domain import i18n
from trialguide.domain.locales import LANGS



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
TARGET_SESSIONS = (50, 200)  # the first crowd target, and issue 20's "crowd held for an afternoon"
TARGET_GROWTH = 0.10  # a soak's memory growth per replica after its warm-up
# How many closed sessions a replica keeps (Streamlit's MemorySessionStorage, as the server makes it).
STORED_SESSIONS = inspect.signature(MemorySessionStorage.__init__).parameters["maxsize"].default
# components/check.py's notice after a lost server, in each visitor's language.
LOST = "The connection to the study's server was lost, and your answers with it. Please start the check again."


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
        profiling = args.profile and name.startswith("stack")
        with py_spy(pids[0], Path(tempfile.mkdtemp(prefix="py-spy-")) / "stacks.txt") if profiling else contextlib.nullcontext() as stacks:
            row = asyncio.run(level(base, pids, sessions, args.think, args.ramp, kind, taps))
        row["server"] = name
        rows.append(row)
        print(f"  {name} x{sessions}: tap p95 {row['tap_p95'] * 1000:.0f} ms, errors {row['errors']}", file=sys.stderr, flush=True)
        if profiling:
            print(f"\nWhere one replica's CPU went, {name}, {sessions} sessions (py-spy, {stacks}):\n{where_the_time_went(stacks)}")
        time.sleep(2)
    return rows


PY_SPY = "py-spy==0.4.3"


@contextlib.contextmanager
def py_spy(pid: int, out: Path):
    """py-spy records ``pid``'s thread holding the interpreter (collapsed stacks, 100 samples a
    second) while inside: Python's CPU alone. Without --gil a thread waiting for the interpreter
    (after each message's wake-up of the event loop, say) is counted as working."""
    binary = Path(sys.executable).with_name("py-spy")
    if not binary.exists():  # a benchmark's tool, not the app's or the tests': installed when first asked for
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", PY_SPY], check=True)
    spy = subprocess.Popen([str(binary), "record", "--pid", str(pid), "--rate", "100", "--gil",
                            "--format", "raw", "--output", str(out), "--nonblocking"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield out
    finally:
        spy.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        spy.wait(timeout=60)


# Where a sample's time is counted: the innermost frame that names one of these (first match wins).
# py-spy names a file under the working directory by its relative path: "render (components/check.py:121)".
OURS = ("(trialguide/", "(components/", "(app.py:")
AREAS = [
    ("the app's own code (trialguide/, components/)", OURS),
    ("Streamlit: the script run (widgets, elements, session state)", ("streamlit/runtime/scriptrunner", "streamlit/elements",
                                                                     "streamlit/runtime/state", "streamlit/navigation",
                                                                     "streamlit/commands", "streamlit/delta_generator")),
    ("Streamlit: messages out (forward-message queue, protobuf)", ("streamlit/runtime/forward_msg", "streamlit/runtime/app_session",
                                                                  "google/protobuf", "streamlit/proto")),
    ("the server: WebSocket, HTTP, event loop", ("streamlit/web/", "starlette/", "uvicorn/", "websockets/", "h11/", "asyncio/",
                                                  "selectors.py", "anyio/")),
]


def where_the_time_went(stacks: Path, top: int = 15) -> str:
    """py-spy's collapsed stacks, summed by area (the innermost frame that names one) and by function."""
    areas: dict[str, int] = {}
    own: dict[str, int] = {}
    total = under_ours = 0
    for line in stacks.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        area = next((name for frame in reversed(frames) for name, marks in AREAS if any(m in frame for m in marks)), "other")
        areas[area] = areas.get(area, 0) + n
        own[frames[-1]] = own.get(frames[-1], 0) + n
        under_ours += n if any(m in stack for m in OURS) else 0
    if not total:
        return "(no samples)"
    lines = ["| where | share of CPU samples |", "|---|---|"]
    lines += [f"| {name} | {n / total:.0%} |" for name, n in sorted(areas.items(), key=lambda kv: -kv[1])]
    lines += ["", f"Under a call from the app's own code (Streamlit's work it asked for included): {under_ours / total:.0%}"]
    lines += ["", f"The {top} functions with the most samples of their own ({total} samples in all):", ""]
    lines += [f"- {n / total:5.1%}  {frame}" for frame, n in sorted(own.items(), key=lambda kv: -kv[1])[:top]]
    return "\n".join(lines)


def server_pid(base: str) -> list[int]:
    """The pid listening on base's port (streamlit run is one process)."""
    port = base.rsplit(":", 1)[1]
    out = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True).stdout
    return sorted({int(part.split("pid=")[1].split(",")[0]) for part in out.split() if "pid=" in part})


def crowd(args, logs: Path) -> None:
    """The levels: the floor, the app and the bare app unless --only-stack, then each stack."""
    (logs / "bare").mkdir()
    (logs / "bare" / "bare.py").write_text(BARE_APP)
    rows: list[dict] = []
    costs: list[tuple[str, float, float]] = []
    no_gc = ("--runner.postScriptGC", "false")  # as the app's .streamlit/config.toml sets it
    with serving("bare.py", logs / "bare", logs / "bare-nogc.log", no_gc) as bare_no_gc, serving("app.py", ROOT, logs / "app.log") as app:
        taps = count_check_taps(app)
        print(f"one walk of the self-check: {taps} taps after opening the page", file=sys.stderr)
        wait_idle(server_pid(app) + server_pid(bare_no_gc))  # the app compresses Streamlit's files at start
        if not args.only_stack:
            costs = asyncio.run(rerun_costs(app, server_pid(app), bare_no_gc, server_pid(bare_no_gc)))
            with serving("bare.py", logs / "bare", logs / "bare.log") as bare:
                rows += run_levels("bare", bare, server_pid(bare), args, "bare", taps)
        rows += run_levels("bare, no post-run GC", bare_no_gc, server_pid(bare_no_gc), args, "bare", taps)
        if not args.only_stack:
            rows += run_levels("app", app, server_pid(app), args, "check", taps)
    if args.stack or args.only_stack:
        for replicas in args.replicas:
            with load_stack(logs / f"stack-{replicas}", replicas) as stack:
                rows += run_levels(f"stack ({replicas} replicas)", stack.base, stack.replica_pids(), args, "check", taps)

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
    print(f"\nWhere tap p95 first passes {TARGET_P95_S * 1000:.0f} ms:\n")
    for server in dict.fromkeys(row["server"] for row in rows):
        levels = sorted((row for row in rows if row["server"] == server), key=lambda row: row["sessions"])
        crossed = next((row for row in levels if not row["tap_p95"] <= TARGET_P95_S), None)  # no tap at all counts too
        print(f"- {server}: " + (f"at {crossed['sessions']} sessions (p95 {crossed['tap_p95'] * 1000:.0f} ms)" if crossed else
                                 f"not within the levels run (up to {levels[-1]['sessions']} sessions)"))
    print()
    for row in rows:
        if not row["server"].startswith("bare") and row["sessions"] in TARGET_SESSIONS:
            ok = row["tap_p95"] <= TARGET_P95_S and row["errors"] == 0
            print(f"target for {row['server']}: {row['sessions']} sessions, p95 {row['tap_p95'] * 1000:.0f} ms "
                  f"(target {TARGET_P95_S * 1000:.0f}), errors {row['errors']} (target 0): {'ok' if ok else 'MISSED'}")
    if costs:
        floor_ms = costs[0][1]
        print("\nServer CPU per rerun, one visitor, 100 reruns of each screen over the same protocol (ms; x the bare app's rerun, "
              "both without the post-run GC):\n")
        print("| screen | a tap in the check (fragment) | x floor | the whole page | x floor |")
        print("|---|---|---|---|---|")
        for name, fragment_ms, page_ms in costs:
            print(f"| {name} | {fragment_ms:.2f} | {fragment_ms / floor_ms:.1f} | {page_ms:.2f} | {page_ms / floor_ms:.1f} |")
    if not args.no_reruns and not args.only_stack:
        print("\nRerun cost (bench/rerun.py, same run):\n")
        print(subprocess.run([sys.executable, "-m", "bench.rerun"], capture_output=True, text=True, cwd=ROOT).stdout)


@contextlib.contextmanager
def load_stack(run: Path, replicas: int):
    """deploy/stack.py's stack as a load generator uses it, idle once it has started."""
    from deploy.stack import Stack

    # One address plays hundreds of phones here: without the per-address limits it would
    # measure them, not the stack (deploy/README.md, "Rate limits").
    with Stack(run, replicas=replicas, rate_limits=False) as stack:
        wsclient.DEFAULT_VERIFY = stack.ssl_context()  # its self-signed loopback certificate
        wait_idle(stack.replica_pids())
        yield stack


# ---- A crowd held for a long time (--soak) ----


async def soak(base: str, pids: list[int], seconds: float, sessions: int, think: float, ramp: float):
    """``sessions`` visitors walk the self-check again and again for ``seconds``, each walk a new
    visitor that closes at its result. Returns (minute, each replica's RSS MB) from minute 0 (before
    the first walk) and (seconds from the start at each walk's end, the walk)."""
    start = time.monotonic()
    done: list[tuple[float, Walk]] = []

    async def visitor(i: int) -> None:
        await asyncio.sleep(ramp * i / max(1, sessions - 1))
        n = 0
        while time.monotonic() - start < seconds:
            walk = Walk()
            v = await walk_check(base, think, walk, LANGS[(i + n) % len(LANGS)])
            with contextlib.suppress(Exception):  # a dropped connection is already the walk's error
                await v.close()
            done.append((time.monotonic() - start, walk))
            n += 1

    async def sample() -> list[tuple[int, list[float]]]:
        samples = []
        for minute in range(int(seconds // 60) + 1):
            await asyncio.sleep(max(0.0, start + 60 * minute - time.monotonic()))
            samples.append((minute, [rss_kb([pid]) / 1024 for pid in pids]))
        return samples

    samples, *_ = await asyncio.gather(sample(), *(visitor(i) for i in range(sessions)))
    return samples, done


def run_soak(args, logs: Path) -> None:
    replicas = args.replicas[0]
    with load_stack(logs / "stack", replicas) as stack:
        print(f"soak: {args.soak_sessions} visitors for {args.soak:.0f} s through {stack.base}", file=sys.stderr, flush=True)
        samples, done = asyncio.run(soak(stack.base, stack.replica_pids(), args.soak, args.soak_sessions, args.think, args.ramp))
    print(f"\nSoak: {args.soak_sessions} visitors walk the self-check to a result again and again for {args.soak:.0f} s through "
          f"nginx and {replicas} replicas, each walk a new visitor (a new session, closed at its result); think time "
          f"{args.think} s on average. Resident memory of each replica at each minute; walks that ended in the minute before, "
          f"their errors and tap p95. {os.cpu_count()} cores shared with the load generator.\n")
    names = [f"replica {i} RSS MB" for i in range(replicas)]
    print(f"| minute | {' | '.join(names)} | walks | errors | tap p95 ms |")
    print("|---|" + "---|" * (len(names) + 3))
    for minute, mb in samples:
        walks = [w for at, w in done if minute - 1 < at / 60 <= minute] if minute else []
        taps = [t for w in walks for t in w.taps]
        p95 = f"{pct(taps, 95) * 1000:.0f}" if taps else "-"
        print(f"| {minute} | {' | '.join(f'{m:.0f}' for m in mb)} | {len(walks)} | {sum(len(w.errors) for w in walks)} | {p95} |")
    errors = [e for _, w in done for e in w.errors]
    late = sum(1 for at, _ in done if at / 60 > samples[-1][0])
    print(f"\n{len(done)} walks ({late} of them ended after the last sample, while the last visitors finished), "
          f"{len(errors)} errors (target 0)." + (f" First error: {errors[0]}" if errors else ""))
    # Warm-up: until every replica's store of closed sessions can be full. Streamlit keeps at most
    # STORED_SESSIONS of them per replica (its MemorySessionStorage), the oldest dropped first, so
    # memory grows until then by design; what must stay flat is what comes after.
    filled = next((minute for minute, _ in samples if sum(1 for at, _ in done if at / 60 <= minute) >= replicas * STORED_SESSIONS), None)
    warm = args.soak_warmup if args.soak_warmup is not None else filled
    if warm is None or warm >= samples[-1][0]:
        print(f"The replicas' stores of closed sessions ({STORED_SESSIONS} each) did not fill before the end: "
              f"soak longer to see memory after warm-up.")
        warm = min(5, samples[-1][0])
    elif args.soak_warmup is None:
        print(f"Warm-up: until minute {warm}, when {replicas} x {STORED_SESSIONS} walks had ended "
              f"(each replica's store of closed sessions can be full).")
    for i, (first, last) in enumerate(zip(samples[warm][1], samples[-1][1])):
        growth = (last - first) / first
        print(f"replica {i}: {first:.0f} MB at minute {warm}, {last:.0f} MB at minute {samples[-1][0]}: {growth:+.1%} "
              f"(target at most +{TARGET_GROWTH:.0%}): {'ok' if growth <= TARGET_GROWTH else 'MISSED'}"
              f"; from minute 0: {(last - samples[0][1][i]) / samples[0][1][i]:+.1%}")


# ---- Replicas restarted one after the other under a crowd (--rolling-restart) ----


@dataclass
class Event:
    at: float  # time.monotonic()
    visitor: int
    replica: int | None  # the replica the visitor's connection went to; None when it cannot be told
    # "tap" (detail: seconds), "error" (detail: what), "drop" (the connection closed under it), then
    # after the reconnect: "notice" (answers lost, in the visitor's language), "wrong language",
    # "silent" (started again, not told), "resumed" (the same session kept)
    kind: str
    detail: float | str = ""


@dataclass
class Phase:
    replica: int
    stop: float = 0.0  # SIGTERM sent
    exited: float = 0.0
    healthy: float = 0.0  # started again, answering its health check
    back: float = 0.0  # nginx sends it its visitors again
    end: float = 0.0  # settled


def routed_to(stack, route: str, client: httpx.Client) -> int:
    """The replica that answered this routing cookie, from nginx's access log, as tests/stack's
    served_by reads it. Asked on /healthz, which no walking visitor uses, so their lines never mix in."""
    log = stack.run / "nginx-access.log"
    before = len(log.read_text().splitlines())
    client.get("/healthz", headers={"Cookie": f"tg_route={route}"}).raise_for_status()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # nginx writes a request's line just after answering it
        mine = [line for line in log.read_text().splitlines()[before:] if " /healthz " in line]
        if mine:
            # up=127.0.0.1:A, 127.0.0.1:B when nginx tried A first: B answered
            answered = mine[-1].split("up=")[1].split(" cache=")[0].split(", ")[-1]
            return stack.replica_ports.index(int(answered.rsplit(":", 1)[1]))
        time.sleep(0.02)
    raise RuntimeError("nginx wrote no access-log line for /healthz")


def routes(stack, per_replica: int) -> list[list[str]]:
    """Routing cookies (32 hex digits, as nginx makes them) that nginx sends to each replica."""
    found: list[list[str]] = [[] for _ in stack.replicas]
    with httpx.Client(base_url=stack.base, verify=stack.ssl_context(), timeout=10) as client:
        while any(len(f) < per_replica for f in found):
            route = secrets.token_hex(16)
            found[routed_to(stack, route, client)].append(route)
    return [f[:per_replica] for f in found]


def wait_routed(stack, route: str, replica: int, seconds: float = 60) -> None:
    """Until nginx sends this cookie's visitors to their replica again (after its fail_timeout)."""
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=stack.base, verify=stack.ssl_context(), timeout=10) as client:
        while routed_to(stack, route, client) != replica:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not send visitors to replica {replica} again")
            time.sleep(0.5)


def reconnect_outcome(v: Visitor, lang: str, had: str) -> str:
    if v.screen.exceptions:
        return "error"
    if v.session_id == had:
        return "resumed"
    said = " ".join(v.screen.texts)
    if i18n.translator(i18n.default(), lang)(LOST) in said:
        return "notice"
    if any(i18n.translator(i18n.default(), other)(LOST) in said for other in LANGS):
        return "wrong language"
    return "silent"


async def walk_through_restarts(base: str, i: int, route: str, home: int, think: float, state: dict[int, str],
                                stop: asyncio.Event, events: list[Event]) -> None:
    """One phone (its routing cookie kept) walking the self-check again and again until ``stop``.
    A dropped connection is met as the page meets it: Streamlit's reconnect, page.js's request for
    the page again (the hidden button), and the walk goes on from the screen shown."""
    lang = LANGS[i % len(LANGS)]

    def placed() -> int | None:
        # Two replicas: the visitor's own while it is up, the other while it is down; while it
        # stops or comes back, nginx may send the visitor either way.
        return {"up": home, "down": 1 - home}.get(state[home])

    while not stop.is_set():
        v = Visitor(base)
        v.cookies.set("tg_route", route)
        connections = [(time.monotonic(), placed())]
        walk, dropped = Walk(), False
        try:
            walk.opens.append(await v.open("/", f"lang={lang}"))
            while "to_review" not in v.screen.widgets and not walk.errors:
                try:
                    if dropped:
                        had = v.session_id
                        await v.reconnect()
                        connections.append((time.monotonic(), placed()))
                        await v.tap(RECONNECT_KEY)
                        if v.page_hash != v.pages["check"]:
                            await v.go("check")  # the notice is on the check's first screen
                        events.append(Event(time.monotonic(), i, connections[-2][1], reconnect_outcome(v, lang, had)))
                        dropped = False
                        continue
                    await _pause(think)
                    if v.page_hash != v.pages["check"]:
                        await v.go("check")
                    elif "start" in v.screen.widgets:
                        await v.tap("start")
                    else:
                        await answer_to_result(v, FINE_MAN, think, walk)
                except ConnectionClosed:
                    events.append(Event(time.monotonic(), i, connections[-1][1], "drop"))
                    dropped = True
        except Exception as exc:  # a timeout, a failed request: an error of the run
            walk.errors.append(f"{type(exc).__name__}: {exc}"[:100])
        with contextlib.suppress(Exception):
            await v.close()
        now = time.monotonic()
        events += [Event(now, i, connections[-1][1], "error", e) for e in walk.errors]
        for at, seconds in v.round_trips:
            events.append(Event(at, i, [r for t, r in connections if t <= at][-1], "tap", seconds))
        if not walk.errors:
            events.append(Event(now, i, connections[-1][1], "walk"))


async def rolling_restart(stack, sessions: int, think: float, ramp: float, warm: float = 30, settle: float = 30):
    cookies = routes(stack, (sessions + 1) // 2)
    state = {i: "up" for i in range(len(stack.replicas))}
    stop, events, phases = asyncio.Event(), [], []

    async def conduct() -> None:
        await asyncio.sleep(ramp + warm)
        for k in range(len(stack.replicas)):
            phase = Phase(k, stop=time.monotonic())
            phases.append(phase)
            print(f"  stopping replica {k}", file=sys.stderr, flush=True)
            state[k] = "stopping"
            await asyncio.to_thread(stack.stop, k)
            phase.exited, state[k] = time.monotonic(), "down"
            await asyncio.to_thread(stack.restart, k)
            phase.healthy, state[k] = time.monotonic(), "returning"
            await asyncio.to_thread(wait_routed, stack, cookies[k][0], k)
            phase.back, state[k] = time.monotonic(), "up"
            await asyncio.sleep(settle)
            phase.end = time.monotonic()
        stop.set()

    async def visitor(i: int) -> None:
        await asyncio.sleep(ramp * i / max(1, sessions - 1))
        await walk_through_restarts(stack.base, i, cookies[i % 2][i // 2], i % 2, think, state, stop, events)

    await asyncio.gather(conduct(), *(visitor(i) for i in range(sessions)))
    return phases, events


def run_rolling_restart(args, logs: Path) -> None:
    with load_stack(logs / "stack", 2) as stack:
        print(f"rolling restart: {args.restart_sessions} visitors through {stack.base}", file=sys.stderr, flush=True)
        phases, events = asyncio.run(rolling_restart(stack, args.restart_sessions, args.think, args.ramp))
    print(f"\nRolling restart: {args.restart_sessions} visitors, half with a routing cookie for each of 2 replicas, walk the "
          f"self-check again and again (think time {args.think} s on average) while replica 0, then replica 1, stops "
          f"gracefully (SIGTERM), starts again on its port and is back in nginx's rotation, then 30 s settle. Each restart's "
          f"window runs from its SIGTERM to the end of its settling. {os.cpu_count()} cores shared with the load generator.\n")
    print("| restart | SIGTERM to exit s | to healthy s | to back in nginx s | connections dropped (visitors) | "
          "answers-lost notice | wrong language | silent reset | resumed | other errors |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for ph in phases:
        mine = [e for e in events if ph.stop <= e.at <= ph.end and e.replica == ph.replica]
        kinds = [e.kind for e in mine]
        drops = [e for e in mine if e.kind == "drop"]
        print(f"| replica {ph.replica} | {ph.exited - ph.stop:.1f} | {ph.healthy - ph.stop:.1f} | {ph.back - ph.stop:.1f} | "
              f"{len(drops)} ({len({e.visitor for e in drops})}) | {kinds.count('notice')} | {kinds.count('wrong language')} | "
              f"{kinds.count('silent')} | {kinds.count('resumed')} | {kinds.count('error')} |")
    print("\n| restart | other replica: taps | tap p95 ms | failed (dropped or error; target 0) | "
          "connected while it stopped or came back: taps | dropped | errors |")
    print("|---|---|---|---|---|---|---|")
    for ph in phases:
        window = [e for e in events if ph.stop <= e.at <= ph.end]
        other = [e for e in window if e.replica not in (ph.replica, None)]
        unknown = [e for e in window if e.replica is None]
        taps = [e.detail for e in other if e.kind == "tap"]
        print(f"| replica {ph.replica} | {len(taps)} | {pct(taps, 95) * 1000:.0f} | "
              f"{sum(e.kind in ('drop', 'error') for e in other)} | {sum(e.kind == 'tap' for e in unknown)} | "
              f"{sum(e.kind == 'drop' for e in unknown)} | {sum(e.kind == 'error' for e in unknown)} |")
    outside = [e for e in events if not any(ph.stop <= e.at <= ph.end for ph in phases)]
    problems = [e for e in outside if e.kind in ("drop", "error")]
    print(f"\nOutside the restart windows: {sum(e.kind == 'tap' for e in outside)} taps, {len(problems)} dropped or failed "
          f"(target 0). Walks to a result over the whole run: {sum(e.kind == 'walk' for e in events)}.")
    for e in [e for e in events if e.kind == "error"][:5]:
        print(f"error (visitor {e.visitor}, replica {e.replica}): {e.detail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[10, 50, 100], help="concurrent sessions per level")
    parser.add_argument("--think", type=float, default=1.0, help="average seconds a visitor pauses between taps")
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds over which a level's sessions arrive")
    parser.add_argument("--stack", action="store_true", help="also through deploy/stack.py (nginx in front of --replicas replicas)")
    parser.add_argument("--replicas", type=int, nargs="+", default=[2],
                        help="the stack's replicas, one run of the levels per count (--soak: the first)")
    parser.add_argument("--only-stack", action="store_true",
                        help="the stack and the floor only: no app, no bare app with Streamlit's defaults, no rerun costs")
    parser.add_argument("--no-reruns", action="store_true", help="skip bench/rerun.py's rerun costs")
    parser.add_argument("--no-ws-compression", action="store_true",
                        help="sessions do not offer permessage-deflate (browsers do): what compression costs the servers")
    parser.add_argument("--profile", action="store_true", help="py-spy on one replica during each stack level: where its CPU went")
    parser.add_argument("--soak", type=float, metavar="SECONDS", help="instead of the levels: a crowd held this long through the stack")
    parser.add_argument("--soak-sessions", type=int, default=50, help="visitors walking at once in the soak")
    parser.add_argument("--soak-warmup", type=int, default=None, metavar="MINUTE",
                        help="count the soak's memory growth from this minute (default: once the replicas' stores of closed sessions can be full)")
    parser.add_argument("--rolling-restart", action="store_true",
                        help="instead of the levels: two replicas restarted one after the other under a crowd")
    parser.add_argument("--restart-sessions", type=int, default=40, help="visitors walking during the rolling restart")
    args = parser.parse_args()
    random.seed(8)
    if args.no_ws_compression:
        wsclient.COMPRESSION = None
    logs = Path(tempfile.mkdtemp(prefix="load-"))
    logs.chmod(0o755)  # the stack's nginx workers (user nobody) keep their cache in it
    if args.soak:
        run_soak(args, logs)
    elif args.rolling_restart:
        run_rolling_restart(args, logs)
    else:
        crowd(args, logs)


if __name__ == "__main__":
    main()
