"""Agreed words stay agreed: every string a reader sees, checked against the terms the Chinese
review and the truth audit settled (a banned word names the one to use instead)."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from trialguide import i18n

ROOT = Path(__file__).resolve().parent.parent

# pattern -> what to write instead
BANNED = {
    "zh": {
        r"扫描": "CT、核磁、拍片",
        r"请问(您的)?(医生|研究团队)|请问清楚": "请向…询问 / 可以问… (请问 is a polite “may I ask”, not “ask”)",
        r"境内": "中国内地; 从港澳台或国外拨打",
        r"与您无关": "不适用",
        r"没有排除您": "这一条不影响参加",
        r"不是您的问题": "这是研究自己的规定，不是对您个人的评判",
        r"心脏超声": "心脏彩超",
        r"癌症(长大|缩小)": "肿瘤长大/缩小 (疾病进展)",
        r"能活": "预计生存期",
        r"自我检查|开始检查|这个检查": "自查",
        r"(?<!试验)分期": "试验分期 (分期 alone is a tumour stage)",
        r"(?<!正大天晴药业集团（)Chia Tai Tianqing": "正大天晴 (Chia Tai Tianqing)",
    },
    "en": {
        r"\bserious side effects": "severe side effects (grade 3-4 is not 'serious' in the technical sense)",
        r"took place at": "was led from ... with other hospitals",
        r"saved or sent": "sent only to this site's server, kept only while the page is open",
        r"You might be able to join": "The study was for people who",
        r"held back": "how long before the cancer grew",
        r"most common types": "among them",
        r"From inside China": "From mainland China",
    },
}


def _toml_strings(path: Path, lang: str):
    def walk(node, key_path):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, key_path + (key,))
        elif isinstance(node, list):
            for value in node:
                yield from walk(value, key_path)
        elif isinstance(node, str) and lang in key_path:
            yield f"{path.name}: {'.'.join(key_path)}", node

    yield from walk(tomllib.loads(path.read_text(encoding="utf-8")), ())


def strings(lang: str):
    """Every string a reader of this language can see: pages, catalog, questions, criteria,
    glossary and status words."""
    for md in sorted((ROOT / "content" / lang).glob("*.md")):
        yield md.name, md.read_text(encoding="utf-8")
    for toml in ("glossary.toml", "status.toml", "check/questions.toml", "check/criteria.toml"):
        yield from _toml_strings(ROOT / "content" / toml, lang)
    if lang != "en":
        with i18n.catalog_path(ROOT / "locales", lang).open("rb") as fh:
            for message in read_po(fh):
                if message.id:
                    yield f"catalog: {message.id[:40]!r}", message.string
    else:
        with (ROOT / "locales" / "messages.pot").open("rb") as fh:
            for message in read_po(fh):
                if message.id:
                    yield f"catalog: {message.id[:40]!r}", message.id


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_string_uses_a_word_the_reviews_replaced(lang):
    found = [
        f"{where}: {match.group()!r} -> {instead}"
        for where, text in strings(lang)
        for pattern, instead in BANNED[lang].items()
        for match in re.finditer(pattern, text)
    ]
    assert found == []


def test_the_checked_strings_include_every_kind():
    kinds = {where.split(":")[0] for where, _ in strings("zh")}
    assert {"results.md", "glossary.toml", "status.toml", "questions.toml", "criteria.toml", "catalog"} <= kinds
