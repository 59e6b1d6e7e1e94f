"""The server: Streamlit's, plus every page pre-rendered and its assets sent compressed.

``streamlit run app.py`` finds ``app`` below and serves it. The Streamlit script each visitor
runs is ``components/main.py``; what this server adds is in ``trialguide/server.py``.
"""
import streamlit as st
from starlette.middleware import Middleware

from trialguide import server

app = st.App(
    "components/main.py",
    routes=server.routes(),
    middleware=[Middleware(server.CompressStaticMiddleware)],
)
