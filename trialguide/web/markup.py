"""Markdown to HTML with markdown-it-py, for pages rendered on the server.

The same CommonMark rules Streamlit's own Markdown follows, with tables (GFM); raw HTML is
allowed because content and catalogs are ours and every value put into them is escaped.
"""
from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt


@functools.cache
def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "breaks": False}).enable("table")


def render(markdown: str) -> str:
    return _md().render(markdown)


_IN_PAGE_LINK = re.compile(r'<a href="#[^"]*">(.*?)</a>', re.S)


def render_for_paper(markdown: str) -> str:
    """HTML for print: links within the page (to the glossary) become plain words."""
    return _IN_PAGE_LINK.sub(r"\1", render(markdown))
