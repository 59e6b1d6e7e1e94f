"""Streamlit's own static files (its JavaScript and CSS), sent compressed, and nothing else under
/static/.

Streamlit sends them uncompressed on purpose, because compressing on every request costs CPU on
every request; here each file is compressed once and the bytes are kept, so the cost is paid once
per file per process. Streamlit still answers every request itself (its path checks, its
``immutable`` cache headers); only the body is swapped. Starlette only, no Streamlit import: the
installed files are found with importlib.

One rule of Streamlit's stylesheet is changed on the way (``icon_font_on_demand``): its icon
font is fetched when an icon is drawn, not on every first visit.
"""
from __future__ import annotations

import gzip
import hashlib
import importlib.util
import os
import re
import threading
from pathlib import Path
from typing import Iterable

import anyio
import brotli
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trialguide.domain import locales
from trialguide.web import prerender

_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "font/ttf", "font/otf")
_MIN_SIZE = 500


def streamlit_static_dir() -> Path:
    """The installed Streamlit's static folder, found without importing Streamlit."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Streamlit is not installed")
    return Path(spec.submodule_search_locations[0]) / "static"


# ---- Content negotiation ----


def accepted_encoding(accept_encoding: str | None) -> str | None:
    """br or gzip if the client takes it (q=0 refuses), else None for the plain bytes."""
    offered = {name.lower(): q for name, q in locales.weighted_tokens(accept_encoding, limit=500)}
    for coding in ("br", "gzip"):
        if offered.get(coding, offered.get("*", 0.0)) > 0:
            return coding
    return None


def compress(body: bytes, coding: str) -> bytes:
    if coding == "br":
        return brotli.compress(body, quality=11)
    return gzip.compress(body, compresslevel=9, mtime=0)


def lazy_chunks(static_dir: Path) -> tuple[str, ...]:
    """The installed files of prerender.LAZY_CHUNKS (their names carry a hash that changes with
    each Streamlit release); a name this Streamlit no longer has is left out."""
    found = []
    for name in prerender.LAZY_CHUNKS:
        matches = sorted(p.name for p in (static_dir / "static" / "js").glob(f"{name}.*.js") if re.fullmatch(rf"{re.escape(name)}\.[\w-]+\.js", p.name))
        found += matches[:1]
    return tuple(found)


# ---- The icon font, fetched only for an icon ----

# Streamlit's stylesheet declares its icon font (Material Symbols, 366 KB, more than all of its
# JavaScript a page needs) for every character, and its start-up asks the browser to fetch it
# at once (document.fonts.load), whether the page draws an icon or not: these pages draw none.
# Declared only for the characters an icon's name is made of (an icon is its name, drawn as one
# glyph: "check_circle"), it still comes the moment an icon is drawn, and not before.
_ICON_FACE = re.compile(rb"@font-face\{font-family:Material Symbols Rounded;[^}]*\}")
ICON_NAME_CHARS = b"U+0030-0039,U+0041-005A,U+005F,U+0061-007A"  # 0-9, A-Z, _, a-z


def icon_font_on_demand(css: bytes) -> bytes:
    """``css`` with the icon font's @font-face limited to the characters of icon names."""
    def limit(face: re.Match) -> bytes:
        rule = face.group(0)
        return rule if b"unicode-range" in rule else rule[:-1] + b";unicode-range:" + ICON_NAME_CHARS + b"}"
    return _ICON_FACE.sub(limit, css)


def _changed(path: str) -> bool:
    """Whether a static file's bytes are changed on the way: Streamlit's stylesheets."""
    return path.startswith("/static/css/") and path.endswith(".css")


def served(path: str, body: bytes) -> bytes:
    """The bytes sent for one of Streamlit's static files: its own, but for its stylesheets."""
    return icon_font_on_demand(body) if _changed(path) else body


# ---- Streamlit's static files, compressed once ----


class CompressedStatic:
    """Compressed copies of Streamlit's static files, made once per file and kept."""

    def __init__(self) -> None:
        self._bytes: dict[tuple[str, str, str], bytes] = {}
        self._lock = threading.Lock()
        self._file_locks: dict[tuple[str, str], threading.Lock] = {}

    def get(self, path: str, body: bytes, coding: str) -> bytes:
        digest = hashlib.blake2b(body, digest_size=16).hexdigest()
        key = (path, digest, coding)
        found = self._bytes.get(key)
        if found is not None:
            return found
        with self._lock:
            file_lock = self._file_locks.setdefault((path, coding), threading.Lock())
        with file_lock:  # one compression per file, however many visitors ask at once
            found = self._bytes.get(key)
            if found is None:
                found = self._bytes[key] = compress(body, coding)
        return found

    def warm(self, static_dir: Path, relative_paths: Iterable[str]) -> None:
        """Compress what every first visit loads, before the first visitor asks."""
        for relative in relative_paths:
            file = static_dir / relative
            if file.is_file():
                body = served("/" + relative, file.read_bytes())
                for coding in ("br", "gzip"):
                    self.get("/" + relative, body, coding)


