"""Every place the app leans on Streamlit beyond its documented API, in one module.

Streamlit's public API cannot say which session a reconnecting page had, cannot let a page ask
for a rerun, and cannot open one page of a multipage app in AppTest. What the app needs of its
internals is here, and what its scripts and styles need of Streamlit's page (its ``data-testid``
names, its ``st-key-*`` classes) is in ``trialguide/web/assets/compat.js`` and ``compat.css``.
``tests/unit/test_compat.py`` is the contract: run it on every Streamlit upgrade; a failure names
what changed.
"""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from trialguide.web import render as tpl

# The hidden button page.js presses to ask for the page again after a reconnect (compat.css
# hides it; compat.js finds it by this key).
RECONNECT_KEY = "reconnected"


def session_was_replaced() -> bool:
    """Whether this run's session replaced one the page still names.

    A page that reconnects names, in its WebSocket request, the session it had: Streamlit's
    frontend sends it as the third entry of ``Sec-WebSocket-Protocol``. A new session answering
    such a page means the server no longer has the old one (a restart, a replica lost)."""
    entries = (st.context.headers.get("Sec-WebSocket-Protocol") or "").split(",")
    had = entries[2].strip() if len(entries) > 2 else ""
    ctx = get_script_run_ctx()
    return bool(had) and ctx is not None and had != ctx.session_id


def reconnect_button(label: str) -> None:
    """Streamlit has no way for a page to ask for a rerun: page.js presses this (never seen)."""
    st.button(label, key=RECONNECT_KEY)


def page_url() -> str:
    """The address the visitor's browser used (without a public address configured)."""
    return str(getattr(st.context, "url", "") or "")


def page_script() -> str:
    """The live app's script: compat.js (Streamlit's page, named once) then page.js."""
    return tpl.page_script()


def open_page(at, url_path: str) -> None:
    """AppTest (tests, bench/rerun.py) on one page of the app: AppTest has no public way to open a
    page of ``st.navigation`` by its address."""
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == url_path)
