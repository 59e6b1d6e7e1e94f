"""The HTML the server sends first: Streamlit's own ``index.html`` with the page already in it.

A phone on a slow network reads the page at once, and a shared link's preview shows the page's
real title and first sentence instead of "Streamlit". The words are the blocks of
``trialguide.pages.views``, the very blocks the live app draws, so the two cannot say different things.
When the live app has drawn its own first heading, a few lines of inline script remove this
copy; with JavaScript off it stays, a complete page whose links lead to other such pages.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from trialguide.domain import content
from trialguide.domain import locales
from trialguide.web import markup
from trialguide.pages import registry as pages
from trialguide.pages import views
ASSETS = Path(__file__).resolve().parent / "assets"

# Removes the pre-rendered copy once the live app has drawn the page: its first heading, its run
# finished, and at least as many page links, glossary entries and criteria as the copy shows
# (Streamlit draws some of them a moment after the heading). If the app draws differently, the
# copy still goes a few seconds after the heading. Never two copies on screen: until then the
# copy covers the app, and the app is inert. The same text on every page (one CSP hash fits all).
SWAP_SCRIPT = """(function () {
  // The app is served from the site's root (every page path is one of ours): say so, and
  // Streamlit skips guessing its server under the page's path (a lost round trip on /contact).
  window.__streamlit = window.__streamlit || { BACKEND_BASE_URL: location.origin + "/" };
  var copy = document.getElementById("tg-prerender"), root = document.getElementById("root");
  if (!copy || !root) return;
  root.inert = true;
  copy.querySelectorAll(".tg-no-js").forEach(function (e) { e.hidden = true; });
  copy.querySelectorAll(".tg-js-only").forEach(function (e) { e.hidden = false; });
  var parts = [".st-key-pagelinks a", "dl.tg-words dt", "ol.tg-criteria li"];
  var wanted = parts.map(function (s) { return copy.querySelectorAll(s).length; });
  var timed = false;
  function swap() {
    if (!copy.isConnected) return;
    watch.disconnect();
    copy.remove();
    root.inert = false;
  }
  var watch = new MutationObserver(function () {
    var app = root.querySelector('[data-testid="stApp"]');
    if (!app || !app.querySelector('[data-testid="stMain"] h1')) return;
    if (app.getAttribute("data-test-script-state") === "running") return;
    if (!timed) { timed = true; setTimeout(swap, 4000); }
    for (var i = 0; i < parts.length; i++) {
      if (root.querySelectorAll(parts[i]).length < wanted[i]) return;
    }
    swap();
  });
  watch.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-test-script-state"] });
})();"""

_NOSCRIPT = re.compile(r"\s*<noscript>.*?</noscript>", re.S)
_STYLESHEET = re.compile(r"\s*<link rel=\"stylesheet\"[^>]*>")
# Streamlit preloads its Source Sans font (170 KB); this app's theme uses the phone's own fonts
# (.streamlit/config.toml), so the preload would only slow the first visit.
_FONT_PRELOAD = re.compile(r"\s*<link\s+rel=\"preload\"[^>]*as=\"font\"[^>]*/?>", re.S)
# Parts of Streamlit's app that it loads only once the page's first run asks for them. Every page
# here needs them at once (page links, buttons, Markdown with HTML), so they are fetched with the
# rest instead of after a round trip to the server. Names without their content hash.
LAZY_CHUNKS = ("PageLink", "Button", "Html", "purify.es", "rehype-raw", "hastscript", "web-namespaces")


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
        return cls(before_lang, before_title, head_rest, body_start, stylesheets + '<div id="root"></div>' + rest)


@dataclass(frozen=True)
class Rendered:
    page_id: str
    lang: str
    title: str
    description: str
    html: str


def _style(kiosk: bool = False) -> str:
    """The live app's style sheets (a kiosk's too), then the copy's own: drawn where the app draws."""
    names = ("style.css", "prerender.css", "kiosk.css") if kiosk else ("style.css", "prerender.css")
    return "".join((ASSETS / name).read_text(encoding="utf-8") for name in names)


def _link(page_id: str, lang: str, label: str, attrs: str = "", kiosk: bool = False) -> str:
    href = pages.url(page_id, lang) + ("&kiosk=1" if kiosk else "")
    return f'<a href="{html.escape(href)}"{attrs}>{html.escape(label)}</a>'


def call_html(label: str, kiosk: bool = False) -> str:
    """Tap to call; on a kiosk, with no phone to call from, the number shown large instead."""
    if kiosk:
        return f'<p class="tg-kiosk-phone">{html.escape(label)}</p>'
    tel = content.default().facts["site"]["phone_tel"]
    return f'<a class="tg-button" href="{html.escape(tel)}">{html.escape(label)}</a>'


def words_dl(block: views.Words) -> str:
    """The terms and their explanations; in-page links (#g-<id>) jump here."""
    items = "".join(
        f'<dt id="g-{term_id}">{html.escape(term)}</dt><dd>{html.escape(text)}</dd>'
        for term_id, (term, text) in zip(block.terms, block.items)
    )
    return f'<dl class="tg-words">{items}</dl>'


