"""The security headers on every response, from one place: the app's own server sends them
(``SecurityHeadersMiddleware``), and deploy/stack.py writes the same values into nginx's
configuration for the responses nginx makes itself (its error pages, its cache hits).

The Content-Security-Policy lets the page load and connect to its own origin only: no other
host, no plugin, no frame around it, no form posted elsewhere. Inline scripts run only when
their text is one of the app's own, by hash: Streamlit's one line in its ``index.html``, the
pre-render's swap script (the same text on every page), and the scripts the live app adds with
``st.html`` (``trialguide/web/assets/*.js``, the same text for every visitor; what differs per page
travels in a data attribute). Styles may be inline: Streamlit's React components write their
CSS at run time, and a style cannot carry a visitor's answers out.

Starlette only, no Streamlit import.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trialguide.web import prerender
from trialguide.web import render as tpl

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def script_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def inline_scripts(index_html: str) -> list[str]:
    """Every inline script a page of this app can run: Streamlit's, the pre-render's (compat.js,
    swap.js), and the ones the live app adds with st.html (page.js after compat.js, print.js)."""
    return [*_INLINE_SCRIPT.findall(index_html), *prerender.copy_scripts(), tpl.page_script(), tpl.asset("print.js")]


def content_security_policy(index_html: str) -> str:
    hashes = " ".join(dict.fromkeys(script_hash(text) for text in inline_scripts(index_html)))
    return "; ".join((
        "default-src 'self'",
        # 'wasm-unsafe-eval' lets WebAssembly compile, not JavaScript: Long.js, inside Streamlit's
        # protobuf code, compiles a 200-byte module for 64-bit arithmetic.
        f"script-src 'self' 'wasm-unsafe-eval' {hashes}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",  # QR codes are data: images made here
        "font-src 'self' data:",  # Streamlit's stylesheet carries one KaTeX font inline
        "connect-src 'self'",  # the app's own WebSocket and health checks
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


def headers(index_html: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(index_html),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",  # frame-ancestors, for browsers that predate it
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
    }


# What is not a page (scripts, styles, images, fonts, JSON) is never run as a document, so it
# needs none of the page's long policy: a short one that allows nothing, should it be opened on
# its own, and the two headers that matter to a resource. About 60 responses on a first visit
# each carry ~120 bytes of headers instead of ~1,100.
RESOURCE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def is_document(content_type: str) -> bool:
    """A response a browser may show as a page: HTML, or one that does not say what it is."""
    return content_type.split(";")[0].strip().lower() in ("text/html", "")


@functools.cache
def default_headers() -> dict[str, str]:
    from trialguide.web.static import streamlit_static_dir

    return headers((streamlit_static_dir() / "index.html").read_text(encoding="utf-8"))


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response of the app's server (Streamlit's own
    routes included), replacing any of the same name: the page's on HTML, the short ones on
    everything else."""

    def __init__(self, app: ASGIApp, values: dict[str, str] | None = None) -> None:
        self.app = app
        values = values or default_headers()
        encode = lambda headers: [(name.lower().encode(), value.encode()) for name, value in headers.items()]  # noqa: E731
        self._names = {name.lower().encode() for name in (*values, *RESOURCE_HEADERS)}
        self._document, self._resource = encode(values), encode(RESOURCE_HEADERS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                given = message.get("headers", [])
                kind = next((v.decode("latin-1") for k, v in given if k.lower() == b"content-type"), "")
                kept = [(k, v) for k, v in given if k.lower() not in self._names]
                message = {**message, "headers": kept + (self._document if is_document(kind) else self._resource)}
            await send(message)

        await self.app(scope, receive, with_headers)
