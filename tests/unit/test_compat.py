"""The contract with Streamlit: what components/compat.py, compat.js and the style sheets lean on
beyond Streamlit's documented API still holds in the Streamlit installed. Run it on every
Streamlit upgrade; a failure names what changed."""
from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

from streamlit.testing.v1 import AppTest

from components import compat
from trialguide.web import prerender, render
from trialguide.web.static import lazy_chunks, streamlit_static_dir

ROOT = Path(__file__).resolve().parents[2]
STATIC = streamlit_static_dir()


def frontend() -> str:
    """Streamlit's page: its JavaScript, as the browser gets it."""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted((STATIC / "static" / "js").glob("*.js")))


def test_the_installed_streamlit_is_the_pinned_one():
    pinned = re.search(r"^streamlit==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M).group(1)
    assert version("streamlit") == pinned


def test_every_streamlit_name_the_scripts_and_styles_use_is_still_in_streamlits_page():
    used = set()
    for name in ("compat.js", "compat.css", "style.css", "kiosk.css", "swap.js", "prerender.css"):
        if (render.ASSETS / name).is_file():
            used |= set(re.findall(r'data-testid="?(st[A-Za-z-]+)', render.asset(name)))
    assert {"stApp", "stMain", "stLayoutWrapper", "stPageLink-NavLink", "stRadioOption"} <= used  # the reading works
    page = frontend()
    missing = sorted(name for name in used if name not in page)
    assert missing == [], "Streamlit no longer writes these data-testid names"
    for attribute in ("data-test-script-state", "data-test-connection-state", "st-key-"):
        assert attribute.replace("data-test-", "") in page or attribute in page, attribute


def test_streamlits_index_html_has_the_places_the_pre_render_fills():
    index = (STATIC / "index.html").read_text(encoding="utf-8")
    shell = prerender.Shell.parse(index, lazy_chunks(STATIC))
    assert '<div id="root"></div>' in shell.root_and_end
    assert len(lazy_chunks(STATIC)) == len(prerender.LAZY_CHUNKS)  # every chunk fetched early is still there
    # What the page asks for ahead of Streamlit's start-up is still what its start-up asks for.
    assert all(f"`{path}`" in frontend() for path in prerender.START_FETCHES)


def test_the_internals_compat_reads_are_still_there():
    from streamlit.runtime.scriptrunner import get_script_run_ctx  # the session id of this run

    assert callable(get_script_run_ctx)
    at = AppTest.from_file(str(ROOT / "components" / "main.py"), default_timeout=30)
    at.query_params["lang"] = "en"
    at.run()
    compat.open_page(at, "contact")  # AppTest's page of st.navigation, by its address
    at.run()
    assert at.title[0].value == "Contact the study team"
    assert compat.RECONNECT_KEY in [b.key for b in at.button]  # the hidden button page.js presses


def test_the_live_apps_scripts_survive_streamlits_sanitizer():
    """st.html passes its HTML through DOMPurify, which drops a whole <script> whose text holds a
    less-than sign followed by a letter (it reads as a tag): the kiosk's idle reset, the focus
    after each Continue and every other page.js behaviour then vanish without a word. A comment
    like "w_<question>_value" in compat.js once did exactly that."""
    import re

    from trialguide.web import render as tpl

    for name in ("compat.js", "page.js", "print.js"):
        found = re.findall(r".{0,20}<[A-Za-z/!?].{0,20}", tpl.asset(name))
        assert found == [], (name, found)
