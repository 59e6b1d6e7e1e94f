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
    md = MarkdownIt("commonmark", {"html": True, "breaks": False}).enable("table")

    def link_open(renderer, tokens, idx, options, env):
        """A link to another site opens in a new tab, as Streamlit's Markdown opens it: the
        visitor's page (and a self-check in progress) stays where it was."""
        token = tokens[idx]
        if str(token.attrGet("href") or "").startswith(("http://", "https://")):
            token.attrSet("target", "_blank")
            token.attrSet("rel", "noopener noreferrer")
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


def render(markdown: str) -> str:
    return _md().render(markdown)


_IN_PAGE_LINK = re.compile(r'<a href="#[^"]*">(.*?)</a>', re.S)


def render_for_paper(markdown: str) -> str:
    """HTML for print: links within the page (to the glossary) become plain words."""
    return _IN_PAGE_LINK.sub(r"\1", render(markdown))
