"""Every technical term, in the visitor's language (English sorted A to Z)."""
from __future__ import annotations

from components import chrome
from trialguide import content


def render() -> None:
    _ = chrome.gettext()
    lang = chrome.lang()
    chrome.status_notice()
    glossary = content.default().glossary
    terms = tuple(glossary)
    if lang == "en":
        terms = tuple(sorted(terms, key=lambda t: glossary[t]["en"]["term"].casefold()))
    chrome.words_on_page(terms, heading=_("All the words"), link_all=False)
