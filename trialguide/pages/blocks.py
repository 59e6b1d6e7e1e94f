"""What a page is made of: typed blocks, each in the visitor's language, never raw HTML.

The live app draws them with Streamlit (``components/chrome.py``) and the server draws them as
HTML (``trialguide/web/``), so the words a phone shows before the app has loaded are the words
the app then shows. A kiosk's page is built without the blocks that lead out of the app
(``pages.views``), so neither renderer needs a kiosk rule of its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Markdown:
    text: str


@dataclass(frozen=True)
class Text:
    """A paragraph in another language than the page's (a name or an address as it is written
    there): marked with its own language for screen readers and fonts."""

    text: str
    lang: str  # one of locales.LANGS


@dataclass(frozen=True)
class Caption:
    text: str


@dataclass(frozen=True)
class Call:
    """The number to call: a tap-to-call button, or on a kiosk (no phone to call from) the
    number shown large."""

    label: str
    tel: str  # tel: address
    dial: bool = True
    number: str = ""  # the number as written in the label, kept on one line


@dataclass(frozen=True)
class Numbers:
    """Phone numbers, one line each, each number kept whole on its line (a phone broke
    "+86 20 8734 3383" after "+86")."""

    rows: tuple[tuple[str, str, str], ...]  # (words before, the number, words after)


@dataclass(frozen=True)
class Links:
    """Links to other pages of the site, in the visitor's language. ``key`` names the group."""

    items: tuple[tuple[str, str], ...]  # (page id, label)
    key: str | None = None


@dataclass(frozen=True)
class Outside:
    """Links to other websites (map apps), drawn as buttons; they open only when tapped."""

    items: tuple[tuple[str, str], ...]  # (address, label)


@dataclass(frozen=True)
class Link:
    """One link to an address of this site that is not a page of the app (the handout)."""

    href: str
    label: str


@dataclass(frozen=True)
class Words:
    """Definitions of glossary terms; in-page links (#g-<id>) jump here."""

    heading: str
    items: tuple[tuple[str, str, str], ...]  # (term id, term, explanation), in order
    all_words: str | None  # label of the link to the glossary page, if shown


@dataclass(frozen=True)
class Facts:
    """Label and value rows; a value is in ``lang`` (the record's English unless a row says)."""

    rows: tuple[tuple[str, str, str], ...]  # (label, value, value's language)


@dataclass(frozen=True)
class Verbatim:
    """The registry's own words, quoted, in their language."""

    paragraphs: tuple[str, ...]
    lang: str = "en"


@dataclass(frozen=True)
class Criteria:
    """The registry's criteria, each with its own anchor (#inc-3) and its name above its words
    (a link to one lands on it: the name says which list it is in), and, where the record is
    unclear, how the self-check reads it."""

    items: tuple[tuple[str, str, str, tuple[str, ...]], ...]  # (id, "Exclusion criterion 9", the registry's words, readings)
    reads_as: str  # "How the self-check reads this:"


@dataclass(frozen=True)
class Box:
    key: str
    children: tuple["Block", ...]


Block = Union[Heading, Markdown, Text, Caption, Call, Numbers, Links, Outside, Link, Words, Facts, Verbatim, Criteria, Box]
