"""The app's container image (deploy/Dockerfile), built with podman from a Debian base made
without a registry (deploy/container.py; the build starts in the background when the run
begins, see tests/conftest.py) and run as an operator runs it: read-only, no capabilities, as
its own unprivileged user, until its own health check says healthy. Then a pre-rendered page
over HTTP, the live app in Chromium, and what the image must not hold.

Only loopback: the container shares the host's network and listens on 127.0.0.1 alone."""
from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import html5lib
import httpx
import pytest

from tests.conftest import CONTAINER_IMAGE, ROOT, SUMMARY, _free_port, container_build, in_thread
from trialguide.web import security
from deploy.container import podman

pytestmark = pytest.mark.container

BUILD_TIMEOUT = 20 * 60  # a clean machine: the base with mmdebstrap, then the requirements from PyPI
HEALTHY_TIMEOUT = 120
APP_FILES = {"app.py", "babel.cfg", ".streamlit", "components", "content", "locales", "scripts", "trialguide"}
REGISTRY_STATUS = "/tmp/registry/registry.json"  # where the scheduled check writes (a volume in production)


@pytest.fixture(scope="module")
def image() -> dict:
    report = container_build(BUILD_TIMEOUT)
    print(f"\n{CONTAINER_IMAGE}: {report['size_bytes'] / 1e6:.0f} MB", flush=True)
    return report


@pytest.fixture(scope="module")
def container(image):
    name = f"trialguide-test-{_free_port()}"
    port = _free_port()
    podman("rm", "--force", "--time", "0", name, check=False)
    started, healthy = time.monotonic(), float("nan")
    podman("run", "--detach", "--name", name, "--network", "host", "--read-only", "--cap-drop", "ALL",
           "--security-opt", "no-new-privileges", "-e", f"STREAMLIT_SERVER_PORT={port}", "-e", "STREAMLIT_SERVER_ADDRESS=127.0.0.1",
           "-e", f"TRIALGUIDE_REGISTRY_STATUS={REGISTRY_STATUS}", CONTAINER_IMAGE)
    try:
        while podman("healthcheck", "run", name, check=False, timeout=30).returncode != 0:
            state = podman("inspect", "--format", "{{.State.Status}}", name, check=False).stdout.strip()
            if state != "running" or time.monotonic() - started > HEALTHY_TIMEOUT:
                logs = podman("logs", name, check=False)
                pytest.fail(f"the container is {state}, not healthy:\n" + (logs.stdout + logs.stderr)[-4000:])
            time.sleep(0.5)
        healthy = time.monotonic() - started
        yield SimpleNamespace(name=name, base=f"http://127.0.0.1:{port}", healthy_seconds=healthy)
    finally:
        stopping = time.monotonic()
        podman("rm", "--force", "--time", "10", name, check=False)
        stopped = time.monotonic() - stopping
        SUMMARY.append(
            f"{CONTAINER_IMAGE}: {image['size_bytes'] / 1e6:.0f} MB; base {image['base_was']} ({image['base_seconds']} s), "
            f"image built in {image['image_seconds']} s, of which the tests waited {image['waited_seconds']} s; "
            f"start to healthy {healthy:.1f} s; stop and remove {stopped:.1f} s"
        )


def exec_in(container, *command: str) -> str:
    return podman("exec", container.name, *command).stdout.strip()


def logs_of(container) -> str:
    """What the server wrote, on its standard output and error (podman logs keeps them apart)."""
    done = podman("logs", container.name)
    return done.stdout + done.stderr


def test_a_prerendered_page_comes_with_its_language_and_policy(container):
    response = httpx.get(container.base + "/contact?lang=zh", headers={"accept-encoding": "identity"}, timeout=30)
    assert response.status_code == 200
    doc = html5lib.parse(response.text, namespaceHTMLElements=False)
    assert doc.get("lang") == "zh-Hans"
    assert doc.find(".//div[@id='tg-prerender']//main//h1") is not None
    # The same policy as the app here: the image runs the same Streamlit and the same scripts.
    assert response.headers["content-security-policy"] == security.default_headers()["Content-Security-Policy"]
    assert httpx.get(container.base + "/static/js/no-such-file.js", timeout=30).status_code == 404
    assert podman("inspect", "--format", "{{.State.Health.Status}}", container.name).stdout.strip() == "healthy"


