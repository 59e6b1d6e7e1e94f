"""Entry point: page setup, language from the URL, and navigation. Screens live in components/."""
import streamlit as st

from components import chrome
from components.registry import PAGES

st.set_page_config(layout="centered", initial_sidebar_state="collapsed")

lang = chrome.start()
_ = chrome.gettext(lang)
pages = {spec.id: st.Page(spec.render, title=_(spec.title), url_path=spec.path or None, default=not spec.path) for spec in PAGES}
st.session_state["pages"] = pages
current = st.navigation(list(pages.values()), position="hidden")
current_id = next(page_id for page_id, page in pages.items() if page is current)

chrome.header()
st.title(current.title, anchor=False)
current.run()
chrome.footer(current_id)
