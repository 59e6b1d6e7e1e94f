"""Real-browser fixtures: one Chromium per test session (the app server is tests/conftest.py's).

Chromium: $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own download
(`python -m playwright install chromium` on a machine with normal internet). No browser means
the browser tests fail; they are never skipped.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "screenshots"
PHONE = {"width": 390, "height": 844}
KIOSK = {"width": 1080, "height": 1920}
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _trust_the_test_stack() -> list[str]:
    """The test stack's self-signed certificate (deploy/stack.py makes it, or keeps the one it
    made, in the stack's run folder), trusted by its public key's hash: pages through the proxy
    (https) load as on a site with a real certificate, HTTP/2 and HSTS included."""
    from deploy.stack import self_signed_certificate, spki_hash

    from tests.conftest import STACK_RUN

    cert, _ = self_signed_certificate(STACK_RUN / "tls")
    return [f"--ignore-certificate-errors-spki-list={spki_hash(cert)}"]


@pytest.fixture(scope="session")
def browser() -> Browser:
    with sync_playwright() as p:
        path = _chromium_path()
        trust = _trust_the_test_stack()
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS + trust) if path else p.chromium.launch(args=trust)
        yield b
        b.close()


class Visit:
    """A page opened the way a visitor opens it, with every request it made."""

    def __init__(self, page: Page, requests: list[str]):
        self.page = page
        self.requests = requests

    def settle(self) -> None:
        app = self.page.locator('[data-testid="stApp"]')
        app.locator("xpath=.").wait_for()
        self.page.wait_for_function(
            """() => {
                const app = document.querySelector('[data-testid="stApp"]');
                return app && app.dataset.testConnectionState === 'CONNECTED'
                    && app.dataset.testScriptState === 'notRunning'
                    && !document.querySelector('[data-testid="stSkeleton"]')
                    && !document.getElementById('tg-prerender')
                    && document.querySelector('h1');
            }""",
            timeout=30_000,
        )

    def foreign_hosts(self, base: str) -> set[str]:
        own = urlsplit(base).netloc
        return {urlsplit(u).netloc for u in self.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")} - {own}


@pytest.fixture
def visit(browser, server):
    contexts = []

    def open_(path: str, viewport: dict = PHONE, locale: str | None = None, base: str | None = None, cookies=()) -> Visit:
        """``base``: another address than the app server's (the proxy, a relay)."""
        context = browser.new_context(viewport=viewport, locale=locale or "en-US")
        contexts.append(context)
        if cookies:
            context.add_cookies(list(cookies))
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((base or server) + path)
        v = Visit(page, requests)
        v.settle()
        return v

    yield open_
    for context in contexts:
        context.close()


def screenshot(page: Page, name: str, container: str = '[data-testid="stMainBlockContainer"]') -> None:
    """A full-length picture for a person to look at (Streamlit scrolls inside the page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate(f"document.querySelector({json.dumps(container)}).scrollHeight + 120")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    page.set_viewport_size(size)