def test_the_server_runs_as_the_unprivileged_user_and_can_change_no_file(container):
    assert exec_in(container, "id", "-u") == "10001"
    # The server itself (the container's first process), not only a command run beside it.
    status = exec_in(container, "cat", "/proc/1/status")
    assert re.search(r"^Uid:\s+10001\s+10001\s+10001\s+10001$", status, re.M), status
    assert re.search(r"^CapEff:\s+0+$", status, re.M)
    host_pid = podman("inspect", "--format", "{{.State.Pid}}", container.name).stdout.strip()
    assert re.search(r"^Uid:\s+10001\b", Path(f"/proc/{host_pid}/status").read_text(), re.M)  # seen from the host too
    assert exec_in(container, "python", "-c", "import os; print(os.access('/app/app.py', os.W_OK), os.access('/app', os.W_OK))") == "False False"


def test_the_image_holds_the_app_and_nothing_of_the_checkout_or_the_host(container):
    listing = exec_in(container, "python", "-c", "import os; print('\\n'.join(sorted(os.listdir('/app'))))").splitlines()
    assert set(listing) - {"__pycache__"} == APP_FILES  # its bytecode is compiled in the image
    scripts = exec_in(container, "python", "-c", "import os; print(' '.join(sorted(os.listdir('/app/scripts'))))").split()
    assert set(scripts) - {"__pycache__"} == {"__init__.py", "registry_check.py"}  # the scheduled check, no other script
    found = exec_in(container, "sh", "-c", "find / -xdev \\( -name .git -o -name .venv -o -name tests -o -name test-results "
                    "-o -name conftest.py -o -name requirements.txt -o -name bench \\) -not -path '/opt/venv/lib/*' -print 2>/dev/null; true")
    assert found == ""
    # The virtual environment is the image's own (its Python is the base's), not one from the host.
    assert exec_in(container, "readlink", "-f", "/opt/venv/bin/python").startswith("/usr/")


def test_without_a_public_address_the_server_says_so_in_its_log(container):
    log = logs_of(container)
    assert "TRIALGUIDE_PUBLIC_URL is not set" in log
    assert httpx.get(container.base + "/handout?lang=en", timeout=30).status_code == 200  # a QR code made for 127.0.0.1
    deadline = time.monotonic() + 10
    while f"A QR code was made for {container.base}" not in log and time.monotonic() < deadline:
        time.sleep(0.2)
        log = logs_of(container)
    assert f"A QR code was made for {container.base}, which works only on this network" in log


def test_chromium_draws_the_live_app(container):
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_FLAGS, PHONE, _chromium_path

    def visit() -> dict:
        with sync_playwright() as p:
            path = _chromium_path()
            browser = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS) if path else p.chromium.launch()
            try:
                page = browser.new_page(viewport=PHONE)
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(container.base + "/?lang=en")
                page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]',
                                       timeout=60_000)
                page.wait_for_function("() => !document.getElementById('tg-prerender') && document.querySelector('h1')", timeout=30_000)
                return {"h1": page.inner_text("h1"), "lang": page.evaluate("document.documentElement.lang"), "errors": errors}
            finally:
                browser.close()

    seen = in_thread(visit)
    assert seen["h1"] and seen["lang"] == "en"
    assert seen["errors"] == []


def test_the_registry_check_runs_from_the_image_and_every_page_then_says_the_record_changed(container):
    """As the scheduled job runs it (deploy/kubernetes.yaml's CronJob), with the record it would
    fetch given on standard input here (no network): the record now says COMPLETED. The server
    was not restarted: its pre-rendered pages are built again in the background."""
    record = json.loads((ROOT / "tests" / "fixtures" / "NCT03890068.json").read_text(encoding="utf-8"))
    record["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2026-10-02"
    done = podman("exec", "-i", container.name, "python", "-m", "scripts.registry_check", "-", "--write", REGISTRY_STATUS,
                  input=json.dumps(record), check=False, timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr  # 1: the record differs (a failed Job an operator sees)
    assert "overall status" in done.stdout and f"written to {REGISTRY_STATUS}" in done.stdout
    said = "这项研究在ClinicalTrials.gov上的记录有了更新（最近一次是2026年10月2日）。"
    deadline, text = time.monotonic() + 60, ""
    while said not in text and time.monotonic() < deadline:
        time.sleep(0.5)
        doc = html5lib.parse(httpx.get(container.base + "/contact?lang=zh", timeout=30).text, namespaceHTMLElements=False)
        main = doc.find(".//div[@id='tg-prerender']//main")
        text = "".join(main.itertext()) if main is not None else ""
    assert said in text
    assert text.index(said) < text.index("中山大学肿瘤防治中心")  # above the page's own words (the site's name)
