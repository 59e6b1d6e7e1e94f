"""Traditional Chinese for visitors from Hong Kong and Macau: generated from the Simplified with
OpenCC (scripts/zh_hant.py), never written by hand, never out of date, and complete."""
from __future__ import annotations

import io

import pytest
from babel.messages.pofile import read_po

from trialguide.domain import zh_hant
from trialguide.domain import content
from trialguide.check import eligibility
from trialguide.domain import i18n
from trialguide.domain import locales
from trialguide.pages import views
def test_the_generated_files_are_up_to_date():
    assert zh_hant.out_of_date() == [], "run: python scripts/zh_hant.py"


@pytest.mark.parametrize("page_id", sorted({p for p, _ in content.default().pages}))
def test_every_page_is_in_traditional_characters(page_id):
    simplified = content.default().page(page_id, "zh").markdown
    traditional = content.default().page(page_id, "zh-Hant").markdown
    assert traditional == zh_hant.Converter().convert(simplified)


def test_no_mainland_word_the_hong_kong_table_lists_survives():
    """Every generated file is a fixed point of the phrase table: 核磁, 心衰, 鏈接, “…” are gone."""
    table = zh_hant.phrases()
    for path, text in zh_hant.generated().items():
        if path.suffix == ".po":  # the translations, not the English msgids
            text = "\n".join(str(m.string) for m in read_po(io.StringIO(text)) if m.id)
        survivors = {m.group(0) for m in zh_hant._pattern(table).finditer(text) if table[m.group(0)] != m.group(0)}
        assert survivors == set(), f"{path.name}: {sorted(survivors)}"


def test_every_entry_of_the_hong_kong_table_is_used():
    table = zh_hant.phrases()
    raw = "\n".join(zh_hant.generated(zh_hant.converter()).values())  # OpenCC alone
    used = {m.group(0) for m in zh_hant._pattern(table).finditer(raw)}
    assert sorted(set(table) - used) == []


@pytest.mark.parametrize(
    "simplified, hong_kong",
    [
        ("共有49人参加。", "共有49人參加。"),  # not 人蔘 (ginseng)
        ("参加的人要签一份知情同意书", "參加的人要簽一份知情同意書"),
        ("合作方是一家制药公司", "合作方是一家製藥公司"),
        ("谷丙转氨酶和谷草转氨酶", "ALT和AST（兩項肝功能指標）"),  # as Hong Kong reports print them
        ("最近拍的CT或核磁片子", "最近的電腦掃描（CT）或磁力共振（MRI）報告"),
        ("上环或吃避孕药不算", "戴子宮環或吃避孕丸不算"),
        ("没有哪次复查显示", "沒有哪次覆檢顯示"),
        ("需要急诊处理", "需要急症室處理"),
        ("您可以照着念：", "您可以照着讀："),
        ("过去4周内您做过放疗吗？", "過去4週內您做過放射治療（電療）嗎？"),
        ("恶性外周神经鞘膜瘤", "惡性外周神經鞘膜瘤"),
        ("比如“PS评分”。", "例如「PS評分」。"),
        ("在中国，安罗替尼于2019年获批", "在中國內地，安羅替尼於2019年獲准"),
        ("在中国内地拨打", "在中國內地撥打"),
        ("比如宫内节育器（上环）、避孕药或避孕套。", "例如子宮環、避孕丸或安全套。"),
    ],
)
def test_hong_kong_words(simplified, hong_kong):
    assert zh_hant.Converter().convert(simplified) == hong_kong


def test_the_texts_read_in_traditional_characters():
    _ = views.translator("zh-Hant")
    assert _("Study status") == "研究狀態"
    assert views.title("who-can-join", "zh-Hant") == "研究當時招收哪些人"
    assert content.default().status["notice.not_open"]["zh-Hant"].startswith("**這項研究很可能已經不再招募新病人**")
    assert eligibility.default().questions["age"].text["zh-Hant"]["label"] == "您今年幾歲（足歲）？"
    assert content.default().facts["site"]["address_zh-Hant"] == "廣東省廣州市越秀區東風東路651號（郵編510060）"
    assert locales.format_date(content.default().facts["study"]["last_updated"], "zh-Hant") == "2023年8月1日"


def test_every_catalog_entry_and_content_text_has_its_traditional_twin():
    zh, hant = i18n.default()["zh"], i18n.default()["zh-Hant"]
    assert zh.keys() == hant.keys()
    for question in eligibility.default().questions.values():
        assert question.text["zh-Hant"].keys() == question.text["zh"].keys(), question.id
    for criterion in eligibility.default().criteria:
        assert criterion.text["zh-Hant"].keys() == criterion.text["zh"].keys(), criterion.id
