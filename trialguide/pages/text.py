"""Markdown as a reader sees it, in plain text: a page's opening sentences for a link's preview,
and the parts of a page that the handout reprints. Plain Python; the HTML is written in web/."""
from __future__ import annotations

import functools
import html
import re

from markdown_it import MarkdownIt

_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|dt|dd|td|th|blockquote)>|<br\s*/?>")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|(?<=[。？！])")


@functools.cache
def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "breaks": False}).enable("table")


def plain_text(markdown: str) -> str:
    """What a reader sees of the Markdown, as one line of text."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", _BLOCK_END.sub(" ", _md().render(markdown))))).strip()


def opening(markdown: str, limit: int = 160) -> str:
    """The first paragraph's first sentences, as many as fit in ``limit`` characters (at least one)."""
    first_paragraph = next((p for p in markdown.split("\n\n") if p.strip() and not p.lstrip().startswith("#")), markdown)
    sentences = [s for s in _SENTENCE_END.split(plain_text(first_paragraph)) if s]
    text = sentences[0] if sentences else ""
    for sentence in sentences[1:]:
        joined = text + ("" if text.endswith(("。", "？", "！")) else " ") + sentence
        if len(joined) > limit:
            break
        text = joined
    return text.strip()


def is_sentence(markdown: str) -> bool:
    """Whether the text holds at least one whole sentence (a label such as a city does not)."""
    return bool(re.search(r"[.?!。？！]", plain_text(markdown)))


def section(markdown: str, index: int) -> str:
    """The body of the index-th "## " section (0 = the first heading's), without its heading.
    Both languages of a page have the same sections, in the same order (tests/test_content.py)."""
    parts = re.split(r"^## .*$", markdown, flags=re.M)
    return parts[index + 1].strip()


def paragraphs(markdown: str, count: int) -> str:
    """The first ``count`` paragraphs."""
    return "\n\n".join([p for p in markdown.split("\n\n") if p.strip()][:count])
