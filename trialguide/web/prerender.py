"""The HTML the server sends first: Streamlit's own ``index.html`` with the page already in it.

A phone on a slow network reads the page at once, and a shared link's preview shows the page's
real title and first sentence instead of "Streamlit". The words are the blocks of
``trialguide.pages.views``, the very model the live app draws, so the two cannot say different things.
When the live app has drawn its own first heading, a few lines of inline script remove this
copy; with JavaScript off it stays, a complete page whose links lead to other such pages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from trialguide.domain import locales
from trialguide.pages import views
from trialguide.web import render as tpl

_NOSCRIPT = re.compile(r"\s*<noscript>.*?</noscript>", re.S)
_STYLESHEET = re.compile(r"\s*<link rel=\"stylesheet\"[^>]*>")
# Streamlit preloads its Source Sans font (170 KB); this app's theme uses the phone's own fonts
# (.streamlit/config.toml), so the preload would only slow the first visit.
_FONT_PRELOAD = re.compile(r"\s*<link\s+rel=\"preload\"[^>]*as=\"font\"[^>]*/?>", re.S)
_MODULE_SCRIPT = re.compile(r'<script type="module" crossorigin src="([^"]+)"></script>')
_HINT = re.compile(r'\s*<link rel="(?:modulepreload|preload)" (?:as="fetch" )?crossorigin href="[^"]+">')
# Parts of Streamlit's app that it loads only once the page's first run asks for them. Every page
# here needs them at once (page links, buttons, the app's own HTML), so they are fetched with the
# rest instead of after a round trip to the server. Names without their content hash. (Markdown
# with HTML would need rehype-raw too, 48 KB: the app draws its HTML with st.html instead.)
LAZY_CHUNKS = ("PageLink", "Button", "Html", "purify.es")
# What Streamlit's script asks the server for once it has started, before it opens its WebSocket
# (both at once, with a plain fetch). Asked for with the page instead, their answers are there
# when it asks: one round trip less before the live app (bench.firstload: about 150 ms on slow 4G).
START_FETCHES = ("_stcore/health", "_stcore/host-config")


class ShellError(ValueError):
    """Streamlit's index.html no longer has the shape this module fills in."""


@dataclass(frozen=True)
class Shell:
    """Streamlit's index.html, cut where the page's language, head and content go."""

    before_lang: str
    before_title: str
    head_rest: str
    body_start: str
    root_and_end: str

    @classmethod
    def parse(cls, index_html: str, lazy_chunks: tuple[str, ...] = ()) -> "Shell":
        """``lazy_chunks``: file names under static/js/ to fetch at once (see LAZY_CHUNKS)."""
        text = _NOSCRIPT.sub("", index_html)  # Streamlit's English note to JavaScript-less readers
        text = _FONT_PRELOAD.sub("", text)
        for marker in ('<html lang="en">', "<title>Streamlit</title>", "<body>", '<div id="root"></div>'):
            if text.count(marker) != 1:
                raise ShellError(f"Streamlit's index.html: expected {marker!r} once")
        before_lang, rest = text.split('<html lang="en">')
        before_title, rest = rest.split("<title>Streamlit</title>")
        head_rest, rest = rest.split("<body>")
        body_start, rest = rest.split('<div id="root"></div>')
        # Streamlit's stylesheet blocks painting while in the head; at the end of the body it
        # still loads early (found by the preload scanner) but the pre-rendered words paint first.
        stylesheets = "".join(_STYLESHEET.findall(head_rest))
        head_rest = _STYLESHEET.sub("", head_rest)
        head_rest = "".join(f'\n    <link rel="modulepreload" crossorigin href="./static/js/{name}">' for name in lazy_chunks) + head_rest
        head_rest = "".join(f'\n    <link rel="preload" as="fetch" crossorigin href="./{path}">' for path in START_FETCHES) + head_rest
        # Streamlit's script runs after the copy's first paint (later.js): inert until then
        # (Lighthouse on slow 4G: first paint 3.8 s before, 0.8 s after; the live app no later).
        if len(_MODULE_SCRIPT.findall(head_rest)) != 1:
            raise ShellError("Streamlit's index.html: expected one module script")
        head_rest = _MODULE_SCRIPT.sub(r'<link rel="modulepreload" crossorigin href="\1"><script type="tg-module" data-src="\1"></script>', head_rest)
        # Its files are fetched once the copy is painted too (later.js takes these hints out of
        # their template): asked for with the page, they shared a slow link with the page itself,
        # and Lighthouse counted all of them (600 KB on slow 4G) as before the words (LCP 2-3 s).
        hints = "".join(_HINT.findall(head_rest))
        head_rest = '\n    <template id="tg-later">' + hints + "</template>" + _HINT.sub("", head_rest)
        return cls(before_lang, before_title, head_rest, body_start, stylesheets + '<div id="root"></div>' + rest)


@dataclass(frozen=True)
class Rendered:
    page_id: str
    lang: str
    title: str
    description: str
    html: str


def copy_scripts() -> tuple[str, ...]:
    """The copy's own inline scripts: compat.js (Streamlit's page, named once), swap.js, which
    removes the copy once the live app has drawn the same page, and later.js, which starts
    Streamlit's scripts once the copy is painted."""
    return (tpl.asset("compat.js"), tpl.asset("swap.js"), tpl.asset("later.js"))


def _style(kiosk: bool = False) -> str:
    """The live app's style sheets (a kiosk's too), then the copy's own: drawn where the app draws."""
    names = ("style.css", "compat.css", "prerender.css", "kiosk.css") if kiosk else ("style.css", "compat.css", "prerender.css")
    return "".join(tpl.asset(name) for name in names)


def render(shell: Shell, page_id: str, lang: str, public_url: str | None = None, kiosk: bool = False) -> Rendered:
    """``kiosk``: the copy a clinic's touch screen (?kiosk=1) shows first: no way out of the app."""
    view = views.view(page_id, lang, kiosk)
    _ = views.translator(lang)
    words = {
        "skip": _("Skip to main content"),
        "start_over": _("Start over"),
        "loading": _("The questions are loading. This takes a few seconds on a slow connection."),
        "no_js": _("The questions need JavaScript, which is turned off in this browser. You can call the study team instead."),
    }
    head = tpl.macro("page.html", "head", view, public_url, Markup(_style(kiosk)))
    body = tpl.macro("page.html", "body", view, words)
    document = (
        shell.before_lang
        + f'<html lang="{locales.HTML_LANG[lang]}">'
        + shell.before_title
        + head
        + shell.head_rest
        + "<body>"
        + shell.body_start
        + body
        + shell.root_and_end.replace('<div id="root"></div>', '<div id="root"></div>' + "".join(f"<script>{s}</script>" for s in copy_scripts()), 1)
    )
    return Rendered(page_id, lang, view.document_title, view.description, document)
