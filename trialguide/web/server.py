"""The app's own routes beside Streamlit's: every page pre-rendered, the handout, robots.txt and
the sitemap.

Every page path, in every language, answers with Streamlit's own ``index.html`` already holding
the page (``prerender.py``), its real title, description and Open Graph tags. All of them are
built and compressed when the server starts, and again in the background when what they say
can change: a new day (a status reason that depends on the date, a planned end passing) or a new
result of the scheduled registry check (``registry_watch``). Until the new set is ready the old
one answers; the live app says the new state at once. Starlette only, no Streamlit import.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from trialguide.check import eligibility
from trialguide.domain import content, i18n, locales, registry_watch
from trialguide.pages import registry as pages
from trialguide.pages import views
from trialguide.web import handout, prerender, share
from trialguide.web import render as tpl
from trialguide.web.share import public_url
from trialguide.web.static import accepted_encoding, compress, lazy_chunks, streamlit_static_dir


# ---- Pre-rendered pages ----


@dataclass(frozen=True)
class Variant:
    body: dict[str | None, bytes]  # coding -> bytes (None: plain)
    etag: str


def _state() -> tuple:
    """What the pre-rendered pages depend on besides the content: the day and the registry check."""
    return dt.date.today(), registry_watch.current()


class PrerenderedPages:
    """Every page in every language, rendered and compressed once per state (``_state``)."""

    def __init__(self, index_html: str, public: str | None = None, lazy_chunks: tuple[str, ...] = ()):
        self.shell, self.public = prerender.Shell.parse(index_html, lazy_chunks), public
        self.state = _state()
        self.variants = self._build()
        self._rebuilding = threading.Lock()

    def _build(self) -> dict[tuple[str, str, bool], Variant]:
        variants = {}
        for page in pages.pages():
            for lang in locales.LANGS:
                for kiosk in (False, True):
                    plain = prerender.render(self.shell, page.id, lang, self.public, kiosk).html.encode("utf-8")
                    etag = '"' + hashlib.sha256(plain).hexdigest()[:32] + '"'
                    bodies = {None: plain, "br": compress(plain, "br"), "gzip": compress(plain, "gzip")}
                    variants[(page.id, lang, kiosk)] = Variant(bodies, etag)
        return variants

    def refresh(self, wait: bool = False) -> None:
        """Build the pages again if their state changed: in a thread of its own (a few seconds of
        one core), one build at a time, swapped in whole when done."""
        state = _state()
        if state == self.state or not self._rebuilding.acquire(blocking=False):
            return

        def build() -> None:
            try:
                self.variants, self.state = self._build(), state
            finally:
                self._rebuilding.release()

        worker = threading.Thread(target=build, name="prerender", daemon=True)
        worker.start()
        if wait:
            worker.join()

    async def endpoint(self, request: Request) -> Response:
        self.refresh()
        chosen = locales.from_query(request.query_params.get("lang"))
        lang = chosen or locales.negotiate(request.headers.get("accept-language"))
        kiosk = request.query_params.get("kiosk") == "1"
        page = pages.by_path(request.path_params.get("page", ""))
        if page is None:  # an address that is no page: the home page, in the visitor's language
            return RedirectResponse(pages.url(pages.home().id, lang, kiosk), status_code=302, headers={"Cache-Control": "no-store"})
        variant = self.variants[(page.id, lang, kiosk)]
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


class _AnyPath(Convertor):
    """Any path that is not Streamlit's own: its machinery (``/_stcore/``, ``/static/``, ``/media/``,
    ``/component/``, ``/app/static/``) and the files at its folder's root (its icon, its manifest)
    stay Streamlit's; everything else is a page or no page (``routes``)."""

    RESERVED = ("static/", "media/", "component/", "app/static/")

    def __init__(self, files: tuple[str, ...]) -> None:
        reserved = "|".join(re.escape(prefix) for prefix in self.RESERVED)
        named = "|".join(re.escape(name) for name in files) or "(?!)"
        self.regex = f"(?!_)(?!(?:{reserved}))(?!(?:{named})$).*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


