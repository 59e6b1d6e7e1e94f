"""Links to share and the QR codes that carry them: made here, never by an outside service.

A shared link names the page and its language, nothing else: never an answer, never a session.
Its address is the configured public one (TRIALGUIDE_PUBLIC_URL, see server.public_url) or,
without one, the address the visitor's browser used.
"""
from __future__ import annotations

import functools
import html
import os
import re

import segno

from . import pages


# Behind a proxy the server cannot know its own public address: links, QR codes and og:url use
# this one when it is set, e.g. TRIALGUIDE_PUBLIC_URL=https://trial.example.org
PUBLIC_URL_ENV = "TRIALGUIDE_PUBLIC_URL"


def public_url() -> str | None:
    value = os.environ.get(PUBLIC_URL_ENV, "").strip().rstrip("/")
    if value and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
        raise ValueError(f"{PUBLIC_URL_ENV} must be an http(s) address without query, got {value!r}")
    return value or None


def link(base: str, page_id: str, lang: str, anchor: str = "") -> str:
    """The full address of a page in a language: base is "https://host" (no trailing slash)."""
    fragment = f"#{anchor}" if re.fullmatch(r"(inc|exc)-\d{1,2}", anchor or "") else ""
    return base.rstrip("/") + pages.url(page_id, lang) + fragment


def base_of(url: str) -> str:
    """scheme://host[:port] of an address, for links when no public address is configured."""
    found = re.match(r"(https?://[^/?#\s]+)", url or "")
    return found.group(1) if found else ""


@functools.lru_cache(maxsize=256)
def qr_img(url: str, label: str, scale: int = 5) -> str:
    """The QR code as an <img> with an inline data: address (no request to any host), for places
    that strip inline SVG, such as Streamlit's st.html."""
    data = segno.make(url, error="m").svg_data_uri(scale=scale, dark="#000000", light="#ffffff")
    return f'<img src="{html.escape(data)}" alt="{html.escape(label)}">'


@functools.lru_cache(maxsize=256)
def qr_svg(url: str, label: str, scale: int = 4) -> str:
    """The QR code of ``url`` as inline SVG, announced to screen readers by ``label``."""
    svg = segno.make(url, error="m").svg_inline(scale=scale, dark="#000000", light="#ffffff")
    escaped = html.escape(label, quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escaped}" ', 1).replace(
        ">", f"><title>{html.escape(label)}</title>", 1
    )
