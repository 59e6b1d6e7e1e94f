"""The first screen: the study's honest status before anything else, then what it is."""
from __future__ import annotations

import streamlit as st

from components import chrome
from trialguide import content


def render() -> None:
    _ = chrome.gettext()
    lang = chrome.lang()
    data = content.default()
    status = data.page("status", lang)
    with st.container(border=True, key="status_panel"):
        st.header(_("Study status"), anchor=False)
        st.markdown(status.markdown)
        chrome.call_button()
    page = data.page("home", lang)
    st.header(_("What this study is"), anchor=False)
    st.markdown(page.markdown)
    st.header(_("Read more"), anchor=False)
    with st.container(key="nextlinks"):
        for page_id, label in (
            ("check", _("Check if this study might fit you")),
            ("about", _("What the study tests, and why")),
            ("taking-part", _("What taking part involves")),
            ("who-can-join", _("Who can join")),
            ("results", _("What the study found")),
            ("questions", _("Questions to ask your doctor")),
            ("contact", _("Contact the study team")),
            ("doctors", _("For doctors: the registry record")),
        ):
            chrome.page_link(page_id, label)
    chrome.words_on_page(tuple(dict.fromkeys(status.terms + page.terms)))
