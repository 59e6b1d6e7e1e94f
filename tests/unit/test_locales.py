"""Which language a visitor gets, and how dates and numbers read in it."""
import datetime as dt

import pytest

from trialguide.domain import locales
@pytest.mark.parametrize(
    "header, expected",
    [
        (None, "en"),
        ("", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("zh-Hans-CN", "zh"),
        ("zh-TW,zh;q=0.9", "zh-Hant"),  # Traditional characters: Taiwan, Hong Kong, Macau
        ("zh-HK", "zh-Hant"),
        ("zh-MO,en;q=0.5", "zh-Hant"),
        ("zh-Hant", "zh-Hant"),
        ("zh-Hant-HK", "zh-Hant"),
        ("zh-SG", "zh"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("en;q=0.5,zh;q=0.9", "zh"),  # q-values, not order, decide
        ("fr-FR,fr;q=0.9", "en"),  # nothing we offer: English
        ("fr-FR,zh;q=0.1", "zh"),
        ("zh;q=0", "en"),  # q=0 means "not this one"
        ("*", "en"),
        ("zh;q=abc,en", "en"),
        ("x" * 5000, "en"),
    ],
)
def test_accept_language_negotiation(header, expected):
    assert locales.negotiate(header) == expected


@pytest.mark.parametrize(
    "url_value, header, expected",
    [
        ("zh", "en-US", "zh"),  # the link wins over the browser
        ("en", "zh-CN", "en"),
        (" ZH ", None, "zh"),
        ("fr", "zh-CN", "zh"),  # unknown value: fall back to the browser
        ("<script>alert(1)</script>", None, "en"),
        ("z" * 10_000, None, "en"),
        ("zh\u202e", None, "en"),
        ("ｚｈ", None, "en"),
        (None, None, "en"),
        (["zh"], None, "en"),
    ],
)
def test_language_from_url_then_browser(url_value, header, expected):
    assert locales.resolve(url_value, lambda: header) == expected


@pytest.mark.parametrize(
    "lang, expected",
    [("en", "April 11, 2019"), ("zh", "2019\u5e744\u670811\u65e5")],
)
def test_dates_are_written_for_the_language(lang, expected):
    assert locales.format_date(dt.date(2019, 4, 11), lang) == expected


@pytest.mark.parametrize("lang, expected", [("en", "April 2019"), ("zh", "2019\u5e744\u6708")])
def test_month_only_facts_do_not_invent_a_day(lang, expected):
    assert locales.format_month(dt.date(2019, 4, 1), lang) == expected


@pytest.mark.parametrize("value, lang, expected", [(0.16, "en", "16%"), (0.98, "zh", "98%"), (0.105, "en", "10.5%")])
def test_shares_read_as_percentages(value, lang, expected):
    assert locales.format_share(value, lang) == expected


@pytest.mark.parametrize("value, lang, expected", [(9.1, "zh", "9.1"), (1234, "en", "1,234"), (6.27, "en", "6.27")])
def test_numbers(value, lang, expected):
    assert locales.format_number(value, lang) == expected
