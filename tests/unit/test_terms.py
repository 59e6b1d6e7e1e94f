"""Agreed words stay agreed: every string a reader sees, checked against the terms the Chinese
review and the truth audit settled (a banned word names the one to use instead)."""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from trialguide.domain import i18n
ROOT = Path(__file__).resolve().parents[2]

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
        r"癌症.{0,4}(长大|缩小)": "肿瘤长大/缩小 (疾病进展)",
        r"宣传单": "介绍单 (宣传单 is a promotional flyer: recruitment-like for a closed study)",
        r"预计.{0,4}预计生存期|估计的预计": "医生预计…生存期 (said once)",
        r"能活": "预计生存期",
        r"自我检查|开始检查|这个检查": "自查",
        r"(?<!试验)分期": "试验分期 (分期 alone is a tumour stage)",
        r"(?<!正大天晴药业集团（)Chia Tai Tianqing": "正大天晴 (Chia Tai Tianqing)",
        # The truth audit: sentences stronger than their sources.
        r"只在(这个)?页面打开时保留|不会被存储": "只在这次访问期间存放在服务器的内存里，不会写进任何文件或日志；关掉页面{minutes}分钟后…",
        r"大约需要1?5分钟": "大约需要30到45分钟 (two readers took 25 to 55)，请把最近的报告放在手边",
        r"3级和4级是重度|最常见的重度副作用": "3级是重度，4级会危及生命",
        r"记录现在显示|以来没有更新过|公开记录没有(写|提供)": "我们查看时，记录显示…；这项研究的记录（最后更新于…）没有写…",
        r"大约一半人在|一半以上的人还活着": "估计值（95%置信区间）；中位总生存期在数据截止时“还没有达到”",
        r"起效以后继续吃药": "化疗起效以后，才开始吃这个药",
    },
    # Traditional Chinese for Hong Kong (generated): mainland words and OpenCC's wrong characters
    # (issue 19), whatever the phrase table (locales/zh_hant_hk.toml) holds.
    "zh-Hant": {re.escape(word): instead for word, instead in {
    "核磁": "磁力共振", "片子": "掃描 / 報告", "拍片": "掃描、照X光", "彩超": "超聲波", "上環": "子宮環", "複查": "覆檢",
    "複診": "覆診", "出院小結": "出院摘要", "急診": "急症室", "輸液": "吊鹽水", "點滴": "吊鹽水", "窗口": "視窗",
    "諮詢": "查詢", "申辦": "贊助機構", "註冊號": "登記編號", "靶向藥": "標靶藥物", "心衰": "心臟衰竭", "心梗": "心肌梗塞",
    "心肌梗死": "心肌梗塞", "心律失常": "心律不正", "氣短": "氣促", "血紅蛋白": "血紅素", "血常規": "全血計數",
    "化驗單": "化驗報告", "兩對半": "(left out)", "避孕套": "安全套", "避孕藥": "避孕丸", "鏈接": "連結", "聯繫": "聯絡",
    "服務器": "伺服器", "加載": "載入", "電子郵箱": "電郵", "“": "「", "”": "」", "人蔘": "人參", "穀草": "谷草",
    "籤一份": "簽一份", "制藥": "製藥", "念：": "讀：", "多大年齡": "幾歲",
}.items()},
    "en": {
        r"\bserious side effects": "severe side effects (grade 3-4 is not 'serious' in the technical sense)",
        r"took place at": "was led from ... with other hospitals",
        r"saved or sent": "sent only to this site's server, held in its memory for this visit only",
        # The truth audit: sentences stronger than their sources.
        r"kept only while|never stored": "held in the server's memory for this visit only, never written to a file or a log; "
                                         "{minutes} minutes after the page is closed they can no longer be reached (config.toml)",
        r"about 1?5 minutes": "about 30 to 45 minutes (two readers took 25 to 55), with the reports it asks about at hand",
        r"Grades 3 and 4 are severe|most common severe side effects": "grade 3 is severe, grade 4 is life-threatening",
        r"record now shows|has not been updated since|has not posted results|The public record (does not say|gives no)":
            "When we checked the record (last updated ...), it showed ...; The study's record (last updated ...) does not say",
        r"half of the people went longer|More than half of the people were still alive":
            "an estimate (median PFS ... 95% confidence interval); median overall survival not reached at the data cut-off",
        r"kept taking it after|keep taking after your main": "started taking it after chemotherapy had worked",
        r"live before their cancer grows": "until the cancer grows or the person dies, whichever comes first",
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


def _json_strings(path: Path):
    def walk(node, key_path):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, key_path + (str(key),))
        elif isinstance(node, list):
            for value in node:
                yield from walk(value, key_path)
        elif isinstance(node, str):
            yield f"{path.name}: {'.'.join(key_path)}", node

    yield from walk(json.loads(path.read_text(encoding="utf-8")), ())


def strings(lang: str):
    """Every string a reader of this language can see: pages, catalog, questions, criteria,
    glossary and status words (for zh-Hant, as generated)."""
    if lang == "zh-Hant":
        for generated in sorted((ROOT / "content" / "zh-Hant").glob("*.json")):
            yield from _json_strings(generated)
    for md in sorted((ROOT / "content" / lang).glob("*.md")):
        yield md.name, md.read_text(encoding="utf-8")
    for toml in ("glossary.toml", "status.toml", "check/questions.toml", "check/criteria.toml") if lang != "zh-Hant" else ():
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


@pytest.mark.parametrize("lang", ["en", "zh", "zh-Hant"])
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
    generated = {where.split(":")[0] for where, _ in strings("zh-Hant")}
    assert {"results.md", "glossary.json", "status.json", "check-questions.json", "check-criteria.json", "catalog"} <= generated
