"""The server: Streamlit's, plus every page pre-rendered, its assets sent compressed, and the
security headers on every response.

``streamlit run app.py`` finds ``app`` below and serves it. The Streamlit script each visitor
runs is ``components/main.py``; what this server adds is in ``trialguide/web/``: its routes
(``server.py``), Streamlit's files sent compressed (``static.py``) and the headers (``security.py``).
"""
import streamlit as st
from starlette.middleware import Middleware

from trialguide.web import logs, security, server, static

logs.install()  # one line per event in the server's log, tracebacks folded in

app = st.App(
    "components/main.py",
    routes=server.routes(),
    middleware=[Middleware(security.SecurityHeadersMiddleware), Middleware(static.CompressStaticMiddleware)],
)