def block_html(block: views.Block, lang: str, kiosk: bool = False) -> str:
    """One block as HTML; ``components/chrome.draw`` is its Streamlit twin (kiosk rules included)."""
    if kiosk and getattr(block, "leaves", False):
        return ""  # a kiosk leads nowhere outside the app
    if isinstance(block, views.Heading):
        return f"<h2>{html.escape(block.text)}</h2>"
    if isinstance(block, views.Markdown):
        return markup.render(block.text)
    if isinstance(block, views.Html):
        return block.html
    if isinstance(block, views.Caption):
        return f'<p class="tg-caption">{html.escape(block.text)}</p>'
    if isinstance(block, views.Call):
        return call_html(block.label, kiosk) if kiosk else f"<p>{call_html(block.label)}</p>"
    if isinstance(block, views.Links):
        items = "".join(f"<li>{_link(page_id, lang, label, kiosk=kiosk)}</li>" for page_id, label in block.items)
        key = f' class="tg-links st-key-{block.key}"' if block.key else ' class="tg-links"'
        return f"<ul{key}>{items}</ul>"
    if isinstance(block, views.Words):
        more = f'<p>{_link("glossary", lang, block.all_words, kiosk=kiosk)}</p>' if block.all_words else ""
        return f"<h2>{html.escape(block.heading)}</h2>{words_dl(block)}{more}"
    if isinstance(block, views.Box):
        inner = "".join(block_html(child, lang, kiosk) for child in block.children)
        return f'<div class="tg-box st-key-{block.key}">{inner}</div>'
    raise TypeError(f"no way to render {block!r}")


def _head(view: views.View, title: str, public_url: str | None, _: views.Translate, kiosk: bool = False) -> str:
    meta = {
        "description": view.description,
    }
    og = {
        "og:type": "website",
        "og:title": title,
        "og:description": view.description,
        "og:locale": locales.OG_LOCALE[view.lang],
        "og:site_name": views.short_name(_),
    }
    links = []
    if public_url:
        og["og:url"] = public_url + pages.url(view.page_id, view.lang)
        links.append(f'<link rel="canonical" href="{html.escape(og["og:url"])}" />')
        for code in locales.LANGS:
            href = public_url + pages.url(view.page_id, code)
            links.append(f'<link rel="alternate" hreflang="{locales.HTML_LANG[code]}" href="{html.escape(href)}" />')
    parts = [f"<title>{html.escape(title)}</title>"]
    parts += [f'<meta name="{name}" content="{html.escape(value)}" />' for name, value in meta.items()]
    parts += [f'<meta property="{name}" content="{html.escape(value)}" />' for name, value in og.items()]
    parts += [
        f'<meta property="og:locale:alternate" content="{locales.OG_LOCALE[code]}" />' for code in locales.LANGS if code != view.lang
    ]
    parts += links
    parts.append(f"<style>{_style(kiosk)}</style>")
    return "\n    ".join(parts)


def _body(view: views.View, _: views.Translate, kiosk: bool = False) -> str:
    lang = view.lang
    switches = " ".join(
        _link(view.page_id, other, locales.ENDONYM[other], f' class="tg-lang" lang="{locales.HTML_LANG[other]}" hreflang="{locales.HTML_LANG[other]}"', kiosk)
        for other in views.other_langs(lang)
    )
    home_attrs = ' aria-current="page"' if view.page_id == "home" else ""  # as Streamlit marks it
    # A kiosk's "Start over" (page.js) is a fresh kiosk page, which this link also is.
    start_over = _link(view.page_id, lang, _("Start over"), ' class="tg-start-over"', kiosk) if kiosk else ""
    header = (
        f'<header class="tg-header">{_link("home", lang, views.short_name(_), home_attrs, kiosk=kiosk)}'
        f'<span class="tg-langs">{switches}</span>{start_over}</header>'
    )
    main = "".join(block_html(block, lang, kiosk) for block in view.blocks)
    if view.page_id == "check":
        loading = _("The questions are loading. This takes a few seconds on a slow connection.")
        no_js = _("The questions need JavaScript, which is turned off in this browser. You can call the study team instead.")
        # The inline script swaps these two: only a browser that runs scripts is told to wait.
        main += f'<p class="tg-no-js">{html.escape(no_js)}</p><p class="tg-js-only" role="status" hidden>{html.escape(loading)}</p>'
    footer = "".join(block_html(block, lang, kiosk) for block in views.footer(view.page_id, lang, _))
    return (
        f'<div id="tg-prerender" lang="{locales.HTML_LANG[lang]}">'
        f'<a class="tg-skip" href="#tg-main">{html.escape(_("Skip to main content"))}</a>'
        f"{header}"
        f'<main id="tg-main"><h1>{html.escape(view.title)}</h1>{main}<hr />{footer}</main>'
        "</div>"
    )


def render(shell: Shell, page_id: str, lang: str, public_url: str | None = None, kiosk: bool = False) -> Rendered:
    """``kiosk``: the copy a clinic's touch screen (?kiosk=1) shows first: no way out of the app."""
    view = views.view(page_id, lang)
    _ = views.translator(lang)
    title = views.document_title(view.title, _)
    document = (
        shell.before_lang
        + f'<html lang="{locales.HTML_LANG[lang]}">'
        + shell.before_title
        + _head(view, title, public_url, _, kiosk)
        + shell.head_rest
        + "<body>"
        + shell.body_start
        + _body(view, _, kiosk)
        + shell.root_and_end.replace('<div id="root"></div>', f'<div id="root"></div><script>{SWAP_SCRIPT}</script>', 1)
    )
    return Rendered(page_id, lang, title, view.description, document)
