"""The frame around every screen: language, header, status notice, navigation and footer.

The visitor's language lives in the URL (``?lang=zh``) so that a shared link opens in it;
every internal link carries it. Nothing a visitor types is ever put in the URL.
"""
from __future__ import annotations

import contextlib
import functools
import html
import json
import os
from pathlib import Path
from typing import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from trialguide.domain import content
from trialguide.domain import i18n
from trialguide.domain import locales
from trialguide.web import prerender
from trialguide.web import security
from trialguide.web import share
from trialguide.pages import views
KNOWN_PARAMS = ("lang", "kiosk")
# A clinic's shared touch screen: turned on by the start address (?kiosk=1), kept for the visit.
KIOSK_IDLE_ENV = "TRIALGUIDE_KIOSK_IDLE_SECONDS"
KIOSK_WARNING_SECONDS = 30  # at least 20 s to say "I'm still here" (WCAG 2.2.1)
# A clinic that attaches a printer to its kiosk turns printing back on (never "Save as PDF": a
# shared screen's downloads would keep one visitor's summary for the next).
KIOSK_PRINT_ENV = "TRIALGUIDE_KIOSK_PRINT"


def _asset(name: str) -> str:
    return security.app_script(name)


def lang() -> str:
    return st.session_state.get("lang", locales.DEFAULT_LANG)


def gettext(language: str | None = None) -> Callable[[str], str]:
    return i18n.translator(i18n.default(), language or lang())


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
    if _answers_lost():
        st.session_state["answers_lost"] = True  # told on the self-check's start screen, once
    return chosen


def _answers_lost() -> bool:
    """True on the first run of a session that replaced one the server no longer has (a restart,
    a replica lost): what this visit had, the self-check's answers included, is gone.

    A page that reconnects names, in its WebSocket request, the session it had (Streamlit's
    reconnect); a new session answering such a page means that one is gone. Streamlit's page,
    back from a lost connection, may go on showing its last screen until a tap; page.js presses
    the hidden button below instead, so the page shows what the server holds. After a short drop
    the server still has the session, and the same screen comes back with every answer.
    """
    _ = gettext()
    st.button(_("Show this page again"), key="reconnected")
    if "seen" in st.session_state:
        return False
    st.session_state["seen"] = True
    entries = (st.context.headers.get("Sec-WebSocket-Protocol") or "").split(",")
    had = entries[2].strip() if len(entries) > 2 else ""
    return bool(had) and had != get_script_run_ctx().session_id


def _inject(language: str) -> None:
    _ = gettext(language)
    settings = {
        "lang": locales.HTML_LANG[language],
        "switchLangs": {f".st-key-{_switch_key(code, language)} button": locales.HTML_LANG[code] for code in other_langs(language)},
        "skip": _("Skip to main content"),
        "kiosk": _kiosk_settings(_) if kiosk() else None,
    }
    st.html(f"<style>{_asset('style.css')}{_asset('kiosk.css') if kiosk() else ''}</style>")
    st.html(f'<script data-tg="{html.escape(json.dumps(settings))}">{_asset("page.js")}</script>', unsafe_allow_javascript=True)


def kiosk() -> bool:
    return bool(st.session_state.get("kiosk"))


def kiosk_prints() -> bool:
    """Whether this kiosk has a printer: TRIALGUIDE_KIOSK_PRINT=1."""
    return os.environ.get(KIOSK_PRINT_ENV, "") == "1"


def _kiosk_settings(_) -> dict:
    return {
        "idle": int(os.environ.get(KIOSK_IDLE_ENV, "120")),
        "warning": KIOSK_WARNING_SECONDS,
        "title": _("Are you still there?"),
        "text": _("No one has touched the screen for a while. In {seconds} seconds this page starts over and every answer is wiped."),
        "stay": _("I'm still here"),
    }


def _params() -> dict[str, str]:
    """What every link inside the app carries: the language, and kiosk mode on a kiosk."""
    return {"lang": lang(), **({"kiosk": "1"} if kiosk() else {})}


other_langs = views.other_langs


def _switch_key(code: str, current: str) -> str:
    """The first language to switch to keeps the key "lang_switch"; the others get their code."""
    return "lang_switch" if code == other_langs(current)[0] else f"lang_switch_{code}"


def pages() -> dict[str, st.Page]:
    return st.session_state["pages"]


def page_link(page_id: str, label: str, **kwargs) -> None:
    st.page_link(pages()[page_id], label=label, query_params=_params(), **kwargs)


