"""The self-check's rules, criterion by criterion, at every boundary the registry sets."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from trialguide.domain import content
from trialguide.check.answers import NumberAnswer
from trialguide.check.eligibility import Outcome, Status, evaluate, load
from trialguide.check.rules import SPECS

CHECK = load()
ROOT = Path(__file__).resolve().parents[2]


def n(value, uln=None):
    return NumberAnswer("value", value, uln)


NORMAL = NumberAnswer("normal")
UNSURE = NumberAnswer("unsure")

# A man for whom nothing rules the study out.
FINE = {
    "age": n(50), "sex": "male", "ecog": "ecog1", "survival": "yes",
    "pathology": "yes", "advanced": "yes", "sarcoma_type": "leiomyosarcoma", "evaluable": "yes", "liver_mets": "no", "brain_mets": "no",
    "anthracycline_cycles": n(6), "response": "stable", "grown_since": "no", "prior_anlotinib": "no", "recent_systemic": "no", "planned_therapy": "no",
    "recent_radiotherapy": "no", "recent_surgery": "no", "other_trial": "no", "lasting_side_effects": "no",
    "hemoglobin": n(120), "neutrophils": n(3.0), "platelets": n(200), "albumin": n(40),
    "creatinine": n(70, 104), "creatinine_clearance": UNSURE, "urea": n(5, 8), "bilirubin": n(10, 21),
    "alt": n(30, 40), "ast": n(30, 40), "lvef": n(60),
    "other_cancer": "no", "swallowing": "no", "effusion": "no", "thyroid": "no", "bp_medicine": "no", "bp_top": "no", "bp_bottom": "no",
    "heart_rhythm": "no", "heart_ischemia": "no", "heart_attack": "no", "qtc": n(420), "heart_failure": "no", "glucose": n(5.5), "infection": "no",
    "hbsag": "no", "hcv": "no", "urine_protein": "no", "seizures": "no", "unhealed_wound": "no", "bleeding": "none",
    "blood_clot": "no", "substance_mental": "no", "contraception_men": "yes",
}
WOMAN = {**FINE, "sex": "female", "could_become_pregnant": "yes", "pregnant": "no", "breastfeeding": "no",
         "contraception_women": "yes"}


def status(criterion_id, answers):
    return evaluate(CHECK, answers).statuses[criterion_id]


def test_nothing_said_rules_out_a_fine_answer_set():
    for answers in (FINE, WOMAN):
        result = evaluate(CHECK, answers)
        assert result.outcome is Outcome.NOTHING_RULES_OUT, [c.id for c in result.unknown + result.not_met]


CASES = [
    # exc-7: the spread, whether its symptoms are controlled, and for how long
    ("no-uncontrolled-brain-mets", {"brain_mets": "no"}, Status.MET),
    ("no-uncontrolled-brain-mets", {"brain_mets": "yes", "brain_controlled": "no"}, Status.NOT_MET),
    ("no-uncontrolled-brain-mets", {"brain_mets": "yes", "brain_controlled": "yes", "brain_controlled_2m": "no"}, Status.NOT_MET),
    ("no-uncontrolled-brain-mets", {"brain_mets": "yes", "brain_controlled": "yes", "brain_controlled_2m": "yes"}, Status.MET),
    ("no-uncontrolled-brain-mets", {"brain_mets": "unsure"}, Status.UNKNOWN),
    ("no-uncontrolled-brain-mets", {"brain_mets": "yes", "brain_controlled": "unsure"}, Status.UNKNOWN),
    ("no-uncontrolled-brain-mets", {"brain_mets": "yes", "brain_controlled": "yes", "brain_controlled_2m": "unsure"}, Status.UNKNOWN),
    ("no-uncontrolled-brain-mets", {"brain_mets": "yes"}, Status.UNKNOWN),  # follow-ups not answered yet
    # an answer left from a follow-up that no longer shows never counts
    ("no-uncontrolled-brain-mets", {"brain_mets": "no", "brain_controlled": "no"}, Status.MET),
    # exc-3: cancer medicine in the 4 weeks before, or planned during the study
    ("no-recent-systemic-therapy", {"recent_systemic": "no"}, Status.MET),
    # counted from enrolment, and the study enrolled people right after chemotherapy: ask, with when it may change
    ("no-recent-systemic-therapy", {"recent_systemic": "yes"}, Status.UNKNOWN),
    ("no-recent-systemic-therapy", {"recent_systemic": "unsure"}, Status.UNKNOWN),
    ("no-planned-therapy", {"planned_therapy": "yes"}, Status.NOT_MET),  # immunotherapy planned in 2 months
    ("no-planned-therapy", {"planned_therapy": "unsure"}, Status.UNKNOWN),
    # Issue 15's named cases: each a truthful patient the self-check once told the wrong thing.
    # inc-5: shrank after 6 cycles, then grew on the next scan ("remained PR/SD")
    ("no-growth-since-chemo", {"response": "shrank", "grown_since": "yes"}, Status.NOT_MET),
    ("no-growth-since-chemo", {"response": "shrank", "grown_since": "no"}, Status.MET),
    ("no-growth-since-chemo", {"response": "stable", "grown_since": "unsure"}, Status.UNKNOWN),
    ("no-growth-since-chemo", {"response": "grew"}, Status.NOT_ASKED),  # the response criterion already says it
    # exc-12: an ulcerated tumour, a radiation ulcer, a fracture from a bone metastasis
    ("no-unhealed-wound", {"unhealed_wound": "yes", "wound_recent": "no"}, Status.UNKNOWN),
    ("no-unhealed-wound", {"unhealed_wound": "yes", "wound_recent": "yes"}, Status.NOT_MET),
    ("no-unhealed-wound", {"unhealed_wound": "yes", "wound_recent": "unsure"}, Status.UNKNOWN),
    ("no-unhealed-wound", {"unhealed_wound": "unsure", "wound_recent": "no"}, Status.UNKNOWN),
    ("no-unhealed-wound", {"unhealed_wound": "no"}, Status.MET),
    # exc-6: fluid with breathlessness; grade 2 is spelt out inside the record's own bracket
    ("no-effusion-breathlessness", {"effusion": "yes", "effusion_breath": "breath_rest"}, Status.NOT_MET),
    ("no-effusion-breathlessness", {"effusion": "yes", "effusion_breath": "breath_light"}, Status.UNKNOWN),
    ("no-effusion-breathlessness", {"effusion": "yes", "effusion_breath": "breath_no"}, Status.MET),
    ("no-effusion-breathlessness", {"effusion": "unsure", "effusion_breath": "unsure"}, Status.UNKNOWN),
    ("no-effusion-breathlessness", {"effusion": "no"}, Status.MET),
    # exc-3: radiotherapy 3 weeks ago (the record names EF-RT, counted from enrolment)
    ("no-recent-radiotherapy", {"recent_radiotherapy": "yes"}, Status.UNKNOWN),
    ("no-recent-radiotherapy", {"recent_radiotherapy": "no"}, Status.MET),
    # exc-9: stable angina kept under control; a heart attack 10 years ago
    ("no-heart-ischemia", {"heart_ischemia": "ischemia_controlled"}, Status.UNKNOWN),
    ("no-heart-ischemia", {"heart_ischemia": "ischemia_uncontrolled"}, Status.NOT_MET),
    ("no-heart-ischemia", {"heart_ischemia": "no"}, Status.MET),
    ("no-heart-attack", {"heart_attack": "yes"}, Status.UNKNOWN),
    ("no-heart-attack", {"heart_attack": "no"}, Status.MET),
    ("no-uncontrolled-heart-disease", {"heart_rhythm": "yes"}, Status.NOT_MET),
    # exc-12: bleeding: life in danger rules out; emergency treatment or a transfusion asks
    ("no-severe-bleeding", {"bleeding": "bleeding_life"}, Status.NOT_MET),
    ("no-severe-bleeding", {"bleeding": "bleeding_hospital"}, Status.UNKNOWN),
    # criterion, answers that differ from FINE, expected status
    ("age", {"age": n(18)}, Status.MET),
    ("age", {"age": n(70)}, Status.MET),
    ("age", {"age": n(17)}, Status.NOT_MET),
    ("age", {"age": n(71)}, Status.NOT_MET),
    ("ecog", {"ecog": "ecog0"}, Status.MET),
    ("ecog", {"ecog": "ecog2"}, Status.MET),
    ("ecog", {"ecog": "ecog3"}, Status.NOT_MET),
    ("ecog", {"ecog": "ecog4"}, Status.NOT_MET),
    ("ecog", {"ecog": "unsure"}, Status.UNKNOWN),
    ("survival", {"survival": "no"}, Status.NOT_MET),
    ("survival", {"survival": "unsure"}, Status.UNKNOWN),
    ("histology-confirmed", {"pathology": "no"}, Status.NOT_MET),
    ("histology-confirmed", {"pathology": "unsure"}, Status.UNKNOWN),
    ("histology-type", {"sarcoma_type": "synovial"}, Status.MET),
    ("histology-type", {"sarcoma_type": "angiosarcoma"}, Status.MET),
    ("histology-type", {"sarcoma_type": "other_type"}, Status.UNKNOWN),  # "etc.": ask
    ("histology-type", {"sarcoma_type": "unsure"}, Status.UNKNOWN),
    ("histology-type", {"sarcoma_type": "gist"}, Status.NOT_ASKED),  # its own exclusion decides
    ("not-gist", {"sarcoma_type": "leiomyosarcoma"}, Status.MET),
    ("not-gist", {"sarcoma_type": "other_type"}, Status.MET),
    ("not-gist", {"sarcoma_type": "unsure"}, Status.UNKNOWN),
    ("evaluable", {"evaluable": "no"}, Status.NOT_MET),
    ("anthracycline-cycles", {"anthracycline_cycles": n(4)}, Status.MET),
    ("anthracycline-cycles", {"anthracycline_cycles": n(3)}, Status.NOT_MET),
    ("anthracycline-cycles", {"anthracycline_cycles": UNSURE}, Status.UNKNOWN),
    ("response", {"response": "shrank"}, Status.MET),
    ("response", {"response": "grew"}, Status.NOT_MET),
    ("response", {"response": "unsure"}, Status.UNKNOWN),
    ("hemoglobin", {"hemoglobin": n(80)}, Status.MET),
    ("hemoglobin", {"hemoglobin": n(79)}, Status.NOT_MET),
    ("hemoglobin", {"hemoglobin": NORMAL}, Status.MET),
    ("hemoglobin", {"hemoglobin": UNSURE}, Status.UNKNOWN),
    ("neutrophils", {"neutrophils": n(1.5)}, Status.MET),
    ("neutrophils", {"neutrophils": n(1.49)}, Status.NOT_MET),
    ("platelets", {"platelets": n(80)}, Status.MET),
    ("platelets", {"platelets": n(79)}, Status.NOT_MET),
    ("creatinine", {"creatinine": n(150, 100)}, Status.MET),  # exactly 1.5 x ULN
    ("creatinine", {"creatinine": n(156, 104)}, Status.MET),  # 1.5 x ULN through float arithmetic
    ("creatinine", {"creatinine": n(180, 100), "creatinine_clearance": n(70)}, Status.MET),  # 1.8 x ULN, CCr 70
    ("creatinine", {"creatinine": n(180, 100), "creatinine_clearance": n(60)}, Status.MET),
    ("creatinine", {"creatinine": n(180, 100), "creatinine_clearance": n(59)}, Status.NOT_MET),
    ("creatinine", {"creatinine": n(180, 100), "creatinine_clearance": UNSURE}, Status.UNKNOWN),
    ("creatinine", {"creatinine": UNSURE, "creatinine_clearance": n(70)}, Status.MET),
    ("creatinine", {"creatinine": UNSURE, "creatinine_clearance": UNSURE}, Status.UNKNOWN),
    ("creatinine", {"creatinine": NORMAL}, Status.MET),
    ("urea", {"urea": n(20, 8)}, Status.MET),  # 2.5 x ULN
    ("urea", {"urea": n(21, 8)}, Status.NOT_MET),
    ("urea", {"urea": UNSURE}, Status.UNKNOWN),
    ("bilirubin", {"bilirubin": n(31.5, 21)}, Status.MET),  # 1.5 x ULN
    ("bilirubin", {"bilirubin": n(32, 21)}, Status.NOT_MET),
    ("liver-enzymes", {"alt": n(100, 40)}, Status.MET),  # 2.5 x ULN
    ("liver-enzymes", {"alt": n(101, 40)}, Status.NOT_MET),
    ("liver-enzymes", {"alt": n(160, 40), "liver_mets": "yes"}, Status.MET),  # ALT 4 x ULN with liver metastases
    ("liver-enzymes", {"alt": n(160, 40), "liver_mets": "no"}, Status.NOT_MET),  # ... and without
    ("liver-enzymes", {"alt": n(160, 40), "liver_mets": "unsure"}, Status.UNKNOWN),
    ("liver-enzymes", {"ast": n(200, 40), "liver_mets": "yes"}, Status.MET),  # 5 x ULN
    ("liver-enzymes", {"ast": n(204, 40), "liver_mets": "yes"}, Status.NOT_MET),
    ("liver-enzymes", {"ast": n(240, 40), "liver_mets": "unsure"}, Status.NOT_MET),  # over both limits
    ("liver-enzymes", {"alt": n(30, 40), "liver_mets": "unsure"}, Status.MET),  # under both limits
    ("liver-enzymes", {"ast": UNSURE}, Status.UNKNOWN),
    ("albumin", {"albumin": n(25)}, Status.MET),
    ("albumin", {"albumin": n(24.9)}, Status.NOT_MET),
    ("lvef", {"lvef": n(50)}, Status.MET),
    ("lvef", {"lvef": n(49)}, Status.NOT_MET),
    ("qtc", {"qtc": n(449)}, Status.MET),
    ("qtc", {"qtc": n(450)}, Status.NOT_MET),  # men >= 450
    ("qtc", {"sex": "female", "qtc": n(469)}, Status.MET),
    ("qtc", {"sex": "female", "qtc": n(470)}, Status.NOT_MET),  # women >= 470
    ("qtc", {"qtc": NORMAL}, Status.UNKNOWN),  # "normal" can hide a borderline 450 ms
    ("qtc", {"qtc": UNSURE}, Status.UNKNOWN),
    ("diabetes-controlled", {"glucose": n(10)}, Status.MET),
    ("diabetes-controlled", {"glucose": n(10.1)}, Status.NOT_MET),  # > 10 mmol/L
    ("no-active-hepatitis-b", {"hbsag": "yes", "hbv_dna": n(499)}, Status.MET),
    ("no-active-hepatitis-b", {"hbsag": "yes", "hbv_dna": n(500)}, Status.NOT_MET),
    ("no-active-hepatitis-b", {"hbsag": "yes", "hbv_dna": UNSURE}, Status.UNKNOWN),
    ("no-active-hepatitis-b", {"hbsag": "unsure"}, Status.UNKNOWN),
    ("no-active-hepatitis-b", {"hbsag": "no", "hbv_dna": n(99999)}, Status.MET),  # DNA is not asked then
    ("no-serious-infection", {"infection": "yes"}, Status.NOT_MET),
    ("no-infection-needing-antimicrobials", {"infection": "yes"}, Status.NOT_MET),
    ("contraception-men", {"contraception_men": "no"}, Status.NOT_MET),
    ("contraception-men", {"contraception_men": "unsure"}, Status.UNKNOWN),
    ("contraception-women", {}, Status.NOT_ASKED),  # a man is not asked
    ("contraception-men", WOMAN, Status.NOT_ASKED),
    ("contraception-women", {**WOMAN, "contraception_women": "no"}, Status.NOT_MET),
    # Not sure she counts as a woman who could become pregnant: a "No" to birth control may not
    # matter (ask); and if she meets every rule for such women, not knowing changes nothing.
    ("contraception-women", {**WOMAN, "could_become_pregnant": "unsure", "contraception_women": "no"}, Status.UNKNOWN),
    ("contraception-women", {**WOMAN, "could_become_pregnant": "no"}, Status.NOT_ASKED),
    ("childbearing-known", {**WOMAN, "could_become_pregnant": "unsure"}, Status.MET),
    ("childbearing-known", {**WOMAN, "could_become_pregnant": "unsure", "contraception_women": "unsure"}, Status.UNKNOWN),
    ("childbearing-known", {**WOMAN, "could_become_pregnant": "unsure", "breastfeeding": "yes"}, Status.UNKNOWN),
    ("pregnancy-test", {**WOMAN, "pregnant": "yes"}, Status.NOT_MET),
    ("pregnancy-test", {**WOMAN, "pregnant": "unsure"}, Status.UNKNOWN),
    ("not-breastfeeding", {**WOMAN, "breastfeeding": "yes"}, Status.NOT_MET),
    ("pregnancy-test", {**WOMAN, "could_become_pregnant": "no", "pregnant": "yes"}, Status.NOT_ASKED),
    ("consent", {}, Status.NOT_ASKED),
    ("vessel-risk", {}, Status.NOT_ASKED),
    ("investigator-judgement", {}, Status.NOT_ASKED),
]


@pytest.mark.parametrize("criterion, changes, expected", CASES, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(CASES)])
def test_rule(criterion, changes, expected):
    assert status(criterion, {**FINE, **changes}) is expected


EXCLUDED_TYPES = ["mpnst", "undifferentiated", "rhabdomyosarcoma", "chondrosarcoma", "osteosarcoma", "dfsp", "gist",
                  "ewing", "imt", "mesothelioma"]


@pytest.mark.parametrize("sarcoma_type", EXCLUDED_TYPES)
def test_each_excluded_type_rules_out_by_its_own_criterion(sarcoma_type):
    result = evaluate(CHECK, {**FINE, "sarcoma_type": sarcoma_type})
    ids = [c.id for c in result.not_met]
    assert len(ids) == 1 and ids[0].startswith("not-"), ids
    assert result.outcome is Outcome.PROBABLY_NOT


YES_NO = [c for c in CHECK.criteria if c.rule.kind == "choice" and c.rule.params.get("met") == ("no",) and c.rule.params.get("not_met") == ("yes",)]


@pytest.mark.parametrize("criterion", YES_NO, ids=lambda c: c.id)
def test_each_yes_no_exclusion(criterion):
    base = WOMAN if criterion.questions[0] in ("pregnant", "breastfeeding") else FINE
    assert status(criterion.id, {**base, criterion.questions[0]: "yes"}) is Status.NOT_MET
    if "unsure" in criterion.rule.params.get("unknown", ()):
        assert status(criterion.id, {**base, criterion.questions[0]: "unsure"}) is Status.UNKNOWN


def test_outcomes():
    assert evaluate(CHECK, {**FINE, "ecog": "unsure"}).outcome is Outcome.CHECK_WITH_DOCTOR
    mixed = evaluate(CHECK, {**FINE, "ecog": "unsure", "age": n(75)})
    assert mixed.outcome is Outcome.PROBABLY_NOT
    assert [c.id for c in mixed.not_met] == ["age"] and [c.id for c in mixed.unknown] == ["ecog"]
    assert [c.id for c in mixed.doctor_checks] == ["consent", "vessel-risk", "investigator-judgement"]
    assert evaluate(CHECK, {}).outcome is Outcome.CHECK_WITH_DOCTOR  # nothing answered is never "fine"


# Coverage: every registry bullet and sub-item is a criterion; every criterion has a question and rule.

EXPECTED_SPLIT = {
    "inc-1": ["consent"],
    "inc-2": ["age", "ecog", "survival"],
    "inc-3": ["histology-confirmed", "advanced", "histology-type"] + [f"not-{t}" for t in EXCLUDED_TYPES],
    "inc-4": ["evaluable"],
    "inc-5": ["anthracycline-cycles", "response", "no-growth-since-chemo"],
    "inc-6": ["hemoglobin", "neutrophils", "platelets", "creatinine", "urea", "bilirubin", "liver-enzymes", "albumin", "lvef"],
    "inc-7": ["childbearing-known", "contraception-women", "not-breastfeeding", "pregnancy-test", "contraception-men"],
    "exc-1": ["no-prior-anlotinib"], "exc-2": ["no-other-cancer"],
    "exc-3": ["no-recent-systemic-therapy", "no-planned-therapy", "no-recent-radiotherapy"], "exc-4": ["no-lasting-side-effects"],
    "exc-5": ["can-take-pills"], "exc-6": ["no-effusion-breathlessness"], "exc-7": ["no-uncontrolled-brain-mets"],
    "exc-8": ["no-thyroid-problem"],
    "exc-9": ["no-uncontrolled-blood-pressure", "no-uncontrolled-heart-disease", "no-heart-ischemia", "no-heart-attack", "qtc", "no-heart-failure",
              "diabetes-controlled", "no-serious-infection", "no-active-hepatitis-b", "no-active-hepatitis-c",
              "no-infection-needing-antimicrobials", "no-urine-protein", "no-seizures"],
    "exc-10": ["no-recent-surgery"], "exc-11": ["vessel-risk"], "exc-12": ["no-unhealed-wound", "no-severe-bleeding"],
    "exc-13": ["no-recent-blood-clot"], "exc-14": ["no-substance-or-mental"], "exc-15": ["no-other-trial"],
    "exc-16": ["investigator-judgement"],
}


def test_every_registry_bullet_is_split_as_expected():
    registry = content.default().registry
    bullets = [item["id"] for kind in ("inclusion", "exclusion") for item in registry[kind]]
    assert list(EXPECTED_SPLIT) == bullets
    for bullet, ids in EXPECTED_SPLIT.items():
        assert [c.id for c in CHECK.criteria if c.source == bullet] == ids, bullet


def test_the_seven_numbered_items_of_the_severe_diseases_bullet_each_have_a_criterion():
    bullet = next(i["text"] for i in content.default().registry["exclusion"] if i["id"] == "exc-9")
    numbered = re.findall(r"(\d)\)", bullet)
    assert numbered == [str(k) for k in range(1, 8)]
    assert {c.item for c in CHECK.criteria if c.source == "exc-9"} == set(range(1, 8))


def test_every_criterion_is_asked_or_left_to_the_study_doctor():
    for c in CHECK.criteria:
        assert c.questions or c.doctor, c.id
        for lang in ("en", "zh"):
            assert c.text[lang]["plain"], (c.id, lang)


@pytest.mark.parametrize("lang, about_the_reader", [("en", r"\byou(r|rself)?\b"), ("zh", "您")])
def test_each_criterion_is_worded_as_the_studys_rule_not_about_the_reader(lang, about_the_reader):
    """The result shows each criterion as "Study rule: ..." above the reader's own answer. Worded
    as "You have never taken anlotinib", it read as something the app says about them (wrongly,
    to someone who answered "Yes")."""
    about = [(c.id, c.text[lang]["plain"]) for c in CHECK.criteria if re.search(about_the_reader, c.text[lang]["plain"], re.I)]
    assert about == []


# Broken content names the file and the key.


@pytest.fixture
def check_copy(tmp_path):
    shutil.copytree(ROOT / "content" / "check", tmp_path / "check")
    shutil.copytree(ROOT / "content" / "zh-Hant", tmp_path / "zh-Hant")  # the generated Traditional texts
    return tmp_path / "check"


@pytest.mark.parametrize(
    "file, old, new, message",
    [
        ("criteria.toml", 'excerpt = "18-70 years"', 'excerpt = "18-75 years"', r"criterion age excerpt is not verbatim from inc-2"),
        ("criteria.toml", 'question = "ecog"\n', 'question = "ecog_score"\n', r"criterion ecog question 'ecog_score' is not in"),
        ("criteria.toml", 'rule = "lab_uln"\nquestion = "urea"', 'rule = "lab_ratio"\nquestion = "urea"', r"criterion urea unknown rule 'lab_ratio'"),
        ("criteria.toml", 'zh.plain = "年龄在18到70岁之间。"\n', "", r"criterion age zh\.plain is missing"),
        ("questions.toml", 'en.label = "Have you ever taken anlotinib?"\n', "", r"\[question\.prior_anlotinib\] en\.label is missing"),
        # typos that once loaded silently: a follow-up lost its skip logic, an "I'm not sure" vanished
        ("questions.toml", 'show_if = [["brain_mets", ["yes"]]]\n', 'show_iff = [["brain_mets", ["yes"]]]\n',
         r"\[question\.brain_controlled\] unknown key 'show_iff'"),
        ("questions.toml", 'show_if = [["hbsag", ["yes"]]]', 'show_if = [["hbsag", ["yse"]]]',
         r"\[question\.hbv_dna\] show_if: 'yse' is not an option of 'hbsag'"),
        ("questions.toml", 'options = ["yes", "no", "unsure"]\nen.label = "Have you ever taken anlotinib?"',
         'options = ["yes", "no", "unsrue"]\nen.label = "Have you ever taken anlotinib?"', r"\[question\.prior_anlotinib\] option 'unsrue' has no \[option\.unsrue\]"),
        ("questions.toml", 'en.hint = "On a liver function report."', 'en.hnit = "On a liver function report."',
         r"\[question\.albumin\] unknown text en\.hnit"),
        ("questions.toml", "unsure = true\nbelow_ok = true", 'unsure = true\nbelow_ok = "yes"', r"\[question\.hbv_dna\] below_ok must be true or false"),
        ("questions.toml", 'other_unit = [35, 0.0555, "mg/dL"]', 'other_unit = [35, "mg/dL"]', r"\[question\.glucose\] other_unit must be"),
        ("criteria.toml", 'en.changes = "This may change 6 months after the clot."', 'en.change = "This may change 6 months after the clot."',
         r"criterion no-recent-blood-clot unknown text en\.change"),
        ("questions.toml", '"sarcoma_type", "anthracycline_cycles"', '"sarcoma_kind", "anthracycline_cycles"',
         r"doctor_reads_first names unknown question 'sarcoma_kind'"),
    ],
)
def test_broken_check_content_is_refused_with_file_and_key(check_copy, file, old, new, message):
    path = check_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(content.ContentError, match=message):
        load(check_copy)


def test_a_registry_bullet_without_a_criterion_is_refused(check_copy):
    path = check_copy / "criteria.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('[[criterion]]\nid = "no-other-trial"')
    end = text.index("[[criterion]]", start + 5)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(content.ContentError, match=r"registry criterion exc-15 has no criterion"):
        load(check_copy)


def _check_chinese_texts():
    for topic, texts in CHECK.topic_titles.items():
        yield f"topic {topic}", texts["zh"]["title"]
    for option, texts in CHECK.options.items():
        yield f"option {option}", texts["zh"]["label"]
    for question in CHECK.questions.values():
        yield f"question {question.id}", " ".join(question.text["zh"].values())
    for c in CHECK.criteria:
        yield f"criterion {c.id}", " ".join(c.text["zh"].values())


@pytest.mark.parametrize("where, text", list(_check_chinese_texts()))
def test_self_check_chinese_uses_full_width_punctuation(where, text):
    from trialguide.domain.punctuation import ascii_marks

    assert ascii_marks(text) == [], f"{where}: run python scripts/zh_punctuation.py"


def _criterion_block(text: str, rule: str) -> tuple[int, int]:
    """Where the first criterion with this rule sits in criteria.toml."""
    at = text.index(f'rule = "{rule}"\n')
    return text.rindex("[[criterion]]", 0, at), at + len(f'rule = "{rule}"\n')


# The rules a criterion of criteria.toml names at its top (others only appear inside them).
TOP_RULES = sorted(r for r in SPECS if f'rule = "{r}"\n' in (ROOT / "content" / "check" / "criteria.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("rule", TOP_RULES)
def test_a_misspelt_rule_parameter_stops_loading(check_copy, rule):
    path = check_copy / "criteria.toml"
    text = path.read_text(encoding="utf-8")
    _, after_rule = _criterion_block(text, rule)
    path.write_text(text[:after_rule] + "mx = 70\n" + text[after_rule:], encoding="utf-8")
    with pytest.raises(content.ContentError, match=rf"criteria\.toml: criterion .* rule {rule} takes no parameter 'mx'"):
        load(check_copy)


# For each rule that needs a parameter, a criterion of criteria.toml without it.
WITHOUT = {
    "range": ("min = 18\nmax = 70\n", ""),
    "answers": ('not_met = ["effusion_breath=breath_rest"]\n', ""),
    "lab_min": ('question = "hemoglobin"\nmin = 80\n', 'question = "hemoglobin"\n'),
    "lab_max": ('question = "glucose"\nmax = 10\n', 'question = "glucose"\n'),
    "lab_uln": ('question = "urea"\nmultiple = 2.5\n', 'question = "urea"\n'),
    "below": ('{ rule = "below", question = "qtc", limit = 450 }', '{ rule = "below", question = "qtc" }'),
    "when": ('cases.no = { rule = "met" }\ncases.yes = { rule = "below", question = "hbv_dna", limit = 500 }\n', ""),
    "all": ("".join(f'[[criterion.of]]\nrule = "when"\nquestion = "liver_mets"\ncases.no = {{ rule = "lab_uln", question = "{q}", multiple = 2.5 }}\n'
                    f'cases.yes = {{ rule = "lab_uln", question = "{q}", multiple = 5 }}\n' for q in ("alt", "ast")), ""),
    "any": ('[[criterion.of]]\nrule = "lab_uln"\nquestion = "creatinine"\nmultiple = 1.5\n[[criterion.of]]\nrule = "lab_min"\nquestion = "creatinine_clearance"\nmin = 60\n', ""),
}


def test_every_rule_that_needs_a_parameter_is_tried_without_it():
    assert set(WITHOUT) == {r for r, spec in SPECS.items() if spec.required or spec.required_any}


@pytest.mark.parametrize("rule", sorted(WITHOUT))
def test_a_missing_rule_parameter_stops_loading(check_copy, rule):
    path = check_copy / "criteria.toml"
    text = path.read_text(encoding="utf-8")
    old, new = WITHOUT[rule]
    assert old in text, rule
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(content.ContentError, match=rf"criteria\.toml: criterion .* rule {rule} needs"):
        load(check_copy)


@pytest.mark.parametrize(
    "where, old, new, message",
    [
        ("a case names no option of its question", 'cases.male = { rule = "below"', 'cases.man = { rule = "below"',
         r"criterion qtc cases: 'man' is not an option of question 'sex'"),
        ("a rule inside a case misspells its parameter", '{ rule = "below", question = "qtc", limit = 450 }',
         '{ rule = "below", question = "qtc", limt = 450 }', r"criterion qtc cases\.male rule below takes no parameter 'limt'"),
        ("a rule inside any names no question", 'rule = "lab_min"\nquestion = "creatinine_clearance"',
         'rule = "lab_min"\nquestion = "creatinine_clearence"', r"criterion creatinine of\[1\] question 'creatinine_clearence'"),
        ("any of one rule", '[[criterion.of]]\nrule = "lab_min"\nquestion = "creatinine_clearance"\nmin = 60\n', "",
         r"criterion creatinine of must list two or more rules"),
        ("a leaf rule given rules", 'rule = "when"\nquestion = "hbsag"', 'rule = "choice"\nquestion = "hbsag"',
         r"criterion no-active-hepatitis-b rule choice takes no parameter 'cases'"),
    ],
    ids=lambda v: v if isinstance(v, str) and " " in v and "=" not in v else None,
)
def test_a_broken_combined_rule_stops_loading_with_its_place_named(check_copy, where, old, new, message):
    path = check_copy / "criteria.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, where
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(content.ContentError, match=message):
        load(check_copy)


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("min = 18\nmax = 70", 'min = 18\nmax = "70"', r"criterion age max must be a number"),
        ("min = 18\nmax = 70", "min = 18\nmax = true", r"criterion age max must be a number"),
        ('otherwise = "met"', 'otherwise = "fine"', r"otherwise must be met, not_met or unknown"),
        ('met = ["no"]\nnot_met = ["yes"]\nunknown = ["unsure"]\nen.plain = "No need for other cancer medicine',
         'met = ["no"]\nnot_met = ["yes"]\nen.plain = "No need for other cancer medicine', r"option 'unsure' is in no list and there is no otherwise"),
        ('met = ["no"]\nnot_met = ["yes"]\nunknown = ["unsure"]\nen.plain = "No need for other cancer medicine',
         'met = ["no"]\nnot_met = ["yes", "maybe"]\nunknown = ["unsure"]\nen.plain = "No need for other cancer medicine', r"not_met: 'maybe' is not an option"),
    ],
)
def test_a_rule_parameter_of_the_wrong_kind_stops_loading(check_copy, old, new, message):
    path = check_copy / "criteria.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(content.ContentError, match=message):
        load(check_copy)


@pytest.mark.parametrize("file, table", [("questions.toml", "question"), ("questions.toml", "option"), ("criteria.toml", "criterion")])
def test_a_missing_table_stops_loading(check_copy, file, table):
    path = check_copy / file
    text = path.read_text(encoding="utf-8")
    renamed = text.replace(f"[{table}.", f"[x{table}.").replace(f"[[{table}]]", f"[[x{table}]]")
    path.write_text(renamed, encoding="utf-8")
    with pytest.raises(content.ContentError, match=rf"{file}: no {table} table"):
        load(check_copy)


@pytest.mark.parametrize(
    "story, answers",
    [
        ("brain symptoms under control for 3 weeks", {"brain_mets": "yes", "brain_controlled": "yes", "brain_controlled_2m": "no"}),
        ("brain symptoms not under control", {"brain_mets": "yes", "brain_controlled": "no"}),
        ("immunotherapy planned in 2 months", {"planned_therapy": "yes"}),
    ],
)
def test_a_person_the_registry_excludes_never_hears_nothing_rules_them_out(story, answers):
    assert evaluate(CHECK, {**FINE, **answers}).outcome is Outcome.PROBABLY_NOT, story


def test_not_sure_about_the_brain_at_any_step_means_check_with_your_doctor():
    for answers in ({"brain_mets": "unsure"}, {"brain_mets": "yes", "brain_controlled": "unsure"},
                    {"brain_mets": "yes", "brain_controlled": "yes", "brain_controlled_2m": "unsure"}):
        assert evaluate(CHECK, {**FINE, **answers}).outcome is Outcome.CHECK_WITH_DOCTOR, answers


@pytest.mark.parametrize("bullet", ["exc-3", "exc-6", "exc-7", "exc-12"])
def test_unclear_registry_words_have_a_reading_in_both_languages(bullet):
    readings = [c.text for c in CHECK.criteria if c.source == bullet and "reading" in c.text["en"]]
    assert readings and all(text["zh"].get("reading") for text in readings)


# What a person in each situation a yes/no criterion names would truthfully answer, and what it
# must mean. Written by hand from the registry's words, not derived from criteria.toml.
HAS_IT_SAYS_YES = [  # exclusions: "yes" (has the condition) rules out, "no" fits, "not sure" asks the doctor
    ("no-prior-anlotinib", "prior_anlotinib"), ("no-other-cancer", "other_cancer"),
    ("no-planned-therapy", "planned_therapy"), ("no-lasting-side-effects", "lasting_side_effects"),
    ("can-take-pills", "swallowing"), ("no-thyroid-problem", "thyroid"), ("no-growth-since-chemo", "grown_since"),
     ("no-uncontrolled-heart-disease", "heart_rhythm"),
    ("no-serious-infection", "infection"),
    ("no-infection-needing-antimicrobials", "infection"), ("no-active-hepatitis-c", "hcv"),
    ("no-urine-protein", "urine_protein"), ("no-seizures", "seizures"),
    ("no-recent-blood-clot", "blood_clot"),
    ("no-substance-or-mental", "substance_mental"),
]
# Exclusions "within N weeks before enrolment": they count back from the day a person would join,
# which no one answering knows. An operation 3 weeks ago is 4 weeks ago in a week: "yes" asks
# the doctor, with when the answer may change; it never says "probably not".
COUNTS_BACK_FROM_JOINING = [
    ("no-recent-systemic-therapy", "recent_systemic"), ("no-recent-radiotherapy", "recent_radiotherapy"),
    ("no-recent-surgery", "recent_surgery"), ("no-other-trial", "other_trial"),
]
NEEDS_IT_SAYS_YES = [  # inclusions: "yes" fits, "no" rules out, "not sure" asks the doctor
    ("survival", "survival", FINE), ("histology-confirmed", "pathology", FINE), ("advanced", "advanced", FINE), ("evaluable", "evaluable", FINE),
    ("contraception-men", "contraception_men", FINE), ("contraception-women", "contraception_women", WOMAN),
]


@pytest.mark.parametrize("criterion, question", HAS_IT_SAYS_YES)
def test_someone_with_an_excluded_condition_is_never_told_nothing_rules_them_out(criterion, question):
    assert status(criterion, {**FINE, question: "yes"}) is Status.NOT_MET
    assert status(criterion, {**FINE, question: "no"}) is Status.MET
    assert status(criterion, {**FINE, question: "unsure"}) is Status.UNKNOWN
    assert evaluate(CHECK, {**FINE, question: "yes"}).outcome is Outcome.PROBABLY_NOT
    assert evaluate(CHECK, {**FINE, question: "unsure"}).outcome is Outcome.CHECK_WITH_DOCTOR


@pytest.mark.parametrize("criterion, question", COUNTS_BACK_FROM_JOINING)
def test_a_recent_treatment_asks_the_doctor_and_says_when_it_may_change(criterion, question):
    assert status(criterion, {**FINE, question: "yes"}) is Status.UNKNOWN
    assert status(criterion, {**FINE, question: "no"}) is Status.MET
    assert status(criterion, {**FINE, question: "unsure"}) is Status.UNKNOWN
    assert evaluate(CHECK, {**FINE, question: "yes"}).outcome is Outcome.CHECK_WITH_DOCTOR
    c = next(c for c in CHECK.criteria if c.id == criterion)
    assert {"changes", "reading"} <= set(c.text["en"]) and {"changes", "reading"} <= set(c.text["zh"])


@pytest.mark.parametrize("criterion, question, person", NEEDS_IT_SAYS_YES)
def test_someone_without_what_the_study_needs_is_told_so(criterion, question, person):
    assert status(criterion, {**person, question: "yes"}) is Status.MET
    assert status(criterion, {**person, question: "no"}) is Status.NOT_MET
    assert status(criterion, {**person, question: "unsure"}) is Status.UNKNOWN


@pytest.mark.parametrize(
    "sarcoma, excluded_by",
    [("mpnst", "not-mpnst"), ("undifferentiated", "not-undifferentiated"), ("rhabdomyosarcoma", "not-rhabdomyosarcoma"),
     ("chondrosarcoma", "not-chondrosarcoma"), ("osteosarcoma", "not-osteosarcoma"), ("dfsp", "not-dfsp"),
     ("gist", "not-gist"), ("ewing", "not-ewing"), ("imt", "not-imt"), ("mesothelioma", "not-mesothelioma")],
)
def test_each_excluded_sarcoma_type_rules_the_study_out(sarcoma, excluded_by):
    result = evaluate(CHECK, {**FINE, "sarcoma_type": sarcoma})
    assert result.statuses[excluded_by] is Status.NOT_MET
    assert [c.id for c in result.not_met] == [excluded_by]


@pytest.mark.parametrize("sarcoma", ["synovial", "leiomyosarcoma", "liposarcoma", "angiosarcoma"])
def test_the_named_sarcoma_types_fit(sarcoma):
    assert evaluate(CHECK, {**FINE, "sarcoma_type": sarcoma}).outcome is Outcome.NOTHING_RULES_OUT


@pytest.mark.parametrize("sarcoma", ["other_type", "unsure"])
def test_another_or_unknown_sarcoma_type_means_check_with_your_doctor(sarcoma):
    assert evaluate(CHECK, {**FINE, "sarcoma_type": sarcoma}).outcome is Outcome.CHECK_WITH_DOCTOR


@pytest.mark.parametrize("answer, expected", [("yes", Status.NOT_MET), ("no", Status.MET)])
def test_breastfeeding(answer, expected):
    assert status("not-breastfeeding", {**WOMAN, "breastfeeding": answer}) is expected


@pytest.mark.parametrize("answer, expected", [("yes", Status.NOT_MET), ("no", Status.MET), ("unsure", Status.UNKNOWN)])
def test_pregnancy(answer, expected):
    assert status("pregnancy-test", {**WOMAN, "pregnant": answer}) is expected


def test_every_criterion_the_self_check_decides_has_a_case_that_fits_and_one_that_does_not():
    """No criterion without a hand-written case on each side of it (the tables above)."""
    covered: dict[str, set] = {}
    for cid, _, expected in CASES:
        covered.setdefault(cid, set()).add(expected)
    for cid, _ in HAS_IT_SAYS_YES:
        covered.setdefault(cid, set()).update({Status.MET, Status.NOT_MET})
    for cid, _ in COUNTS_BACK_FROM_JOINING:
        covered.setdefault(cid, set()).update({Status.MET, Status.UNKNOWN})
    for cid, _, _ in NEEDS_IT_SAYS_YES:
        covered.setdefault(cid, set()).update({Status.MET, Status.NOT_MET})
    covered.setdefault("not-breastfeeding", set()).update({Status.MET, Status.NOT_MET})
    covered.setdefault("pregnancy-test", set()).update({Status.MET, Status.NOT_MET})
    for cid in ("not-mpnst", "not-undifferentiated", "not-rhabdomyosarcoma", "not-chondrosarcoma", "not-osteosarcoma",
                "not-dfsp", "not-gist", "not-ewing", "not-imt", "not-mesothelioma"):
        covered.setdefault(cid, set()).update({Status.MET, Status.NOT_MET})
    covered.setdefault("histology-type", set()).update({Status.MET, Status.UNKNOWN})  # the two tests above
    for _, _, cid, expected in AUDIT_STORIES:
        covered.setdefault(cid, set()).add(expected)
    missing = [
        c.id for c in CHECK.criteria
        if not c.doctor and not (Status.MET in covered.get(c.id, set()) and covered[c.id] & {Status.NOT_MET, Status.UNKNOWN})
    ]
    assert missing == []


# The truth audit's stories: a person who answers truthfully must not hear a wrong result.
AUDIT_STORIES = [
        ("localised sarcoma, stable before surgery", {"advanced": "no"}, "advanced", Status.NOT_MET),
        ("not sure whether it is advanced", {"advanced": "unsure"}, "advanced", Status.UNKNOWN),
        ("heart failure, never told a class, breathless on stairs", {"heart_failure": "yes", "heart_failure_limits": "yes"},
         "no-heart-failure", Status.NOT_MET),
        ("heart failure, everyday activity fine (class 1)", {"heart_failure": "yes", "heart_failure_limits": "no"},
         "no-heart-failure", Status.MET),
        ("heart failure, not sure how it limits", {"heart_failure": "yes", "heart_failure_limits": "unsure"},
         "no-heart-failure", Status.UNKNOWN),
        ("heart failure, limits not answered yet", {"heart_failure": "yes"}, "no-heart-failure", Status.UNKNOWN),
        ("no heart failure", {"heart_failure": "no"}, "no-heart-failure", Status.MET),
        ("life-threatening bleeding 2 weeks ago", {"bleeding": "bleeding_life"}, "no-severe-bleeding", Status.NOT_MET),
        ("bleeding that needed a transfusion (grade 3)", {"bleeding": "bleeding_hospital"}, "no-severe-bleeding", Status.UNKNOWN),
        ("no bad bleeding", {"bleeding": "none"}, "no-severe-bleeding", Status.MET),
        ("QTc 450 ms called borderline-normal", {"qtc": NORMAL}, "qtc", Status.UNKNOWN),
        ("periods stopped during chemotherapy, unsure about birth control", {**WOMAN, "could_become_pregnant": "unsure", "contraception_women": "unsure"},
         "childbearing-known", Status.UNKNOWN),
        ("periods stopped during chemotherapy, meets every rule for women anyway", {**WOMAN, "could_become_pregnant": "unsure"}, "childbearing-known", Status.MET),
        ("woman told she cannot become pregnant, breastfeeding", {**WOMAN, "could_become_pregnant": "no", "breastfeeding": "yes"},
         "not-breastfeeding", Status.NOT_MET),
        ("woman who could become pregnant", WOMAN, "childbearing-known", Status.MET),
        # the Chinese review's stories
        ("blood pressure 150/80 with medicine", {"bp_medicine": "yes", "bp_top": "yes", "bp_bottom": "no"}, "no-uncontrolled-blood-pressure", Status.NOT_MET),
        ("blood pressure 130/95 with medicine", {"bp_medicine": "yes", "bp_top": "no", "bp_bottom": "yes"}, "no-uncontrolled-blood-pressure", Status.NOT_MET),
        ("blood pressure 130/80 with medicine", {"bp_medicine": "yes", "bp_top": "no", "bp_bottom": "no"}, "no-uncontrolled-blood-pressure", Status.MET),
        ("top number not known", {"bp_top": "unsure", "bp_bottom": "no"}, "no-uncontrolled-blood-pressure", Status.UNKNOWN),
        ("bottom number not answered", {"bp_top": "no", "bp_bottom": None}, "no-uncontrolled-blood-pressure", Status.UNKNOWN),
]


@pytest.mark.parametrize("story, answers, criterion, expected", AUDIT_STORIES, ids=[s[0] for s in AUDIT_STORIES])
def test_the_audits_stories(story, answers, criterion, expected):
    answers = {k: v for k, v in {**FINE, **answers}.items() if v is not None}
    assert status(criterion, answers) is expected, story


def test_a_woman_who_cannot_become_pregnant_is_still_asked_about_breastfeeding():
    shown = [q.id for q in CHECK.questions_in("pregnancy", {**WOMAN, "could_become_pregnant": "no"})]
    assert shown == ["could_become_pregnant", "breastfeeding"]


@pytest.mark.parametrize("topic", CHECK.topics)
def test_a_step_explains_the_upper_limit_only_where_it_asks_for_it(topic):
    """Each step's "Words on this page" explains words the step uses: the upper limit of normal
    on the steps that ask for it, not on the blood count's, which asks no limit."""
    asks = any(q.uln for q in CHECK.questions.values() if q.topic == topic)
    assert ("uln" in CHECK.topic_terms[topic]) == asks


def test_each_screen_knows_the_answers_that_bring_another_of_its_questions():
    """A tap on one of these redraws the whole screen (components/check.py); any other answer
    redraws only its own question."""
    assert {topic: [q.id for q in leads] for topic, leads in CHECK.leads_by_topic.items() if leads} == {
        "sarcoma": ["brain_mets", "brain_controlled"], "treatment": ["response"],
        "health": ["effusion", "hbsag", "unhealed_wound"], "heart": ["heart_failure"], "pregnancy": ["could_become_pregnant"]}
