"""The frame around every screen: language, header, blocks, share panel and footer.

The visitor's language lives in the URL (``?lang=zh``) so that a shared link opens in it;
every internal link carries it. Nothing a visitor types is ever put in the URL.
"""
from __future__ import annotations

import json
import os
from typing import Callable

import streamlit as st
from markupsafe import Markup

from components import compat
from trialguide.domain import content, i18n, locales
from trialguide.pages import blocks as b
from trialguide.pages import views
from trialguide.web import render as tpl
from trialguide.web import share

KNOWN_PARAMS = ("lang", "kiosk")
# A clinic's shared touch screen: turned on by the start address (?kiosk=1), kept for the visit.
KIOSK_IDLE_ENV = "TRIALGUIDE_KIOSK_IDLE_SECONDS"
# How long the warning counts down before the kiosk starts over: at least 20 s to say "I'm still
# here" (WCAG 2.2.1). The tests set a short one; a kiosk never needs to.
KIOSK_WARNING_ENV = "TRIALGUIDE_KIOSK_WARNING_SECONDS"
KIOSK_WARNING_SECONDS = 30
# A clinic that attaches a printer to its kiosk turns printing back on (never "Save as PDF": a
# shared screen's downloads would keep one visitor's summary for the next).
KIOSK_PRINT_ENV = "TRIALGUIDE_KIOSK_PRINT"


def lang() -> str:
    return st.session_state.get("lang", locales.DEFAULT_LANG)


def page_id() -> str:
    """The page this run draws (main.py records it)."""
    return st.session_state.get("page_id", "")


def gettext(language: str | None = None) -> Callable[[str], str]:
    return i18n.translator(i18n.default(), language or lang())


def kiosk() -> bool:
    return bool(st.session_state.get("kiosk"))


def kiosk_prints() -> bool:
    """Whether this kiosk has a printer: TRIALGUIDE_KIOSK_PRINT=1."""
    return os.environ.get(KIOSK_PRINT_ENV, "") == "1"


def start() -> str:
    """Decide this run's language, make the URL show it, and set up the page."""
    params = st.query_params
    # The headers are read only on a first run without a language in the link: after that, it has one.
    chosen = locales.resolve(params.get("lang"), lambda: st.context.headers.get("Accept-Language"))
    if params.get("kiosk") == "1":
        st.session_state["kiosk"] = True  # nothing on screen turns it off
    for key in list(params.keys()):
        if key not in KNOWN_PARAMS:
            del params[key]  # hostile or stale parameters never stay in a link someone shares
    if params.get("lang") != chosen:
        params["lang"] = chosen
    if kiosk():
        if params.get("kiosk") != "1":
            params["kiosk"] = "1"
    elif "kiosk" in params:
        del params["kiosk"]
    st.session_state["lang"] = chosen
    _inject(chosen)
    return chosen


def session_replaced() -> bool:
    """True on the first run of a session that replaced one the server no longer has (a restart,
    a replica lost): what this visit had, the self-check's answers included, is gone. On every
    run it also offers page.js the way to ask for this page again after a reconnect."""
    _ = gettext()
    compat.reconnect_button(_("Show this page again"))
    if "seen" in st.session_state:
        return False
    st.session_state["seen"] = True
    return compat.session_was_replaced()


def _inject(language: str) -> None:
    _ = gettext(language)
    settings = {
        "lang": locales.HTML_LANG[language],
        "switchLangs": {_switch_key(code, language): locales.HTML_LANG[code] for code in views.other_langs(language)},
        "skip": _("Skip to main content"),
        "newQuestion": _("A new question appeared below: {question}"),
        "kiosk": _kiosk_settings(_) if kiosk() else None,
    }
    css = tpl.asset("style.css") + tpl.asset("compat.css") + (tpl.asset("kiosk.css") if kiosk() else "")
    st.html(tpl.macro("app.html", "style", Markup(css)))
    st.html(tpl.macro("app.html", "page_script", json.dumps(settings), Markup(compat.page_script())), unsafe_allow_javascript=True)


def _kiosk_settings(_) -> dict:
    return {
        "idle": int(os.environ.get(KIOSK_IDLE_ENV, "120")),
        "warning": int(os.environ.get(KIOSK_WARNING_ENV, KIOSK_WARNING_SECONDS)),
        "title": _("Are you still there?"),
        "text": _("No one has touched the screen for a while. In {seconds} seconds this page starts over and every answer is wiped."),
        "stay": _("I'm still here"),
    }


def _params() -> dict[str, str]:
    """What every link inside the app carries: the language, and kiosk mode on a kiosk."""
    return {"lang": lang(), **({"kiosk": "1"} if kiosk() else {})}