def header() -> None:
    _ = gettext()
    with st.container(horizontal=True, horizontal_alignment="distribute", vertical_alignment="center", key="tg_header"):
        st.page_link(pages()["home"], label=views.short_name(_), query_params=_params())
        # Buttons, not links to the same page: only a write to st.query_params updates the
        # address bar, and the address must show the language for a shared link to keep it.
        with st.container(horizontal=True, gap="small", key="lang_switches", width="content"):
            for code in other_langs(lang()):
                st.button(locales.ENDONYM[code], key=_switch_key(code, lang()), on_click=_switch_language, args=(code,))
        if kiosk():
            # page.js starts over the way the idle reset does: a new page and session, no history.
            label = _("Start over")
            st.html(f'<button type="button" class="tg-start-over">{html.escape(label)}</button>')


def _switch_language(language: str) -> None:
    st.query_params["lang"] = language
    st.session_state["lang"] = language


def call_button() -> None:
    draw((views.call(gettext()),))


def draw(blocks: tuple[views.Block, ...]) -> None:
    """Draw a page's blocks (``trialguide.pages.views``) with Streamlit; the pre-render draws the same."""
    for block in blocks:
        if isinstance(block, views.Heading):
            st.header(block.text, anchor=False)
        elif kiosk() and getattr(block, "leaves", False):
            continue  # a kiosk leads nowhere outside the app
        elif isinstance(block, views.Markdown):
            st.markdown(block.text)
        elif isinstance(block, views.Html):
            if block.bare:
                st.html(block.html)
            else:
                st.markdown(block.html, unsafe_allow_html=True)
        elif isinstance(block, views.Caption):
            st.caption(block.text)
        elif isinstance(block, views.Call):
            st.html(prerender.call_html(block.label, kiosk()))
        elif isinstance(block, views.Links):
            with st.container(key=block.key) if block.key else contextlib.nullcontext():
                for page_id, label in block.items:
                    page_link(page_id, label)
        elif isinstance(block, views.Words):
            st.header(block.heading, anchor=False)
            st.markdown(prerender.words_dl(block), unsafe_allow_html=True)
            if block.all_words:
                page_link("glossary", block.all_words)
        elif isinstance(block, views.Box):
            with st.container(border=True, key=block.key):
                draw(block.children)
        else:  # pragma: no cover - a new block type must be drawn here and in prerender.py
            raise TypeError(f"no way to draw {block!r}")


def words_on_page(terms: tuple[str, ...]) -> None:
    draw(views.words(terms, lang(), gettext()))


def share_panel(page_id: str) -> None:
    """This page's link in this language (never an answer or a session), a copy button and a QR
    code made here, for an oncologist to send or a patient to carry to their own phone."""
    _ = gettext()
    base = share.public_url() or share.base_of(str(getattr(st.context, "url", "") or ""))
    with st.container(border=True, key="share"):
        st.header(_("Share this page"), anchor=False)
        st.markdown(_("Send this link, or let someone scan the code. It opens this page in this language, and never holds anyone's answers."))
        anchor = ""
        if page_id == "doctors":  # a referring doctor can send one registry criterion
            registry = content.default().registry
            criteria = [item["id"] for kind in ("inclusion", "exclusion") for item in registry[kind]]
            whole = _("The whole page")
            anchor = st.selectbox(
                _("Or share one criterion"), ["", *criteria], key="share_criterion",
                format_func=lambda c: views.criterion_name(c, _) if c else whole,
            )
        link = share.link(base, page_id, lang(), anchor)
        qr = share.qr_img(link, _("QR code: {link}").format(link=link))
        copied, copy, handout = _("Copied"), _("Copy the link"), _("Print a one-page handout for patients")
        if kiosk():  # carried away by the QR code only: nothing to copy or print on a shared screen
            st.html(f'<p class="tg-share-link" lang="en">{html.escape(link)}</p><div class="tg-qr">{qr}</div>')
            return
        st.html(
            f'<p class="tg-share-link" lang="en">{html.escape(link)}</p>'
            f'<button type="button" class="tg-button tg-copy" data-link="{html.escape(link)}" data-done="{html.escape(copied)}">'
            f'{html.escape(copy)}</button> <span class="tg-copied" role="status" aria-live="polite"></span>'
            f'<div class="tg-qr">{qr}</div>'
            f'<p><a href="/handout?lang={lang()}" target="_self">{html.escape(handout)}</a></p>'
        )


def footer(current_id: str) -> None:
    with st.container(key="tg_footer"):  # named for print: a printed summary leaves it out
        st.divider()
        draw(views.footer(current_id, lang(), gettext()))
