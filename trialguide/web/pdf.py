"""The self-check's summary as a PDF, in the visitor's language, built in memory.

Privacy: the PDF is built for the visitor who asked, from the summary passed in, and handed back
as bytes. Nothing here caches, stores, logs or sends it.
"""
from __future__ import annotations

import functools
import io
import itertools
import re
from typing import Callable
from xml.sax.saxutils import escape  # ReportLab's paragraph markup is XML

from trialguide.check.summary import Item, Summary, line
from trialguide.domain import locales

Translate = Callable[[str], str]

# ReportLab's built-in CID fonts: the reader's PDF viewer supplies the glyphs, so no font file
# is shipped or embedded (and a Chinese PDF stays a few kilobytes).
CJK_FONT = {"en": "STSong-Light", "zh": "STSong-Light", "zh-Hant": "MSung-Light"}
LATIN_FONT, LATIN_BOLD = "Helvetica", "Helvetica-Bold"


@functools.cache
def _fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    for name in set(CJK_FONT.values()):
        pdfmetrics.registerFont(UnicodeCIDFont(name))


def _latin(ch: str) -> bool:
    try:
        ch.encode("cp1252")  # what Helvetica can show
        return True
    except UnicodeEncodeError:
        return False


# Superscript digits (×10⁹/L) are in neither Helvetica's nor the CJK font's basic sets: on paper
# they read as many lab reports print them, 10^9.
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _plain_powers(text: str) -> str:
    return re.sub(r"10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: "10^" + m.group(1).translate(_SUPERSCRIPT), text)


def _markup(text: str, lang: str, latin_first: bool) -> str:
    """Paragraph markup for text. ``latin_first`` (English text): Helvetica, with the runs it
    cannot show (Chinese names, ≥) in the CJK font; otherwise the CJK font shows it all."""
    text = _plain_powers(text)
    if not latin_first:
        return escape(text)
    runs = itertools.groupby(text, key=_latin)
    return "".join(escape("".join(chars)) if latin else f'<font name="{CJK_FONT[lang]}">{escape("".join(chars))}</font>'
                   for latin, chars in runs)


def pdf(summary: Summary, _: Translate) -> bytes:
    """The summary as an A4 PDF in the summary's language, built in memory."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    _fonts()
    lang = summary.lang
    english = lang == "en"
    # GB2312 has the middle dot but not "•": a Chinese PDF viewer's own font may show a box for it.
    bullet = "• " if english else "· "
    body_font = LATIN_FONT if english else CJK_FONT[lang]
    bold_font = LATIN_BOLD if english else CJK_FONT[lang]  # the CID fonts have no bold: size and colour instead
    wrap = None if english else "CJK"
    base = ParagraphStyle("body", fontName=body_font, fontSize=10.5, leading=15, wordWrap=wrap, spaceAfter=2)
    styles = {
        "title": ParagraphStyle("title", parent=base, fontName=bold_font, fontSize=18, leading=24, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold_font, fontSize=13.5, leading=19, spaceBefore=10, spaceAfter=4,
                             textColor=HexColor("#0b4f8a")),
        "strong": ParagraphStyle("strong", parent=base, fontName=bold_font, spaceBefore=6),
        "body": base,
        "answer": ParagraphStyle("answer", parent=base, leftIndent=4 * mm),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=12.5, textColor=HexColor("#3a4652"), leftIndent=4 * mm),
    }

    def p(text: str, style: str = "body", registry: bool = False) -> Paragraph:
        # The registry's words are English: in Helvetica, whatever the document's language.
        return Paragraph(_markup(text, lang, latin_first=english or registry), styles[style])

    def items(entries: tuple[Item, ...], headline: Callable[[Item], str], full: bool, rule: bool = False) -> list:
        flow = []
        for i in entries:
            parts = [p(headline(i), "strong")] + ([p(i.rule, "answer")] if rule else [])
            if i.changes:
                parts.append(p(i.changes, "answer"))
            parts += [p(bullet + line(a, _), "answer") for a in i.answers]
            if full:
                parts.append(p(summary.words["means"].format(status=i.status), "answer"))
                parts.append(p(summary.words["quote"].format(source=i.source), "small"))
                parts.append(p(f"“{i.excerpt}”", "small", registry=True))
            else:
                parts.append(p(i.registry_line, "small"))
            flow.append(KeepTogether(parts))
        return flow

    story: list = [p(summary.title, "title"), p(summary.intro), *(p(line_) for line_ in summary.status), p(summary.outcome, "strong")]
    if summary.facts:
        story += [p(summary.words["facts"], "h2"), *(p(line(a, _), "answer") for a in summary.facts)]
    if summary.not_met:
        story += [p(summary.words["not_met"], "h2"), *items(summary.not_met, lambda i: i.rule, full=False)]
    if summary.unknown:
        story += [p(summary.words["unknown"], "h2"), *items(summary.unknown, lambda i: i.ask, full=False, rule=True)]
    if not summary.not_met and not summary.unknown:
        story.append(p(summary.words["none"]))
    story += [Spacer(1, 4 * mm), p(summary.words["every"], "h2"), *items(summary.every, lambda i: i.rule, full=True)]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
        title=summary.title, author="", subject="", creator="", lang=locales.HTML_LANG[lang],
    )
    doc.build(story)
    return buffer.getvalue()
