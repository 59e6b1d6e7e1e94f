"""Shared fixtures: the checkout on sys.path, one real app server per test session, and the
production setup (deploy/stack.py: nginx in front of two replicas) for the tests that need it.

With TRIALGUIDE_TEST_STACK=1 every test that uses ``server`` runs through the stack instead:
``TRIALGUIDE_TEST_STACK=1 bash scripts/test.sh tests/browser`` is the browser suite behind nginx.
"""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Tests import the app's packages (trialguide, components, scripts) from the checkout.
sys.path.insert(0, str(ROOT))
PUBLIC_URL = "https://trial.example.org"
KIOSK_IDLE_SECONDS = 6  # the kiosk's idle time in tests (120 by default); its warning still lasts 30 s
SERVER_ENV = {"TRIALGUIDE_PUBLIC_URL": PUBLIC_URL, "TRIALGUIDE_KIOSK_IDLE_SECONDS": str(KIOSK_IDLE_SECONDS)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def stack():
    """nginx in front of two replicas, as deploy/stack.sh starts them."""
    sys.path.insert(0, str(ROOT / "deploy"))
    from stack import Stack

    with Stack(ROOT / "test-results" / "stack", replicas=2, env=SERVER_ENV) as running:
        yield running


@pytest.fixture(scope="session")
def proxy(stack) -> str:
    return stack.base


@pytest.fixture(scope="session")
def server(request):
    """``streamlit run app.py``, as the README starts it, with a public address configured."""
    if os.environ.get("TRIALGUIDE_TEST_STACK"):
        yield request.getfixturevalue("proxy")
        return
    port = _free_port()
    log = (ROOT / "test-results").resolve()
    log.mkdir(exist_ok=True)
    log_path = log / "streamlit.log"
    with log_path.open("w") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, env={**os.environ, **SERVER_ENV},
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
