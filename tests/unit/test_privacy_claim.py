"""The self-check's privacy sentence says what the server really does, in every language.

Streamlit keeps a session (and the answers in it) for ``server.disconnectedSessionTTL`` seconds
after its connection drops; then its session store makes the session unreachable and drops it.
The sentence "N minutes after you close the page, they can no longer be reached" takes N from
that setting in .streamlit/config.toml (trialguide/pages/views.py), never from a number typed into
the text: these tests read the configured value and every language's sentence together.
"""
from __future__ import annotations

import math
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from trialguide.domain import zh_hant
from trialguide.domain import locales
from trialguide.pages import blocks, views
ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".streamlit" / "config.toml"

# How each language says "N minutes after you close the page": the N it states. Traditional
# Chinese is generated from the Simplified, so its words are too (scripts/zh_hant.py).
HANT = zh_hant.Converter().convert
SAYS_MINUTES = {
    "en": re.compile(r"(\d+) minutes? after you close"),
    "zh": re.compile(r"关掉(?:这个)?页面[^。\d]{0,20}?(\d+)分钟后"),  # 关掉页面或断开连接（…）20分钟后
    "zh-Hant": re.compile(
        re.escape(HANT("关掉")) + "(?:" + re.escape(HANT("这个")) + ")?" + re.escape(HANT("页面")) + r"[^。\d]{0,20}?(\d+)" + re.escape(HANT("分钟后"))
    ),
}
# How each language says that the server writes the answers to no file and no log.
SAYS_NO_FILE = {
    "en": "never writes them to a file or a log",
    "zh": "服务器不会把它们写进任何文件或日志",
}
SAYS_NO_FILE["zh-Hant"] = HANT(SAYS_NO_FILE["zh"])


def configured_ttl(path: Path = CONFIG) -> int:
    with path.open("rb") as fh:
        return tomllib.load(fh)["server"]["disconnectedSessionTTL"]


def _texts(shown) -> list[str]:
    texts = []
    for block in shown:
        if isinstance(block, blocks.Box):
            texts += _texts(block.children)
        elif isinstance(block, blocks.Markdown):
            texts.append(block.text)
    return texts


def privacy_sentences(lang: str) -> dict[str, str]:
    """Where the app makes the claim: the self-check's start screen, and the way into it at the
    end of "Who the study was for"."""
    return {
        "check start": "\n".join(_texts(views.view("check", lang).blocks)),
        "who-can-join": "\n".join(_texts(views.view("who-can-join", lang).blocks)),
    }


def test_the_session_lifetime_is_set_in_the_config():
    # Set explicitly, not left to Streamlit's default: the sentence rests on it.
    assert isinstance(configured_ttl(), int) and configured_ttl() > 0


@pytest.mark.parametrize("lang", locales.LANGS)
def test_the_sentence_states_the_configured_minutes(lang):
    minutes = math.ceil(configured_ttl() / 60)
    for where, text in privacy_sentences(lang).items():
        stated = SAYS_MINUTES[lang].findall(text)
        assert stated == [str(minutes)], f"{lang}, {where}: says {stated} minutes, config.toml gives {configured_ttl()} s"
        assert SAYS_NO_FILE[lang] in text, (lang, where)


@pytest.mark.parametrize("lang", locales.LANGS)
def test_the_minutes_follow_the_config_not_the_text(lang, tmp_path, monkeypatch):
    # Another lifetime in the config: every language's sentence follows it.
    config = tmp_path / "config.toml"
    config.write_text("[server]\ndisconnectedSessionTTL = 300\n", encoding="utf-8")
    monkeypatch.setattr(views, "STREAMLIT_CONFIG", config)
    views.session_ttl_seconds.cache_clear()
    views.view.cache_clear()  # page models are built once per process: this one is built anew
    try:
        for where, text in privacy_sentences(lang).items():
            assert SAYS_MINUTES[lang].findall(text) == ["5"], (lang, where)
    finally:
        views.session_ttl_seconds.cache_clear()
        views.view.cache_clear()


def test_streamlit_itself_reads_the_same_value():
    # Streamlit's own reading of the configuration, as `streamlit run app.py` from the checkout sees it.
    # (A separate process: re-reading the configuration here would reset options other tests set.)
    out = subprocess.run(
        [sys.executable, "-c", "from streamlit import config; print(config.get_option('server.disconnectedSessionTTL'))"],
        cwd=ROOT, capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT / ".no-home")},  # no STREAMLIT_* variable, no ~/.streamlit
    )
    assert int(out.stdout.strip().splitlines()[-1]) == configured_ttl()


def test_no_launcher_overrides_the_session_lifetime():
    # A flag or an environment variable would make the sentence wrong while config.toml looks right.
    launchers = [ROOT / "app.py", *sorted((ROOT / "scripts").glob("*.sh")), *sorted((ROOT / "deploy").glob("*"))]
    overriding = [
        str(path.relative_to(ROOT))
        for path in launchers
        if path.is_file() and path.suffix != ".md"
        and re.search(r"disconnectedSessionTTL|DISCONNECTED_SESSION_TTL", path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert overriding == []
