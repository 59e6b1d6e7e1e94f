"""What each question says, in English and Simplified Chinese, where a truthful patient was once
told the wrong thing (issue 15): the words that make the answer come out right must be in the
question a reader of each language sees. Traditional Chinese is generated from the Simplified and
checked in tests/test_zh_hant.py."""
from __future__ import annotations

import pytest

from trialguide.check.eligibility import default

CHECK = default()


def words(qid: str, lang: str) -> str:
    text = CHECK.questions[qid].text[lang]
    return text["label"] + " " + text.get("hint", "")


# (question, why, English words, Chinese words): every phrase must appear in that language.
CASES = [
    ("age", "a 70-year-old who counts in 虚岁 types 71", ["full years", "date of birth"], ["周岁", "不是虚岁"]),
    ("advanced", "a cancer come back after an operation is not plainly 'advanced'", ["come back", "I'm not sure"], ["复发", "我不确定"]),
    ("pathology", "the report names only the type", ["names only the type", "leiomyosarcoma"], ["只写类型", "平滑肌肉瘤"]),
    ("grown_since", "a scan after chemotherapy showed growth", ["progressed", "new spot"], ["进展", "新的病灶"]),
    ("grown_since", "a new finding not called cancer", ["did not say it is cancer"], ["性质待定"]),
    ("prior_anlotinib", "patients know the box name", ["福可维", "盐酸安罗替尼胶囊"], ["福可维", "盐酸安罗替尼胶囊"]),
    ("recent_systemic", "the 4 weeks count back from joining", ["from the day a person would join"], ["从入组那天往前算"]),
    ("recent_radiotherapy", "the record names EF-RT", ["EF-RT"], ["EF-RT"]),
    ("recent_surgery", "a needle biopsy is not an incision biopsy", ["needle biopsy does not count", "port"], ["穿刺活检不算", "输液港"]),
    ("lasting_side_effects", "mild numbness is not grade 2", ["more than mild", "choose “No”"], ["比轻微重", "请选“否”"]),
    ("lvef", "FS is not EF", ["not FS"], ["不要看FS"]),
    ("qtc", "QT printed beside QTc", ["QT/QTc", "the second one"], ["QT/QTc", "后面那个"]),
    ("bp_top", "readings on medicine are the ones that count", ["while taking it"], ["吃药期间"]),
    ("bp_bottom", "one high number is enough", ["Either number", "135/92"], ["只要有一个高", "135/92"]),
    ("hcv", "an antibody is not RNA", ["antibody", "alone is not this"], ["丙肝抗体", "不算"]),
    ("hbv_dna", "copies/mL is not IU/mL", ["copies/mL", "IU/mL"], ["copies/mL", "IU/mL"]),
    ("urine_protein", "2+ is ++", ["2+"], ["2+"]),
    ("unhealed_wound", "an ulcer or fracture from the cancer counts", ["open sore", "broken because of the cancer"], ["破溃", "肿瘤引起的骨折"]),
    ("blood_clot", "clots people answer 'No' to", ["lungs", "stroke", "PICC"], ["肺栓塞", "脑梗", "PICC"]),
    ("substance_mental", "only those who cannot quit", ["cannot stop"], ["现在", "戒不掉"]),
    ("could_become_pregnant", "childbearing is not an age band", ["not your age", "menopause", "womb or both ovaries"],
     ["不要只看年龄", "绝经", "子宫或两侧卵巢"]),
    ("breastfeeding", "bottle feeding is not breastfeeding", ["breastfeeding", "not bottle feeding"], ["喂母乳", "用奶粉喂不算"]),
    ("other_cancer", "the sarcoma's own spread is not another cancer", ["not another cancer"], ["不算别的癌症"]),
    ("other_trial", "only anti-tumour trials", ["treatment for cancer"], ["治疗肿瘤"]),
]


@pytest.mark.parametrize("qid, why, en, zh", CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_the_question_says_it_in_both_languages(qid, why, en, zh):
    for lang, phrases in (("en", en), ("zh", zh)):
        missing = [p for p in phrases if p not in words(qid, lang)]
        assert missing == [], f"{lang}: {why}"


def test_the_chinese_side_effects_question_asks_only_about_more_than_mild():
    """Readers answer the first half: "还没好" first ruled out a patient with mild numbness; the
    question now asks only whether a grade 2 or worse side effect remains (instructions in the hint)."""
    label = CHECK.questions["lasting_side_effects"].text["zh"]["label"]
    assert "2级或以上" in label and "还没好" not in label and "请选" not in label


def test_no_chinese_question_asks_about_the_lactation_period():
    """哺乳期 means the whole year after a birth: a mother who bottle-feeds would answer 是."""
    assert [q.id for q in CHECK.questions.values() if "哺乳期" in words(q.id, "zh")] == []


@pytest.mark.parametrize("option, en, zh", [
    ("bleeding_life", "life was in danger", "生命危险"),
    ("bleeding_hospital", "emergency treatment", "急诊处理"),
    ("breath_light", "light activity", "稍微活动就气短"),  # grade 2, spelt out in the record's bracket
    ("breath_rest", "at rest", "休息时"),
])
def test_the_options_that_set_a_grade_mean_the_same_in_both_languages(option, en, zh):
    labels = CHECK.options[option]
    assert en in labels["en"]["label"] and zh in labels["zh"]["label"]


NUMBER_BOXES = [(q.id, lang) for q in CHECK.questions.values() if q.type == "number" for lang in q.text]


@pytest.mark.parametrize("qid, lang", NUMBER_BOXES)
def test_a_number_box_names_its_unit_once(qid, lang):
    """"您今年幾歲（足歲）？ (歲)" said the unit twice, in half-width brackets: the unit follows
    the question only where the question does not already name it, in the language's own brackets."""
    question = CHECK.questions[qid]
    unit = question.text[lang].get("unit", "")
    label = question.box_label(lang, "{label} ({unit})" if lang == "en" else "{label}（{unit}）")
    asked = question.text[lang]["label"]
    assert label.count(unit) == max(1, asked.count(unit)) if unit else label == asked
    if lang != "en":
        assert " (" not in label


def test_the_age_box_asks_in_years_once_in_every_language():
    age = CHECK.questions["age"]
    assert age.box_label("en") == "How old are you? (years)"
    assert age.box_label("zh", "{label}（{unit}）") == "您今年多少周岁？"
