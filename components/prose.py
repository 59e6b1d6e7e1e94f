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

    render.__name__ = page_id.replace("-", "_")
    return render


def body(page_id: str) -> None:
    page = content.default().page(page_id, chrome.lang())
    st.markdown(page.markdown)
    chrome.words_on_page(page.terms)
