"""The security headers, on every kind of response the app's own server sends, and a
Content-Security-Policy that lets every script of the app run and nothing else."""
from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest

from trialguide.web import handout
from trialguide.domain import locales
from trialguide.pages import registry as pages
from trialguide.web import prerender
from trialguide.web import security
from trialguide.web import static
INDEX = (static.streamlit_static_dir() / "index.html").read_text(encoding="utf-8")
CSP = security.content_security_policy(INDEX)


def allowed_hashes(csp: str) -> set[str]:
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src "))
    return set(re.findall(r"'sha256-[^']+'", script_src))


def inline_scripts(document: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", document, re.S)


@pytest.mark.parametrize("kiosk", [False, True])
@pytest.mark.parametrize("lang", locales.LANGS)
@pytest.mark.parametrize("page", pages.pages(), ids=lambda p: p.id)
def test_every_inline_script_of_a_first_page_is_allowed_by_its_hash(page, lang, kiosk):
    shell = prerender.Shell.parse(INDEX, static.lazy_chunks(static.streamlit_static_dir()))
    scripts = inline_scripts(prerender.render(shell, page.id, lang, None, kiosk).html)
    assert set(prerender.copy_scripts()) <= set(scripts)
    assert {security.script_hash(s) for s in scripts} <= allowed_hashes(CSP)


@pytest.mark.parametrize("lang", locales.LANGS)
def test_the_handout_print_button_is_allowed_by_its_hash(lang):
    scripts = inline_scripts(handout.render(lang, "https://trial.example.org", dt.date(2026, 12, 1)))
    assert scripts and {security.script_hash(s) for s in scripts} <= allowed_hashes(CSP)


def test_the_policy_names_no_other_host_and_no_eval():
    directives = dict(d.split(" ", 1) for d in CSP.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert "http" not in CSP and "*" not in CSP


PAGES = ["/?lang=zh", "/contact?lang=en&kiosk=1", "/handout?lang=en", "/a/b/c"]
NOT_PAGES = ["/_stcore/health", "/_stcore/host-config", "/favicon.png", "/manifest.json", "/static/js/no-such-file.js",
             "/robots.txt", "/sitemap.xml", "/qr.svg?page=doctors&lang=en&at=exc-7"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_the_pages_security_headers(server, path):
    response = httpx.get(server + path, timeout=30)
    for name, value in security.default_headers().items():
        assert response.headers.get(name) == value, (path, name)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"] and "geolocation=()" in response.headers["Permissions-Policy"]


@pytest.mark.parametrize("path", NOT_PAGES)
def test_what_is_not_a_page_carries_a_short_policy_that_allows_nothing(server, path):
    """Scripts, images, JSON, plain text: never run as a page, so a policy that allows nothing,
    about a tenth of the page's header bytes, and still no sniffing and no other site's use."""
    response = httpx.get(server + path, timeout=30)
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'", path
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers.get_list("Content-Security-Policy") == [response.headers["Content-Security-Policy"]]
