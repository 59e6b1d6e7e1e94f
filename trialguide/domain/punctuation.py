"""Chinese text's full-width punctuation: , : ; ? ! ( ) -> \uff0c \uff1a \uff1b \uff1f \uff01 \uff08 \uff09.

Chinese typesetting uses full-width marks, and Streamlit's Markdown reads ASCII ":word[...]"
as a directive and silently drops the words (":\u5728[\u5316\u7597]" once lost "\u5316\u7597"). Markdown link
targets, {placeholders} and **bold** markers are left alone. Tests fail on ASCII punctuation in
Chinese text; scripts/zh_punctuation.py fixes it.
"""
from __future__ import annotations

import re

FULL = {",": "\uff0c", ":": "\uff1a", ";": "\uff1b", "?": "\uff1f", "!": "\uff01", "(": "\uff08", ")": "\uff09"}
KEEP = re.compile(r"\]\([^)]*\)|\{[a-z0-9_]+\}|\*\*|https?://\S+")
ASCII = re.compile(r"[,:;?!()]")


def full_width(text: str) -> str:
    out, pos = [], 0
    for match in KEEP.finditer(text):
        out.append(ASCII.sub(lambda c: FULL[c.group()], text[pos : match.start()]))
        out.append(match.group())
        pos = match.end()
    out.append(ASCII.sub(lambda c: FULL[c.group()], text[pos:]))
    return "".join(out)


def ascii_marks(text: str) -> list[str]:
    """The ASCII marks a Chinese text still has, outside links and placeholders."""
    return ASCII.findall(KEEP.sub("", text))
