"""Links to share and the QR codes that carry them: made here, never by an outside service.

A shared link names the page and its language, nothing else: never an answer, never a session.
Its address is the configured public one (TRIALGUIDE_PUBLIC_URL, see server.public_url) or,
without one, the address the visitor's browser used.
"""
from __future__ import annotations

import functools
import io
import ipaddress
import logging
import os
import re
import sys
from urllib.parse import urlsplit

import segno
from markupsafe import Markup

from trialguide.pages import registry as pages
# Behind a proxy the server cannot know its own public address: links, QR codes and og:url use
# this one when it is set, e.g. TRIALGUIDE_PUBLIC_URL=https://trial.example.org
PUBLIC_URL_ENV = "TRIALGUIDE_PUBLIC_URL"


def public_url() -> str | None:
    value = os.environ.get(PUBLIC_URL_ENV, "").strip().rstrip("/")
    if value and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
        raise ValueError(f"{PUBLIC_URL_ENV} must be an http(s) address without query, got {value!r}")
    return value or None


# Names that only a local network resolves: a QR code that carries one leads nowhere elsewhere.
_LOCAL_SUFFIXES = (".localhost", ".local", ".lan", ".home", ".home.arpa", ".internal", ".intranet", ".localdomain", ".corp", ".private")


def is_local_address(base: str) -> bool:
    """Whether the host of ``base`` ("http://192.168.1.20:8501") is reachable only from this
    machine or its network: loopback, private, link-local or shared (carrier) addresses, any
    address that is not global, localhost, a name without a dot (a machine's name on a hospital
    network), or a local-only suffix such as .local or .lan. Pure: the address alone decides."""
    host = (urlsplit(base.strip()).hostname or "").rstrip(".").lower()
    if not host:
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or "." not in host or host.endswith(_LOCAL_SUFFIXES)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global


def local_only(base: str) -> bool:
    """Whether a link or QR code made on ``base`` (the address the visitor's browser used) works
    only on this network, so the page should say so beside it: no public address is set
    (TRIALGUIDE_PUBLIC_URL) and ``base`` is local (``is_local_address``). With a public address
    set, links carry that one, and the operator chose it: never flagged, even a private one."""
    return public_url() is None and is_local_address(base)


def logger() -> logging.Logger:
    """The app's own log, one line per event on the server's standard error beside Streamlit's."""
    log = logging.getLogger("trialguide")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


NO_PUBLIC_URL_WARNING = (
    f"{PUBLIC_URL_ENV} is not set: shared links, QR codes and the handout carry the address each visitor's browser used. "
    "Made on localhost or a private address (10.x, 172.16-31.x, 192.168.x, a machine name), they work only on this network. "
    f"Set {PUBLIC_URL_ENV}=https://... to the address people reach the app at (deploy/README.md)."
)


def warn_without_public_url() -> bool:
    """At the server's start: a warning when no public address is set. Whether it warned."""
    if public_url() is not None:
        return False
    logger().warning(NO_PUBLIC_URL_WARNING)
    return True


_warned_local: set[str] = set()


def warn_if_local_only(base: str) -> bool:
    """Once per address and process: a warning when a QR code was just made for an address that
    works only on this network (the address is the server's own, never a visitor's)."""
    if not local_only(base) or base in _warned_local:
        return False
    _warned_local.add(base)
    logger().warning("A QR code was made for %s, which works only on this network: set %s.", base, PUBLIC_URL_ENV)
    return True


def link(base: str, page_id: str, lang: str, anchor: str = "") -> str:
    """The full address of a page in a language: base is "https://host" (no trailing slash)."""
    fragment = f"#{anchor}" if re.fullmatch(r"(inc|exc)-\d{1,2}", anchor or "") else ""
    return base.rstrip("/") + pages.url(page_id, lang) + fragment


def qr_href(page_id: str, lang: str) -> str:
    """Where this server draws the QR code of a page's link, one criterion added by the page
    (``&at=exc-7``, see page.js): /qr.svg, never an outside service."""
    return f"/qr.svg?page={page_id}&lang={lang}"


def base_of(url: str) -> str:
    """scheme://host[:port] of an address, for links when no public address is configured."""
    found = re.match(r"(https?://[^/?#\s]+)", url or "")
    return found.group(1) if found else ""


@functools.lru_cache(maxsize=256)
def qr_data_uri(url: str, scale: int = 5) -> str:
    """The QR code as a data: address (no request to any host), for an <img>: Streamlit's
    st.html strips inline SVG."""
    return segno.make(url, error="m").svg_data_uri(scale=scale, dark="#000000", light="#ffffff")


@functools.lru_cache(maxsize=256)
def qr_svg_file(url: str, scale: int = 5) -> bytes:
    """The QR code as an SVG file, as /qr.svg serves it: the same drawing as ``qr_data_uri``."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=scale, dark="#000000", light="#ffffff")
    return out.getvalue()


@functools.lru_cache(maxsize=256)
def qr_svg(url: str, label: str, scale: int = 4) -> Markup:
    """The QR code of ``url`` as inline SVG, announced to screen readers by ``label``."""
    svg = segno.make(url, error="m").svg_inline(scale=scale, dark="#000000", light="#ffffff")
    opening = Markup('<svg role="img" aria-label="{}" ').format(label)
    title = Markup("><title>{}</title>").format(label)
    return Markup(svg.replace("<svg ", opening, 1)).replace(">", title, 1)
