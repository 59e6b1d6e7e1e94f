"""A plain-language page: its Markdown from content/<lang>/<id>.md, then the words it uses."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from components import chrome
from trialguide import content


def screen(page_id: str) -> Callable[[], None]:
    def render() -> None:
        chrome.status_notice()
        body(page_id)
        if page_id == "who-can-join":
            self_check_place()

    render.__name__ = page_id.replace("-", "_")
    return render


def body(page_id: str) -> None:
    page = content.default().page(page_id, chrome.lang())
    st.markdown(page.markdown)
    chrome.words_on_page(page.terms)


def self_check_place() -> None:
    """The way into the self-check, right after the plain summary of who can join."""
    _ = chrome.gettext()
    with st.container(border=True, key="self_check"):
        st.header(_("Check if this study might fit you"), anchor=False)
        st.markdown(_("Answer simple questions, one topic at a time. It takes about 5 minutes, and nothing is saved or sent."))
        chrome.page_link("check", _("Start the self-check"))