async def handout_endpoint(request: Request) -> Response:
    """The one-page handout (trialguide/web/handout.py) in the link's or the browser's language."""
    chosen = locales.from_query(request.query_params.get("lang"))
    lang = chosen or locales.negotiate(request.headers.get("accept-language"))
    base = public_url() or share.base_of(str(request.base_url))
    share.warn_if_local_only(base)
    body = handout.render(lang, base, dt.date.today())
    headers = {"Cache-Control": "no-cache", "Content-Language": locales.HTML_LANG[lang]}
    if not chosen:
        headers["Vary"] = "Accept-Language"
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)


async def qr_endpoint(request: Request) -> Response:
    """The QR code of a page's link in a language, one registry criterion added (``at=exc-7``):
    what the share panel shows when a doctor picks one (share.qr_href, page.js). Only this
    site's links: another page name, language or anchor is no QR code at all."""
    query = request.query_params
    lang, page = locales.from_query(query.get("lang")), query.get("page", "")
    at = query.get("at", "")
    if lang is None or page not in {p.id for p in pages.pages()} or (at and at not in views.criterion_ids()):
        return Response("No such page.", status_code=404, media_type="text/plain; charset=utf-8")
    base = _base(request)
    share.warn_if_local_only(base)
    body = share.qr_svg_file(share.link(base, page, lang, at))
    return Response(body, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=3600"})


# ---- What crawlers and link checkers ask for ----


def _base(request: Request) -> str:
    return public_url() or share.base_of(str(request.base_url))


async def robots_endpoint(request: Request) -> Response:
    """Every page may be read; Streamlit's own machinery is not a page."""
    body = f"User-agent: *\nDisallow: /_stcore/\nDisallow: /static/\nDisallow: /media/\nAllow: /\n\nSitemap: {_base(request)}/sitemap.xml\n"  # text, not HTML
    return Response(body, media_type="text/plain; charset=utf-8", headers={"Cache-Control": "public, max-age=3600"})


def sitemap_xml(base: str) -> str:
    """Every page in every language, each with its other languages as hreflang alternates."""
    return tpl.page("sitemap.xml", base=base, pages=pages.pages())


async def sitemap_endpoint(request: Request) -> Response:
    return Response(sitemap_xml(_base(request)), media_type="application/xml; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=3600"})


def check_content() -> None:
    """Read and check every content file, catalog and self-check rule once, as the server starts:
    a broken file stops it with the file and key named, before any visitor could see a gap."""
    content.default()
    i18n.default()
    eligibility.default()
    views.check_pages()


def routes(static_dir: Path | None = None) -> list[Route]:
    check_content()
    share.warn_without_public_url()  # else a QR code made on localhost or a private address leads nowhere
    static_dir = static_dir or streamlit_static_dir()
    site = PrerenderedPages((static_dir / "index.html").read_text(encoding="utf-8"), public_url(), lazy_chunks(static_dir))
    register_url_convertor("tgpage", _AnyPath(tuple(sorted(p.name for p in static_dir.iterdir() if p.is_file()))))
    return [
        Route("/", site.endpoint, methods=["GET", "HEAD"]),
        Route("/handout", handout_endpoint, methods=["GET", "HEAD"]),
        Route("/qr.svg", qr_endpoint, methods=["GET", "HEAD"]),
        Route("/robots.txt", robots_endpoint, methods=["GET", "HEAD"]),
        Route("/sitemap.xml", sitemap_endpoint, methods=["GET", "HEAD"]),
        # Any other path: its page, or a redirect home for one that is no page (never Streamlit's
        # "Page not found" dialog, in English, over the home page).
        Route("/{page:tgpage}", site.endpoint, methods=["GET", "HEAD"]),
    ]
