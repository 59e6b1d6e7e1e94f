"""The frame around every screen: language, header, status notice, navigation and footer.

The visitor's language lives in the URL (``?lang=zh``) so that a shared link opens in it;
every internal link carries it. Nothing a visitor types is ever put in the URL.
"""
from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from typing import Callable

import streamlit as st

from trialguide import content, i18n, locales

ROOT = Path(__file__).resolve().parent.parent
ASSETS = Path(__file__).resolve().parent / "assets"
KNOWN_PARAMS = ("lang",)


@functools.cache
def _catalogs() -> dict[str, dict[str, str]]:
    return i18n.load(ROOT / "locales")


@functools.cache
def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def lang() -> str:
    return st.session_state.get("lang", locales.DEFAULT_LANG)


def gettext(language: str | None = None) -> Callable[[str], str]:
    return i18n.translator(_catalogs(), language or lang())


def start() -> str:
    """Decide this run's language, make the URL show it, and set up the page."""
    params = st.query_params
    chosen = locales.resolve(params.get("lang"), st.context.headers.get("Accept-Language"))
    for key in list(params.keys()):
        if key not in KNOWN_PARAMS:
            del params[key]  # hostile or stale parameters never stay in a link someone shares
    if params.get("lang") != chosen:
        params["lang"] = chosen
    st.session_state["lang"] = chosen
    _inject(chosen)
    return chosen


def _inject(language: str) -> None:
    _ = gettext(language)
    other = other_lang(language)
    script = (
        _asset("page.js")
        .replace("@@HTML_LANG@@", locales.HTML_LANG[language])
        .replace("@@OTHER_HTML_LANG@@", locales.HTML_LANG[other])
        .replace('"@@SKIP_TEXT@@"', json.dumps(_("Skip to main content")))
    )
    st.html(f"<style>{_asset('style.css')}</style>")
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def other_lang(language: str) -> str:
    return next(code for code in locales.LANGS if code != language)


def pages() -> dict[str, st.Page]:
    return st.session_state["pages"]


def page_link(page_id: str, label: str, **kwargs) -> None:
    st.page_link(pages()[page_id], label=label, query_params={"lang": lang()}, **kwargs)


def header() -> None:
    _ = gettext()
    other = other_lang(lang())
    with st.container(horizontal=True, horizontal_alignment="distribute", vertical_alignment="center"):
        st.page_link(pages()["home"], label=_("Anlotinib study · NCT03890068"), query_params={"lang": lang()})
        # A button, not a link to the same page: only a write to st.query_params updates the
        # address bar, and the address must show the language for a shared link to keep it.
        st.button(locales.ENDONYM[other], key="lang_switch", on_click=_switch_language, args=(other,))


def _switch_language(language: str) -> None:
    st.query_params["lang"] = language
    st.session_state["lang"] = language


def call_button(label: str | None = None) -> None:
    _ = gettext()
    site = content.default().facts["site"]
    text = label or _("Call the study team: {phone}").format(phone=site["phone_local"])
    st.html(f'<a class="tg-button" href="{html.escape(site["phone_tel"])}">{html.escape(text)}</a>')


def status_notice(call: bool = True) -> None:
    """One line on every page but home: a deep link must not hide the study's status."""
    _ = gettext()
    with st.container(border=True, key="status_notice"):
        st.markdown(_("**This study has most likely stopped taking new patients.** Call the study team to check."))
        if call:
            call_button()
        page_link("home", _("Why we think so"))


def words_on_page(terms: tuple[str, ...], heading: str | None = None, link_all: bool = True) -> None:
    """Definitions of the terms a page uses; in-page links (#g-<id>) jump here."""
    if not terms:
        return
    _ = gettext()
    glossary = content.default().glossary
    st.header(heading or _("Words on this page"), anchor=False)
    items = "".join(
        f'<dt id="g-{term}">{html.escape(glossary[term][lang()]["term"])}</dt>'
        f'<dd>{html.escape(glossary[term][lang()]["text"])}</dd>'
        for term in terms
    )
    st.markdown(f'<dl class="tg-words">{items}</dl>', unsafe_allow_html=True)
    if link_all:
        page_link("glossary", _("All words explained"))


def footer(current_id: str) -> None:
    _ = gettext()
    from components.registry import PAGES  # the page list imports the screens, which import chrome

    st.divider()
    st.header(_("More about this study"), anchor=False)
    with st.container(key="pagelinks"):
        for spec in PAGES:
            if spec.id != current_id:
                page_link(spec.id, _(spec.title))
    fact = content.default().facts["study"]
    st.markdown(
        _("Sources: the study's record on ClinicalTrials.gov ({nct_id}, last updated {date}) and the study team's published paper.").format(
            nct_id=fact["nct_id"], date=locales.format_date(fact["last_updated"], lang())
        )
    )
