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
    """Where the eligibility self-check will start. Until it exists, say what to do instead."""
    _ = chrome.gettext()
    with st.container(border=True, key="self_check"):
        st.header(_("Check if this study might fit you"), anchor=False)
        st.markdown(
            _("A step-by-step self-check is on its way. Until then, take the lists above to your doctor, or call the study team.")
        )
        chrome.page_link("questions", _("Questions to ask your doctor"))
        chrome.page_link("doctors", _("The full list of rules, as the registry gives them"))
