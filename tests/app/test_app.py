"""The app runs every page in both languages, from deep links and from hostile URLs (AppTest)."""
import html
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import compat
from trialguide.pages.registry import pages as site_pages
from tests.http.hostile import QUERIES, as_params
from trialguide.domain import i18n
ROOT = Path(__file__).resolve().parents[2]
ZH = i18n.translator(i18n.load(ROOT / "locales"), "zh")


def open_app(path: str = "", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "components" / "main.py"), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if path:
        # AppTest.switch_page only takes page files; these pages are functions, so select the
        # page the way a browser does: by the hash Streamlit registered for its URL path.
        compat.open_page(at, path)
        at.run()
    assert not at.exception, at.exception
    return at


def prose(at: AppTest) -> list[str]:
    """The words of each block of the page's own prose (Markdown the server renders, drawn with
    st.html as chrome.prose draws it), in order, without their markup."""
    return [html.unescape(re.sub(r"<[^>]+>", "", h.value)).strip() for h in at.html if h.value.startswith('<div class="tg-prose">')]


@pytest.mark.parametrize("screen", site_pages(), ids=lambda s: s.id)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_renders_its_title_in_each_language(screen, lang):
    at = open_app(screen.path, lang=lang)
    expected = screen.title[lang]
    assert at.title[0].value == expected
    assert at.query_params["lang"] == lang


def test_status_comes_first_on_the_home_page():
    at = open_app(lang="en")
    assert at.header[0].value == "Study status"
    assert "Most likely not." in prose(at)[0]


@pytest.mark.parametrize("path", ["", "check"])
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q[:40])
def test_hostile_links_open_the_page_in_english_and_leave_nothing_in_the_link(query, path):
    at = open_app(path, **as_params(query))
    assert at.title[0].value == (site_pages()[0].title["en"] if not path else "Check if this study might fit you")
    assert dict(at.query_params) == {"lang": "en"}  # nothing hostile stays in a link someone shares
    assert not at.exception


def test_no_language_in_link_or_browser_means_english_and_the_link_says_so():
    # AppTest sends no Accept-Language; the browser tests check negotiation from that header.
    at = open_app()
    assert at.title[0].value == site_pages()[0].title["en"]
    assert at.query_params["lang"] == "en"


def test_a_kiosk_warns_long_enough_to_answer_by_default(monkeypatch):
    """WCAG 2.2.1: at least 20 s to say "I'm still here" before the kiosk starts over (the tests
    run with a short countdown; a kiosk keeps the default)."""
    from components import chrome

    monkeypatch.delenv(chrome.KIOSK_WARNING_ENV, raising=False)
    monkeypatch.delenv(chrome.KIOSK_IDLE_ENV, raising=False)
    settings = chrome._kiosk_settings(lambda text: text)
    assert settings["warning"] == chrome.KIOSK_WARNING_SECONDS >= 20
    assert settings["idle"] == 120


def test_a_changed_registry_record_is_said_first_in_the_live_app(tmp_path, monkeypatch):
    """The scheduled check (deploy/README.md) found the record changed: the live page says so
    before its status panel, in the visitor's language."""
    import datetime as dt
    import json

    from trialguide.domain import registry_watch
    from trialguide.pages import views

    record = json.loads((ROOT / "tests" / "fixtures" / "NCT03890068.json").read_text(encoding="utf-8"))
    record["hasResults"] = True
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2026-11-20"
    status = tmp_path / "registry.json"
    registry_watch.write(status, record, dt.datetime(2026, 11, 21, 3, 17, tzinfo=dt.timezone.utc))
    monkeypatch.setenv(registry_watch.STATUS_ENV, str(status))
    views.view.cache_clear()
    try:
        at = open_app(lang="zh")
        assert prose(at)[0].startswith("请注意：我们写好这个网站以后，这项研究在ClinicalTrials.gov上的记录有了更新（最近一次是2026年11月20日）。")
        assert at.header[0].value == ZH("Study status")
        assert any("我们最近一次查看" in words and "2026年11月21日" in words for words in prose(at))
    finally:
        views.view.cache_clear()