def entry_assets(index_html: str) -> list[str]:
    """The JavaScript and CSS that Streamlit's index.html loads at once, and the chunks every page
    here needs right after."""
    found = [p for p in re.findall(r'(?:src|href)="\./(static/[^"]+)"', index_html) if p.endswith((".js", ".css"))]
    return found + [f"static/js/{name}" for name in lazy_chunks(streamlit_static_dir())]


def static_file_exists(static_dir: Path, path: str) -> bool:
    """Whether a request path (``/static/js/index.abc.js``) names a file in Streamlit's
    ``static/static/`` folder. Lexical, so a path that climbs out of it (``..``) names nothing;
    symbolic links inside are followed, as Streamlit follows them."""
    relative = path.lstrip("/")
    if "\x00" in relative or "\\" in relative:
        return False
    root = os.path.normpath(os.path.join(static_dir, "static"))
    candidate = os.path.normpath(os.path.join(static_dir, relative))
    return os.path.commonpath([candidate, root]) == root and candidate != root and os.path.isfile(candidate)


async def _static_not_found(scope: Scope, receive: Receive, send: Send) -> None:
    # Never kept (a replica of the next release may have the file): not by a browser, not by a proxy.
    response = Response("Not found\n", status_code=404, media_type="text/plain; charset=utf-8", headers={"Cache-Control": "no-store"})
    await response(scope, receive, send)


class CompressStaticMiddleware:
    """Sends Streamlit's /static/ files compressed when the browser accepts it, and answers a
    /static/ path that names no file with a plain 404.

    Streamlit answers any path it has no file for with its index.html and a 200 (its pages are
    client-side routes), /static/ paths included: a script of an older release, asked for by a
    page cached before a deploy, would get HTML with a 200, which the browser refuses to run and
    a proxy could keep. Under /static/ there are only files, so anything else is a 404."""

    def __init__(self, app: ASGIApp, cache: CompressedStatic | None = None, warm: bool = True, static_dir: Path | None = None) -> None:
        self.app = app
        self.cache = cache or CompressedStatic()
        self.static_dir = static_dir or streamlit_static_dir()
        if warm:
            assets = entry_assets((self.static_dir / "index.html").read_text(encoding="utf-8"))
            threading.Thread(target=self.cache.warm, args=(self.static_dir, assets), name="compress-static", daemon=True).start()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD") and not static_file_exists(self.static_dir, scope["path"]):
            await _static_not_found(scope, receive, send)
            return
        if scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        headers = dict((k.lower(), v) for k, v in scope["headers"])
        coding = accepted_encoding(headers.get(b"accept-encoding", b"").decode("latin-1"))
        changed = _changed(scope["path"])  # always through _send, compressed or not
        if not changed and (coding is None or b"range" in headers):
            await self.app(scope, receive, send)
            return
        if changed:  # its whole new body, never a range of the old one
            scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in (b"range", b"if-range")]}

        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._send(scope["path"], start, b"".join(chunks), coding, send)

        await self.app(scope, receive, capture)

    async def _send(self, path: str, start: Message, body: bytes, coding: str | None, send: Send) -> None:
        response_headers = [(k, v) for k, v in start["headers"]]
        names = {k.lower() for k, _ in response_headers}
        if start["status"] == 200 and b"content-encoding" not in names and (new := served(path, body)) != body:
            # Other bytes than Streamlit's file: its length and validator no longer fit them.
            body = new
            response_headers = [(k, v) for k, v in response_headers if k.lower() not in (b"content-length", b"etag")]
            response_headers.append((b"content-length", str(len(body)).encode()))
            start = {**start, "headers": response_headers}
        content_type = next((v for k, v in response_headers if k.lower() == b"content-type"), b"").decode("latin-1")
        if coding is None or start["status"] != 200 or b"content-encoding" in names or len(body) < _MIN_SIZE or not content_type.startswith(_COMPRESSIBLE):
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        compressed = await anyio.to_thread.run_sync(self.cache.get, path, body, coding)
        kept = [(k, v) for k, v in response_headers if k.lower() not in (b"content-length", b"etag", b"vary")]
        etag = next((v for k, v in response_headers if k.lower() == b"etag"), None)
        if etag is not None:
            # The same file in another encoding: a weak validator, as a compressing proxy would give.
            kept.append((b"etag", etag if etag.startswith(b"W/") else b"W/" + etag))
        kept += [(b"content-encoding", coding.encode()), (b"vary", b"Accept-Encoding"), (b"content-length", str(len(compressed)).encode())]
        await send({**start, "headers": kept})
        await send({"type": "http.response.body", "body": compressed})
