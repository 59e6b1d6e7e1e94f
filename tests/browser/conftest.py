"""Real-browser fixtures: one Chromium per test session (the app server is tests/conftest.py's),
and one way to open a page the way a visitor does.

Chromium: $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own download
(`python -m playwright install chromium` on a machine with normal internet). No browser means
the browser tests fail; they are never skipped.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.helpers import PHONE, WATCH_POLICY, live, watch_runs
from tests.conftest import STACK_RUN

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
        live(self.page)

    def foreign_hosts(self, base: str) -> set[str]:
        own = urlsplit(base).netloc
        return {urlsplit(u).netloc for u in self.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")} - {own}


def open_visit(browser: Browser, url: str, viewport: dict = PHONE, locale: str = "en-US", cookies=(), javascript: bool = True,
               init: str = "", wait: bool = True, contexts: list | None = None) -> Visit:
    """A new visitor (their own browser context) on ``url``, its run counter installed and the
    page's policy violations counted (``helpers.policy_violations``)."""
    context = browser.new_context(viewport=viewport, locale=locale, java_script_enabled=javascript)
    if contexts is not None:
        contexts.append(context)
    if cookies:
        context.add_cookies(list(cookies))
    context.add_init_script(WATCH_POLICY)
    if init:
        context.add_init_script(init)
    page = context.new_page()
    watch_runs(page)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    v = Visit(page, requests)
    if wait and javascript:
        v.settle()
    return v


@pytest.fixture
def visit(browser, server):
    contexts: list = []

    def open_(path: str, viewport: dict = PHONE, locale: str | None = None, base: str | None = None, cookies=()) -> Visit:
        """``base``: another address than the app server's (the proxy, a relay)."""
        return open_visit(browser, (base or server) + path, viewport, locale or "en-US", cookies, contexts=contexts)

    yield open_
    for context in contexts:
        context.close()