def _switch_key(code: str, current: str) -> str:
    """The first language to switch to keeps the key "lang_switch"; the others get their code."""
    return "lang_switch" if code == views.other_langs(current)[0] else f"lang_switch_{code}"


def pages() -> dict[str, st.Page]:
    return st.session_state["pages"]


def page_link(target: str, label: str, **kwargs) -> None:
    st.page_link(pages()[target], label=label, query_params=_params(), **kwargs)


def header(view: views.View) -> None:
    with st.container(horizontal=True, horizontal_alignment="distribute", vertical_alignment="center", key="tg_header"):
        page_link(next(iter(pages())), view.site_name)
        # Buttons, not links to the same page: only a write to st.query_params updates the
        # address bar, and the address must show the language for a shared link to keep it.
        with st.container(horizontal=True, gap="small", key="lang_switches", width="content"):
            for code in view.other_langs:
                st.button(locales.ENDONYM[code], key=_switch_key(code, view.lang), on_click=_switch_language, args=(code,))
        if kiosk():
            # page.js starts over the way the idle reset does: a new page and session, no history.
            _ = gettext()
            st.html(tpl.macro("app.html", "start_over", _("Start over")))


def _switch_language(language: str) -> None:
    st.query_params["lang"] = language
    st.session_state["lang"] = language


def prose(markup: str) -> None:
    """The app's own HTML, looking as Streamlit's Markdown would draw it. Never through
    st.markdown(unsafe_allow_html=True): that makes every phone fetch and run Streamlit's HTML
    parser for Markdown (rehype-raw, 48 KB) for HTML the server has already written."""
    st.html(tpl.macro("app.html", "prose", Markup(markup)))


def draw(blocks: tuple[b.Block, ...]) -> None:
    """Draw a page's blocks with Streamlit where it has the element (headings, captions, page
    links, boxes), else with the same template the pre-rendered page uses
    (``trialguide/web/templates/blocks.html``). A page's Markdown is the server's HTML too: the
    phone does not parse it again (Streamlit's Markdown was the largest part of the work a phone
    did to draw a prose page)."""
    for block in blocks:
        if isinstance(block, b.Heading):
            st.header(block.text, anchor=False)
        elif isinstance(block, b.Caption):
            st.caption(block.text)
        elif isinstance(block, b.Call):
            prose(tpl.block(block, lang(), kiosk()))  # a paragraph, as in the copy: its margin ends as Markdown's do
        elif isinstance(block, b.Outside):
            st.html(tpl.block(block, lang(), kiosk()))  # links that look like buttons, no paragraph around them
        elif isinstance(block, b.Links):
            with st.container(key=block.key) if block.key else st.container():
                for target, label in block.items:
                    page_link(target, label)
        elif isinstance(block, b.Words):
            st.header(block.heading, anchor=False)
            prose(tpl.words_list(block))
            if block.all_words:
                page_link(next(p.id for p in content.default().site.pages if p.view == "glossary"), block.all_words)
        elif isinstance(block, b.Box):
            with st.container(border=True, key=block.key):
                draw(block.children)
        else:  # Text, Link, Facts, Verbatim, Criteria: as the pre-render draws them
            prose(tpl.block(block, lang(), kiosk()))


def share_panel(view: views.View) -> None:
    """This page's link in this language (never an answer or a session), a copy button and a QR
    code made here, for an oncologist to send or a patient to carry to their own phone."""
    _ = gettext()
    base = share.public_url() or share.base_of(compat.page_url())
    with st.container(border=True, key="share"):
        st.header(_("Share this page"), anchor=False)
        st.markdown(_("Send this link, or let someone scan the code. It opens this page in this language, and never holds anyone's answers."))
        choices = ()
        if view.kind == "doctors":  # a referring doctor can send one registry criterion
            choices = tuple((c, views.criterion_name(c, lang())) for c in views.criterion_ids())
        link = share.link(base, view.page_id, lang())
        label = _("QR code: {link}")
        words = {"copied": _("Copied"), "copy": _("Copy the link"), "handout": _("Print a one-page handout for patients"),
                 "choose": _("Or share one criterion"), "whole": _("The whole page"), "qr_label": label}
        st.html(tpl.macro("app.html", "share", link, share.qr_data_uri(link), label.format(link=link), words, kiosk(),
                          f"/handout?lang={lang()}", choices, share.qr_href(view.page_id, lang())))


def footer(view: views.View) -> None:
    with st.container(key="tg_footer"):  # named for print: a printed summary leaves it out
        st.divider()
        draw(view.footer)
