"""The Streamlit script the server runs for each visitor: page setup, language, navigation.

Every page is the model ``trialguide.pages.views.view`` builds, drawn by ``chrome``; the
self-check is interactive and has its own module (``check``).
"""
import streamlit as st

from components import chrome, registry
from components import check
from trialguide.pages import registry as site
from trialguide.pages import views

st.set_page_config(layout="centered", initial_sidebar_state="collapsed")

lang = chrome.start()
st.session_state["drawn_lang"] = lang  # the language the whole page is drawn in (check.render compares)
kiosk = chrome.kiosk()
pages = {spec.id: st.Page(registry.page_function(spec), title=spec.title[lang], url_path=spec.path or None, default=not spec.path)
         for spec in site.pages()}
st.session_state["pages"] = pages
current = st.navigation(list(pages.values()), position="hidden")
st.session_state["page_id"] = page_id = next(pid for pid, page in pages.items() if page is current)
if chrome.session_replaced():
    check.note_answers_lost()
view = views.view(page_id, lang, kiosk)
# The browser tab says what the pre-rendered page said: the page, then the study.
st.set_page_config(page_title=view.document_title)

chrome.header(view)
st.title(view.title, anchor=False)
current.run()
chrome.footer(view)
# Last, after everything the copy has: the copy has no share panel (its link needs the visitor's
# address), so nothing the reader may be reading moves when the live app adds it.
chrome.share_panel(view)
