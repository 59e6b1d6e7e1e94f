"""The summary a visitor takes to their doctor, and its PDF: built in memory, in the visitor's
language, holding this visitor's answers and no one else's."""
import dataclasses
import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from tests.profiles import FINE_MAN, PROFILES
from trialguide.check import answers as parse
from trialguide.domain import i18n
from trialguide.domain import locales
from trialguide.check import summary
from trialguide.web import pdf
from trialguide.check.eligibility import Outcome, default, evaluate

CHECK = default()
CATALOGS = i18n.load(i18n.LOCALES_DIR)
DAY = dt.date(2026, 12, 1)


def answers_of(profile: dict) -> dict:
    """The profile as the check saves it: each shown question's widgets read as the screen reads them."""
    out = {}
    for question in CHECK.questions.values():
        if question.id not in profile or not CHECK.visible(question, out):
            continue
        given = profile[question.id]
        if question.type == "choice":
            raw = {"choice": given}
        elif isinstance(given, str):
            raw = {"mode": given}
        else:
            raw = {"mode": parse.VALUE, "value": given[1], "uln": given[2] if len(given) > 2 else None}
        answer, problems = parse.read(question, raw)
        assert not problems, (question.id, problems)
        out[question.id] = answer
    return out


def built(profile: dict, lang: str) -> summary.Summary:
    answers = answers_of(profile)
    _ = i18n.translator(CATALOGS, lang)
    return summary.build(CHECK, evaluate(CHECK, answers), answers, lang, _, DAY, "NCT03890068")


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize("lang", locales.LANGS)
def test_the_pdf_opens_and_holds_the_summary_in_the_visitors_language(lang):
    model = built(PROFILES["probably_not"], lang)
    _ = i18n.translator(CATALOGS, lang)
    document = pdf.pdf(model, _)
    assert document.startswith(b"%PDF")
    text = text_of(document)
    for words in (model.title, model.outcome, model.not_met[0].plain, summary.line(model.facts[0], _), "NCT03890068"):
        assert re.sub(r"\s+", "", words) in text, words
    assert re.sub(r"\s+", "", model.every[0].excerpt) in text  # the registry's words, for the doctor
    if lang != "en":
        assert "Summarytotaketoyourdoctor" not in text


def test_a_pdf_holds_its_visitors_answers_and_no_one_elses():
    ruled_out = text_of(pdf.pdf(built(PROFILES["probably_not"], "zh"), i18n.translator(CATALOGS, "zh")))
    fine = text_of(pdf.pdf(built(FINE_MAN, "zh"), i18n.translator(CATALOGS, "zh")))
    assert "160U/L" in ruled_out and "160U/L" not in fine
    assert "72岁" in ruled_out and "72岁" not in fine


def test_the_summary_puts_first_what_a_doctor_checks_first():
    model = built(PROFILES["probably_not"], "en")
    labels = [a.label for a in model.facts]
    assert labels[:2] == [CHECK.questions["age"].text["en"]["label"], CHECK.questions["sex"].text["en"]["label"]]
    assert model.facts[0].text == "72 years"
    assert [i.id for i in model.not_met] == [c.id for c in evaluate(CHECK, answers_of(PROFILES["probably_not"])).not_met]
    assert len(model.every) == len(CHECK.criteria)


def test_a_question_that_did_not_show_is_left_out_of_what_a_doctor_checks_first():
    # HBV DNA is asked only after a positive HBsAg; this man's was negative.
    check = dataclasses.replace(CHECK, doctor_reads_first=("age", "hbv_dna"))
    answers = answers_of(FINE_MAN)
    model = summary.build(check, evaluate(check, answers), answers, "en", i18n.translator(CATALOGS, "en"), DAY, "NCT03890068")
    assert [a.text for a in model.facts] == ["45 years"]


def test_an_answer_reads_as_one_line():
    _ = i18n.translator(CATALOGS, "zh")
    assert summary.line(summary.Answer("您多大年龄？", "72 岁"), _) == "您多大年龄？72 岁"
    assert summary.line(summary.Answer("血小板（PLT）", "80"), _) == "血小板（PLT）：80"
    en = i18n.translator(CATALOGS, "en")
    assert summary.line(summary.Answer("How old are you?", "72 years"), en) == "How old are you? 72 years"
    assert summary.line(summary.Answer("Platelets (PLT)", "80"), en) == "Platelets (PLT): 80"


