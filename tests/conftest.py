"""Shared fixtures: the checkout on sys.path, one real app server per test session, and the
production setup (deploy/stack.py: nginx in front of two replicas, over HTTPS) for the tests
that need it.

With TRIALGUIDE_TEST_STACK=1 every test that uses ``server`` runs through the stack instead:
``TRIALGUIDE_TEST_STACK=1 bash scripts/test.sh tests/browser`` is the browser suite behind nginx.
"""
import concurrent.futures
import contextlib
import functools
import hashlib
import json
import os
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_URL = "https://trial.example.org"
KIOSK_IDLE_SECONDS = 6  # the kiosk's idle time in tests (120 by default)
KIOSK_WARNING_SECONDS = 4  # its warning's countdown in tests (30 by default; tests/app checks the default)
# How long a WebSocket handshake may take: a replica busy with another test's run answers late on
# 2 cores (once 10 s in a full run). The tests check what is answered, not how fast.
HANDSHAKE_S = 30
SERVER_ENV = {"TRIALGUIDE_PUBLIC_URL": PUBLIC_URL, "TRIALGUIDE_KIOSK_IDLE_SECONDS": str(KIOSK_IDLE_SECONDS),
              "TRIALGUIDE_KIOSK_WARNING_SECONDS": str(KIOSK_WARNING_SECONDS)}


# Several test processes may run at once (pytest-xdist: scripts/test.sh): each has its own app
# server, its own stack and its own run folder.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
STACK_RUN = ROOT / "test-results" / f"stack-{WORKER}"


@functools.cache
def _stack_trust() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(STACK_RUN / "tls" / "cert.pem"))


def verify_for(base: str) -> "ssl.SSLContext | bool":
    """What a client checks ``base``'s certificate against: over https, the test stack's own
    self-signed one (deploy/stack.py makes it in the stack's run folder); nothing over http."""
    return _stack_trust() if base.startswith("https://") else True


