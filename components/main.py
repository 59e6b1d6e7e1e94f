"""The Streamlit script the server runs for each visitor: page setup, language, navigation.

Page bodies are in ``trialguide.pages.views`` (drawn by ``chrome.draw``) and ``components/check.py``.
"""
import streamlit as st

from components import chrome
from components.registry import PAGES, RENDER
from trialguide.pages import views
st.set_page_config(layout="centered", initial_sidebar_state="collapsed")

lang = chrome.start()
_ = chrome.gettext(lang)
pages = {spec.id: st.Page(RENDER[spec.id], title=_(spec.title), url_path=spec.path or None, default=not spec.path) for spec in PAGES}
st.session_state["pages"] = pages
current = st.navigation(list(pages.values()), position="hidden")
current_id = next(page_id for page_id, page in pages.items() if page is current)
# The browser tab says what the pre-rendered page said: the page, then the study.
st.set_page_config(page_title=views.document_title(current.title, _))

chrome.header()
st.title(current.title, anchor=False)
current.run()
chrome.share_panel(current_id)
chrome.footer(current_id)