def test_the_file_name_carries_the_date_and_nothing_else():
    assert summary.file_name(DAY) == "self-check-2026-12-01.pdf"


def test_an_unknown_outcome_is_what_the_summary_says():
    model = built(PROFILES["check_with_doctor"], "en")
    assert model.outcome == summary.OUTCOME_TEXT[Outcome.CHECK_WITH_DOCTOR]
    assert model.unknown and not model.not_met


def test_report_numbers_are_described_as_the_report_printed_them():
    """HBV DNA "not detected" or "<20", and a glucose typed in mg/dL, read back as typed."""
    from trialguide.check import answers as parse
    from trialguide.check.eligibility import default as check_default
    from trialguide.domain.i18n import default as catalogs, translator

    check = check_default()
    zh = translator(catalogs(), "zh")
    hbv, glucose = check.questions["hbv_dna"], check.questions["glucose"]
    assert summary.describe(check, hbv, parse.read(hbv, {"mode": "value", "value": "未检出"})[0], "zh", zh) == "未检出"
    assert summary.describe(check, hbv, parse.read(hbv, {"mode": "value", "value": "<20"})[0], "en", lambda s: s) == "<20 IU/mL"
    typed = summary.describe(check, glucose, parse.read(glucose, {"mode": "value", "value": "126"})[0], "en", lambda s: s)
    assert typed == "126 mg/dL (7 mmol/L)"


@pytest.mark.parametrize("lang", locales.LANGS)
def test_not_knowing_the_sarcoma_type_asks_the_doctor_once(lang):
    """"I'm not sure" of the type leaves every "not this type" criterion unknown; the reader gets
    one thing to ask, not the same question eleven times, and the full list still has each one."""
    model = built({**FINE_MAN, "sarcoma_type": "unsure"}, lang)
    asks = [i.ask for i in model.unknown]
    assert len(asks) == len(set(asks))
    type_ids = {c.id for c in CHECK.criteria if "sarcoma_type" in c.questions}
    assert len([i for i in model.unknown if i.id in type_ids]) == 1
    assert type_ids <= {i.id for i in model.every}


@pytest.mark.parametrize("lang, words", [("en", "Exclusion criterion 9"), ("zh", "排除标准第9条"), ("zh-Hant", "排除標準第9條")])
def test_the_summary_names_registry_criteria_in_words_not_codes(lang, words):
    """A patient reads "Exclusion criterion 9" (and can say it on the phone), never "exc-9"."""
    model = built(PROFILES["check_with_doctor"], lang)
    shown = [t for i in model.every for t in (i.source, i.registry_line)]
    assert not [t for t in shown if re.search(r"\b(inc|exc)-\d", t)]
    assert any(t.startswith(words) for t in shown)


def test_when_it_may_change_is_said_only_where_an_answer_did_not_meet_the_rule():
    """"This may change 5 years after the other cancer" under "No other cancer" is noise."""
    model = built(FINE_MAN, "en")
    assert [i.id for i in model.every if i.changes] == []
    model = built({**FINE_MAN, "other_cancer": "yes"}, "en")
    assert any(i.changes for i in model.every)


@pytest.mark.parametrize("lang", locales.LANGS)
def test_the_summary_says_the_study_has_most_likely_stopped_and_whom_to_call(lang):
    """A doctor reading the summary away from the pages must not take the study for open: its
    status comes before the result, with both numbers, on screen and in the PDF."""
    from trialguide.pages import views

    status = views.summary_status(lang)
    assert status[0] == views.notice(lang).replace("**", "")
    assert any("020-8734 3383" in line for line in status) and any("+86 20 8734 3383" in line for line in status)
    model = dataclasses.replace(built(PROFILES["probably_not"], lang), status=status)
    text = text_of(pdf.pdf(model, i18n.translator(CATALOGS, lang)))
    at = [text.index(re.sub(r"\s+", "", line)) for line in status]
    assert at == sorted(at) and at[-1] < text.index(re.sub(r"\s+", "", model.outcome))