def in_thread(function, *args):
    """Playwright's sync API and asyncio.run each want a thread without an event loop: the
    browser tests' Playwright keeps one running in the main thread for the whole session."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args).result()


# ---- The container image (tests/test_container.py) ----

# One tag per checkout: two checkouts tested at once on one machine share podman's store.
CONTAINER_IMAGE = "localhost/trialguide:test-" + hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]
CONTAINER_BUILD_LOG = ROOT / "test-results" / "container-build.log"
_container_build: dict = {}
SUMMARY: list[str] = []  # lines for the end of the run (the container's timings and size)


KINDS = ("unit", "app", "http", "stack", "browser")


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items):
    """Each test is marked with its kind, the folder it lives in (pyproject.toml names them), and
    with the group of tests that share what is slow to make, so that pytest-xdist keeps them in
    one process (scripts/test.sh runs with --dist loadgroup): one visit to a page for every test
    of that page (tests/browser/test_arrival.py), the walks of the self-check a test reads
    (test_check.py), one production stack, one container image.

    A hook wrapper: the marks are made before pytest-xdist reads them (xdist/remote.py writes each
    group into the test's id), and the run stops if they were lost (ALWAYS_GROUPED, below)."""
    for item in items:
        kind = Path(str(item.fspath)).relative_to(ROOT / "tests").parts[0]
        if kind in KINDS:
            item.add_marker(kind)
        names = getattr(item, "fixturenames", ())
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "arrival" in names:
            group = "arrival-" + "-".join(params["arrival"])
        elif "toy_server" in names:
            group = "toy"
        elif "walked" in names:
            group = "walked-" + walk_group(item.function, params)
        elif item.get_closest_marker("container"):
            group = "container"
        elif "stack" in names or "proxy" in names or params.get("target") == "proxy" or "through" in params:
            group = "stack"
        else:
            continue
        item.add_marker(pytest.mark.xdist_group(group))
    return (yield)


# Always grouped (every test there reads a shared visit): if pytest-xdist sends any of these without
# its group, it lost the groups, and each test process would repeat every shared visit, walk and
# stack, silently (pytest 9.2 ignores the group pytest-xdist 3.8 writes into a test's id:
# pytest-dev/pytest-xdist#1386). The run stops at once instead.
ALWAYS_GROUPED = ("tests/browser/test_arrival.py::",)


def pytest_xdist_node_collection_finished(node, ids):
    lost = [i for i in ids if i.startswith(ALWAYS_GROUPED) and "@" not in i]
    if node.config.getvalue("dist") == "loadgroup" and lost:
        pytest.exit(f"pytest-xdist did not keep the test groups (first: {lost[0]}): with pytest 9.2 --dist loadgroup "
                    "groups nothing (pytest-dev/pytest-xdist#1386); requirements.txt pins the pytest that works", returncode=4)


def walk_group(test, params: dict) -> str:
    """Which walks of the self-check a test of tests/browser/test_check.py reads (its ``walked``
    fixture walks each once per process): those in one group share a process."""
    walks = (params["outcome"],) if "outcome" in params else getattr(test, "walks", ("anyhow",))
    if walks == ("anyhow",):
        return "anyhow-" + str(params.get("lang", "en"))
    return "results-b" if walks == ("check_with_doctor",) else "results-a"


# The container image's build, shared by every test process of one run: the first to collect a
# container test starts it; the one that runs the container tests waits for its exit file.
BUILD = {name: CONTAINER_BUILD_LOG.with_suffix(suffix) for name, suffix in
         (("started", ".started"), ("pid", ".pid"), ("exit", ".exit"), ("report", ".json"))}


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the one process, or xdist's controller: a clean start
        for path in BUILD.values():
            path.unlink(missing_ok=True)


def pytest_collection_finish(session):
    """The image takes minutes to build on a clean machine (a Debian base with mmdebstrap, then
    the app's requirements from PyPI): when the container test is selected, the build starts
    now, in the background at the lowest CPU and disk priority, and is ready, or nearly, when
    tests/stack/test_container.py runs."""
    if any(item.get_closest_marker("container") for item in session.items):
        start_container_build()


def start_container_build() -> None:
    CONTAINER_BUILD_LOG.parent.mkdir(exist_ok=True)
    try:
        BUILD["started"].open("x").close()  # one process of the run starts it, the others don't
    except FileExistsError:
        return
    low = ["nice", "-n", "19"] + (["ionice", "-c", "2", "-n", "7"] if shutil.which("ionice") else [])
    command = [sys.executable, "deploy/container.py", "build", "--tag", CONTAINER_IMAGE, "--report", str(BUILD["report"])]
    script = " ".join(map(shlex.quote, low + command)) + f"; echo $? > {shlex.quote(str(BUILD['exit']))}"
    with CONTAINER_BUILD_LOG.open("w") as log:
        proc = subprocess.Popen(["sh", "-c", script], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    BUILD["pid"].write_text(str(proc.pid))
    _container_build["started"] = time.monotonic()


def container_build(timeout: float) -> dict:
    """Waits for the background build (starting it if it was not); what it cost, and how long
    the test waited for it."""
    start_container_build()
    waited_from = time.monotonic()
    while not BUILD["exit"].is_file():  # written when the build process ends, whichever test process started it
        if time.monotonic() - waited_from > timeout:
            _stop_container_build()
            pytest.fail(f"the image was not built within {timeout:.0f} s; see {CONTAINER_BUILD_LOG}")
        time.sleep(0.5)
    code = int(BUILD["exit"].read_text().strip() or "1")
    if code != 0:
        pytest.fail(f"the image build failed ({code}):\n" + CONTAINER_BUILD_LOG.read_text(errors="replace")[-4000:])
    report = json.loads(BUILD["report"].read_text(encoding="utf-8"))
    report["waited_seconds"] = round(time.monotonic() - waited_from, 1)
    return report


def _stop_container_build() -> None:
    if BUILD["pid"].is_file() and not BUILD["exit"].is_file():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.killpg(int(BUILD["pid"].read_text()), signal.SIGTERM)


def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):  # the run ended first (-x, Ctrl-C): the build goes too
        _stop_container_build()


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.section("container")
        for line in SUMMARY:
            terminalreporter.write_line(line)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def stack():
    """nginx in front of two replicas, as deploy/stack.sh starts them."""
    from deploy.stack import Stack

    with Stack(STACK_RUN, replicas=2, env=SERVER_ENV) as running:
        yield running


@pytest.fixture(scope="session")
def proxy(stack) -> str:
    """The stack's address as visitors reach it: https:// (``verify_for`` trusts its certificate)."""
    return stack.base


@pytest.fixture(scope="session")
def server(request):
    """``streamlit run app.py``, as the README starts it, with a public address configured."""
    if os.environ.get("TRIALGUIDE_TEST_STACK"):
        yield request.getfixturevalue("proxy")
        return
    yield from _app_server(f"streamlit-{WORKER}.log", SERVER_ENV)


TOY_TRIAL = ROOT / "tests" / "fixtures" / "toy-trial"


@pytest.fixture(scope="session")
def toy_server():
    """The same app on another, made-up trial's content (tests/fixtures/toy-trial)."""
    yield from _app_server(f"streamlit-toy-{WORKER}.log", {**SERVER_ENV, "TRIALGUIDE_CONTENT_DIR": str(TOY_TRIAL)})


def _app_server(log_name: str, env: dict):
    port = _free_port()
    log = (ROOT / "test-results").resolve()
    log.mkdir(exist_ok=True)
    log_path = log / log_name
    with log_path.open("w") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, env={**os.environ, **env},
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("Streamlit did not start:\n" + log_path.read_text())
            time.sleep(0.3)
        yield base
        proc.terminate()
        proc.wait(timeout=10)
