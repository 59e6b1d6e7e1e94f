"""Which language a visitor sees, and how dates and numbers are written in it.

Order of precedence: a valid ``lang`` in the URL (so a shared link opens in its language),
then the browser's Accept-Language, then English. Anything else in the
URL (unknown, very long, markup) is ignored, never echoed.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Callable

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_skeleton
from babel.numbers import format_decimal, format_percent

# English, Simplified Chinese (mainland), Traditional Chinese (Hong Kong and Macau visitors;
# generated from the Simplified by scripts/zh_hant.py with OpenCC).
LANGS = ("en", "zh", "zh-Hant")
DEFAULT_LANG = "en"
# Babel locale per language; each catalog directory must carry exactly this name.
BABEL_LOCALE = {"en": "en_US", "zh": "zh_Hans_CN", "zh-Hant": "zh_Hant_HK"}
HTML_LANG = {"en": "en", "zh": "zh-Hans", "zh-Hant": "zh-Hant"}
# Open Graph names a locale as language_TERRITORY.
OG_LOCALE = {"en": "en_US", "zh": "zh_CN", "zh-Hant": "zh_HK"}
# How each language names itself in the language switch.
ENDONYM = {"en": "English", "zh": "简体中文", "zh-Hant": "繁體中文"}
# Accept-Language tags that mean Traditional characters.
_TRADITIONAL = re.compile(r"^zh-(hant|hk|mo|tw)\b", re.I)

_MAX_HEADER = 1000
_BY_LOWER = {code.lower(): code for code in LANGS}


def parse_accept_language(header: str | None) -> list[str]:
    """Language tags from an Accept-Language header, best first (q-values honoured)."""
    if not header:
        return []
    weighted = [(-q, position, tag) for position, (tag, q) in enumerate(weighted_tokens(header)) if tag != "*" and q > 0]
    return [tag for _, _, tag in sorted(weighted)]


def weighted_tokens(header: str | None, limit: int = _MAX_HEADER) -> list[tuple[str, float]]:
    """(token, q) for each entry of an HTTP list header such as Accept-Language or
    Accept-Encoding, in the order given; a q that is not a number counts as 0."""
    tokens = []
    for part in (header or "")[:limit].split(","):
        token, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if token.strip():
            tokens.append((token.strip(), q))
    return tokens


def negotiate(header: str | None) -> str:
    """The best of our languages for an Accept-Language header, English when none fits:
    zh-HK, zh-MO, zh-TW and zh-Hant read Traditional; any other zh, Simplified."""
    for tag in parse_accept_language(header):
        lowered = tag.lower()
        if lowered == "zh" or lowered.startswith("zh-"):
            return "zh-Hant" if _TRADITIONAL.match(lowered) else "zh"
        if lowered == "en" or lowered.startswith("en-"):
            return "en"
    return DEFAULT_LANG


def from_query(value: object) -> str | None:
    """Our language code if ``value`` (a URL parameter) names one exactly, else None."""
    if isinstance(value, str):
        return _BY_LOWER.get(value.strip().lower())
    return None


def resolve(query_value: object, accept_language: Callable[[], str | None]) -> str:
    """``accept_language`` is asked for only when the link names no language of ours."""
    return from_query(query_value) or negotiate(accept_language())


def locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALE[lang])


def format_date(value: dt.date, lang: str) -> str:
    """April 11, 2019 / 2019年4月11日"""
    return _format_date(value, format="long", locale=BABEL_LOCALE[lang])


def format_month(value: dt.date, lang: str) -> str:
    """April 2019 / 2019年4月: for facts known only to the month."""
    return format_skeleton("yMMMM", value, locale=BABEL_LOCALE[lang])


def format_number(value: float | int, lang: str) -> str:
    return format_decimal(Decimal(str(value)), locale=BABEL_LOCALE[lang])


def format_share(value: float, lang: str) -> str:
    """0.16 -> 16%, keeping one decimal only where the source gives one."""
    pattern = "#,##0.#%"
    return format_percent(Decimal(str(value)), format=pattern, locale=BABEL_LOCALE[lang])
