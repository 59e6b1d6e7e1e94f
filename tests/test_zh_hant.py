"""Traditional Chinese for visitors from Hong Kong and Macau: generated from the Simplified with
OpenCC (scripts/zh_hant.py), never written by hand, never out of date, and complete."""
from __future__ import annotations

import pytest

from scripts import zh_hant
from trialguide import content, eligibility, i18n, locales, views


def test_the_generated_files_are_up_to_date():
    assert zh_hant.out_of_date() == [], "run: python scripts/zh_hant.py"


@pytest.mark.parametrize("page_id", sorted({p for p, _ in content.default().pages}))
def test_every_page_is_in_traditional_characters(page_id):
    simplified = content.default().page(page_id, "zh").markdown
    traditional = content.default().page(page_id, "zh-Hant").markdown
    assert traditional == zh_hant.converter().convert(simplified)


def test_the_texts_read_in_traditional_characters():
    _ = views.translator("zh-Hant")
    assert _("Who can join") == "誰可以參加"
    assert content.default().status["notice.not_open"]["zh-Hant"].startswith("**這項研究很可能已經不再招募新病人**")
    assert eligibility.default().questions["age"].text["zh-Hant"]["label"] == "您多大年齡？"
    assert content.default().facts["site"]["address_zh-Hant"] == "廣東省廣州市越秀區東風東路651號（郵編510060）"
    assert locales.format_date(content.default().facts["study"]["last_updated"], "zh-Hant") == "2023年8月1日"


def test_every_catalog_entry_and_content_text_has_its_traditional_twin():
    zh, hant = i18n.default()["zh"], i18n.default()["zh-Hant"]
    assert zh.keys() == hant.keys()
    for question in eligibility.default().questions.values():
        assert question.text["zh-Hant"].keys() == question.text["zh"].keys(), question.id
    for criterion in eligibility.default().criteria:
        assert criterion.text["zh-Hant"].keys() == criterion.text["zh"].keys(), criterion.id
