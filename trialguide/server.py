"""What the app's own server adds to Streamlit's: pre-rendered pages and compressed assets.

- Every page path, in every language, answers with Streamlit's own ``index.html`` already holding
  the page (``prerender.py``), its real title, description and Open Graph tags. All of them are
  built and compressed once, when the server starts.
- Streamlit's hashed JavaScript and CSS go out compressed (brotli where the browser takes it,
  else gzip). Streamlit sends them uncompressed on purpose, because compressing on every request
  costs CPU on every request; here each file is compressed once and the bytes are kept, so the
  cost is paid once per file per process. Streamlit still answers every request itself (its path
  checks, its ``immutable`` cache headers); only the body is swapped.

Starlette only, no Streamlit import. The pages are built when the server starts, so a status
reason that depends on today's date (a planned end passing) shows in the pre-render after the
next restart, and in the live app at once.
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import importlib.util
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import anyio
import brotli
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import content, eligibility, handout, i18n, locales, pages, prerender, share
from .share import public_url

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


# ---- Pre-rendered pages ----


@dataclass(frozen=True)
class Variant:
    body: dict[str | None, bytes]  # coding -> bytes (None: plain)
    etag: str


class PrerenderedPages:
    """Every page in every language, rendered and compressed once."""

    def __init__(self, index_html: str, public: str | None = None, lazy_chunks: tuple[str, ...] = ()):
        shell = prerender.Shell.parse(index_html, lazy_chunks)
        self.variants: dict[tuple[str, str, bool], Variant] = {}
        for page in pages.PAGES:
            for lang in locales.LANGS:
                for kiosk in (False, True):
                    plain = prerender.render(shell, page.id, lang, public, kiosk).html.encode("utf-8")
                    etag = '"' + hashlib.sha256(plain).hexdigest()[:32] + '"'
                    bodies = {None: plain, "br": compress(plain, "br"), "gzip": compress(plain, "gzip")}
                    self.variants[(page.id, lang, kiosk)] = Variant(bodies, etag)

    async def endpoint(self, request: Request) -> Response:
        page = pages.BY_PATH.get(request.path_params.get("page", ""), pages.BY_ID["home"])
        chosen = locales.from_query(request.query_params.get("lang"))
        lang = chosen or locales.negotiate(request.headers.get("accept-language"))
        variant = self.variants[(page.id, lang, request.query_params.get("kiosk") == "1")]
        coding = accepted_encoding(request.headers.get("accept-encoding"))
        vary = "Accept-Encoding" if chosen else "Accept-Encoding, Accept-Language"
        headers = {
            "Cache-Control": "no-cache",  # revalidate: asset names inside change with Streamlit
            "ETag": variant.etag,
            "Vary": vary,
            "Content-Language": locales.HTML_LANG[lang],
        }
        if variant.etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        if coding:
            headers["Content-Encoding"] = coding
        return Response(variant.body[coding], media_type="text/html; charset=utf-8", headers=headers)


class _PagePath(Convertor):
    """One path segment that could be a page: no dot (favicon.png, manifest.json stay Streamlit's)
    and no leading underscore (Streamlit's own routes)."""

    regex = r"[^/._][^/.]*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("pagepath", _PagePath())


def lazy_chunks(static_dir: Path) -> tuple[str, ...]:
    """The installed files of prerender.LAZY_CHUNKS (their names carry a hash that changes with
    each Streamlit release); a name this Streamlit no longer has is left out."""
    found = []
    for name in prerender.LAZY_CHUNKS:
        matches = sorted(p.name for p in (static_dir / "static" / "js").glob(f"{name}.*.js") if re.fullmatch(rf"{re.escape(name)}\.[\w-]+\.js", p.name))
        found += matches[:1]
    return tuple(found)


async def handout_endpoint(request: Request) -> Response:
    """The one-page handout (trialguide/handout.py) in the link's or the browser's language."""
    chosen = locales.from_query(request.query_params.get("lang"))
    lang = chosen or locales.negotiate(request.headers.get("accept-language"))
    base = public_url() or share.base_of(str(request.base_url))
    share.warn_if_local_only(base)
    body = handout.render(lang, base, dt.date.today())
    headers = {"Cache-Control": "no-cache", "Content-Language": locales.HTML_LANG[lang]}
    if not chosen:
        headers["Vary"] = "Accept-Language"
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)


# ---- What crawlers and link checkers ask for ----


def _base(request: Request) -> str:
    return public_url() or share.base_of(str(request.base_url))


async def robots_endpoint(request: Request) -> Response:
    """Every page may be read; Streamlit's own machinery is not a page."""
    body = f"User-agent: *\nDisallow: /_stcore/\nDisallow: /static/\nDisallow: /media/\nAllow: /\n\nSitemap: {_base(request)}/sitemap.xml\n"
    return Response(body, media_type="text/plain; charset=utf-8", headers={"Cache-Control": "public, max-age=3600"})


def sitemap_xml(base: str) -> str:
    """Every page in every language, each with its other languages as hreflang alternates."""
    esc = lambda text: text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")  # noqa: E731
    entries = []
    for page in pages.PAGES:
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{locales.HTML_LANG[other]}" href="{esc(base + pages.url(page.id, other))}"/>'
            for other in locales.LANGS
        ) + f'<xhtml:link rel="alternate" hreflang="x-default" href="{esc(base + "/" + page.path)}"/>'
        entries += [f"<url><loc>{esc(base + pages.url(page.id, lang))}</loc>{alternates}</url>" for lang in locales.LANGS]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        + "\n".join(entries) + "\n</urlset>\n"
    )


async def sitemap_endpoint(request: Request) -> Response:
    return Response(sitemap_xml(_base(request)), media_type="application/xml; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=3600"})


def check_content() -> None:
    """Read and check every content file, catalog and self-check rule once, as the server starts:
    a broken file stops it with the file and key named, before any visitor could see a gap."""
    content.default()
    i18n.default()
    eligibility.default()


def routes(static_dir: Path | None = None) -> list[Route]:
    check_content()
    share.warn_without_public_url()  # else a QR code made on localhost or a private address leads nowhere
    static_dir = static_dir or streamlit_static_dir()
    site = PrerenderedPages((static_dir / "index.html").read_text(encoding="utf-8"), public_url(), lazy_chunks(static_dir))
    return [
        Route("/", site.endpoint, methods=["GET", "HEAD"]),
        Route("/handout", handout_endpoint, methods=["GET", "HEAD"]),
        Route("/robots.txt", robots_endpoint, methods=["GET", "HEAD"]),
        Route("/sitemap.xml", sitemap_endpoint, methods=["GET", "HEAD"]),
        # Any other one-segment path: its page, or the home page for an unknown one, as the live app does.
        Route("/{page:pagepath}", site.endpoint, methods=["GET", "HEAD"]),
    ]


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
                body = file.read_bytes()
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
        if coding is None or b"range" in headers:
            await self.app(scope, receive, send)
            return

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

    async def _send(self, path: str, start: Message, body: bytes, coding: str, send: Send) -> None:
        response_headers = [(k, v) for k, v in start["headers"]]
        names = {k.lower() for k, _ in response_headers}
        content_type = next((v for k, v in response_headers if k.lower() == b"content-type"), b"").decode("latin-1")
        if start["status"] != 200 or b"content-encoding" in names or len(body) < _MIN_SIZE or not content_type.startswith(_COMPRESSIBLE):
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
