"""Content is complete, true to its sources, plain, and fails loudly when broken."""
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import textstat
from markdown_it import MarkdownIt

from trialguide.domain.punctuation import ascii_marks
from trialguide.domain import content
from trialguide.domain import i18n
from trialguide.domain import locales
from trialguide.web import markup
from trialguide.domain import status
ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed" / "000_3690193fa094b525.txt"
DATA = content.load()
PAGE_IDS = sorted({page_id for page_id, _ in DATA.pages})


def test_every_page_exists_in_both_languages():
    for page_id in PAGE_IDS:
        for lang in locales.LANGS:
            assert DATA.page(page_id, lang).markdown.strip(), (page_id, lang)


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_both_languages_explain_the_same_terms(page_id):
    assert set(DATA.page(page_id, "en").terms) == set(DATA.page(page_id, "zh").terms)


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_both_languages_have_the_same_sections(page_id):
    def headings(md):
        tokens = MarkdownIt().parse(md)
        return [t.tag for t in tokens if t.type == "heading_open"]

    assert headings(DATA.page(page_id, "en").markdown) == headings(DATA.page(page_id, "zh").markdown)


@pytest.mark.parametrize("page_id, lang", sorted(DATA.pages))
def test_links_are_glossary_anchors_or_https(page_id, lang):
    tokens = MarkdownIt().parse(DATA.page(page_id, lang).markdown)
    hrefs = [
        child.attrs["href"]
        for token in tokens
        if token.type == "inline"
        for child in token.children
        if child.type == "link_open"
    ]
    for href in hrefs:
        assert re.fullmatch(r"#g-[a-z0-9-]+", href) or href.startswith("https://"), href


def _plain_english(md: str) -> str:
    md = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", md)
    md = re.sub(r"^#+ .*$", "", md, flags=re.M)
    lines = [line.strip(" -*>") for line in md.splitlines() if line.strip()]
    # A list item is read as a sentence of its own.
    return "\n".join(line if line.endswith((".", "?", "!", ":")) else line.rstrip(";,") + "." for line in lines)


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_english_pages_read_at_grade_8_or_below(page_id):
    grade = textstat.flesch_kincaid_grade(_plain_english(DATA.page(page_id, "en").markdown))
    assert grade <= 8, f"{page_id}: Flesch-Kincaid grade {grade}"


def test_glossary_reads_at_grade_8_or_below():
    text = " ".join(entry["en"]["text"] for entry in DATA.glossary.values())
    assert textstat.flesch_kincaid_grade(text) <= 8


def _chinese_texts():
    for (page_id, lang), page in DATA.pages.items():
        if lang == "zh":
            yield f"content/zh/{page_id}.md", page.markdown
    for term_id, entry in DATA.glossary.items():
        yield f"glossary.toml [{term_id}]", entry["zh"]["term"] + entry["zh"]["text"]


@pytest.mark.parametrize("where, text", list(_chinese_texts()))
def test_chinese_uses_full_width_punctuation(where, text):
    # ASCII ":" before "word[...]" is a Streamlit directive that silently swallows words.
    assert ascii_marks(text) == [], f"{where}: run python scripts/zh_punctuation.py"


@pytest.mark.parametrize("where, text", list(_chinese_texts()))
def test_chinese_has_no_space_after_its_punctuation(where, text):
    """Chinese sets no space after a full-width mark: "**打电话给研究团队。** 问问" showed one."""
    assert re.findall(r".{0,8}[。，：；？！）]\*{0,2} +\S.{0,8}", text) == [], where


def test_no_contact_detail_is_invented():
    every_text = " ".join(p.markdown for p in DATA.pages.values()) + str(DATA.glossary)
    assert "@" not in every_text  # no email exists in any source
    phones = set(re.findall(r"\d{3}-?\d{4} ?\d{4}", every_text))
    assert phones <= {"020-8734 3383"}


def test_registry_text_is_verbatim():
    # Fails, never skips, without the record: the app's honesty rests on this comparison.
    assert SEED.is_file(), f"the registry record must be beside this checkout: {SEED}"
    seed = re.sub(r"\\([\[\]>])", r"\1", SEED.read_text(encoding="utf-8"))
    for kind in ("inclusion", "exclusion"):
        for item in DATA.registry[kind]:
            assert item["text"] in seed, item["id"]
    for key in ("brief_summary", "detailed_description", "arm", "intervention"):
        assert DATA.registry[key].strip() in seed, key


def test_registry_has_every_criterion_with_stable_ids():
    assert [c["id"] for c in DATA.registry["inclusion"]] == [f"inc-{n}" for n in range(1, 8)]
    assert [c["id"] for c in DATA.registry["exclusion"]] == [f"exc-{n}" for n in range(1, 17)]


TODAY = dt.date(2026, 11, 24)


def test_facts_appear_formatted_for_each_language():
    today = status.assess(DATA.facts["study"], TODAY)
    assert "August 1, 2023" in DATA.status_page(today, "en").markdown
    assert "2023\u5e748\u67081\u65e5" in DATA.status_page(today, "zh").markdown
    assert "April 2019 to January 2022" in DATA.status_page(today, "en").markdown
    assert "16%" in DATA.page("results", "zh").markdown


STUDY = DATA.facts["study"]


@pytest.mark.parametrize(
    "story, changes, today, headline, says, never_says",
    [
        ("today's record", {}, TODAY, "Most likely not.",
         ["August 1, 2023", '"unknown"', "May 30, 2024. That date has passed.", "April 2019 to January 2022",
          'listed the hospital as "Recruiting"'], ["Maybe."]),
        ("the site no longer recruiting", {"site_status": "COMPLETED"}, TODAY, "Most likely not.", ["That date has passed."],
         ['"Recruiting"']),
        ("the day before the planned end", {}, dt.date(2024, 5, 29), "Most likely not.",
         ["plans to finish by May 30, 2024."], ["That date has passed."]),
        ("the planned end itself", {}, dt.date(2024, 5, 30), "Most likely not.", ["plans to finish by"], ["has passed"]),
        ("the day after", {}, dt.date(2024, 5, 31), "Most likely not.", ["That date has passed."], ["plans to finish"]),
        ("recruiting, fresh, no paper yet", {"registry_status": "RECRUITING", "last_updated": dt.date(2026, 6, 1),
         "completion_date": dt.date(2028, 1, 1), "enrolment_to": None}, TODAY, "Maybe.",
         ["was taking new patients", "plans to finish by January 1, 2028."], ["Most likely not.", 'listed the hospital']),
        ("recruiting but stale", {"registry_status": "RECRUITING", "last_updated": dt.date(2024, 1, 1),
         "completion_date": dt.date(2028, 1, 1), "enrolment_to": None}, TODAY, "Most likely not.",
         ["was taking new patients"], ["Maybe."]),
        ("completed", {"registry_status": "COMPLETED", "last_updated": dt.date(2026, 6, 1)}, TODAY, "Most likely not.",
         ["no longer taking new patients"], ['"unknown"']),
    ],
)
def test_the_status_panel_follows_the_record_and_the_date(story, changes, today, headline, says, never_says):
    study = {k: v for k, v in {**STUDY, **changes}.items() if v is not None}
    # a fact the record no longer gives is not said; its placeholder still needs a value to load
    facts = {**DATA.facts, "study": {**STUDY, **study}}
    values = content.placeholder_values(facts, "en")
    assessed = status.assess(study, today)
    text = "\n".join(content._load_status(ROOT / "content" / "status.toml", {code: values for code in locales.LANGS}, DATA.glossary)[k]["en"]
                     for k in [f"headline.{assessed.headline}", *(f"reason.{r}" for r in assessed.reasons)])
    assert headline in text, story
    for words in says:
        assert words in text, (story, words)
    for words in never_says:
        assert words not in text, (story, words)


# Broken content must stop the app with a message that names the file and the key.


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def test_missing_translation_names_the_file(content_copy):
    (content_copy / "zh" / "results.md").unlink()
    with pytest.raises(content.ContentError, match=r"zh/results\.md: missing translation"):
        content.load(content_copy)


def test_unknown_placeholder_names_file_and_key(content_copy):
    path = content_copy / "en" / "home.md"
    path.write_text(path.read_text() + "\nEnds {end_date}.\n")
    with pytest.raises(content.ContentError, match=r"en/home\.md: unknown placeholder \{end_date\}"):
        content.load(content_copy)


def test_link_to_undefined_term_names_file_and_term(content_copy):
    path = content_copy / "zh" / "home.md"
    path.write_text(path.read_text() + "\n[\u672f\u8bed](#g-nonsense)\n")
    with pytest.raises(content.ContentError, match=r"zh/home\.md: links #g-nonsense"):
        content.load(content_copy)


def test_glossary_entry_without_translation_names_key(content_copy):
    path = content_copy / "glossary.toml"
    path.write_text(path.read_text() + '\n[lonely]\nen.term = "Lonely"\nen.text = "Only English."\n')
    with pytest.raises(content.ContentError, match=r"glossary\.toml: \[lonely\] zh\.term"):
        content.load(content_copy)


def test_registry_with_a_lost_criterion_is_refused(content_copy):
    """The record's criteria are numbered as it lists them: one lost in the middle shifts the rest."""
    path = content_copy / "registry.toml"
    text = path.read_text()
    start = text.index('[[exclusion]]\nid = "exc-9"')
    path.write_text(text[:start] + text[text.index('[[exclusion]]\nid = "exc-10"'):])
    with pytest.raises(content.ContentError, match=r"registry\.toml: exclusion criterion 9 must have id exc-9, not 'exc-10'"):
        content.load(content_copy)


def test_bold_renders_in_both_languages():
    """CommonMark drops ** that closes after Chinese punctuation and before a letter: keep the
    punctuation outside the bold, or a reader sees the asterisks."""
    texts = [page.markdown for page in DATA.pages.values()]
    texts += [text for entry in DATA.status.values() for text in entry.values()]
    texts += [text for table in i18n.default().values() for text in table.values()]
    for text in texts:
        assert "**" not in markup.render(text), text[:80]


def test_each_call_button_shows_the_number_as_its_readers_dial_it():
    """From Hong Kong or Macau, 020 rings nowhere: the zh-Hant button shows +86 (every button's
    link dials +86 from anywhere)."""
    from trialguide.pages import views
    assert {lang: views.call_number(lang) for lang in locales.LANGS} == {
        "en": "020-8734 3383", "zh": "020-8734 3383", "zh-Hant": "+86 20 8734 3383"}


@pytest.mark.parametrize("lang, first", [("en", "Exclusion criterion 8: "), ("zh", "排除标准第8条："), ("zh-Hant", "排除標準第8條：")])
def test_a_criterion_a_doctor_can_share_is_named_by_its_list_its_number_and_its_first_words(lang, first):
    """The share panel's choices (doctors' page): the record's own words, cut short with one
    ellipsis, never after the record's own full stop or comma ("syndrome.…")."""
    from trialguide.pages import views

    names = {c: views.criterion_name(c, lang) for c in views.criterion_ids()}
    assert len(names) == 23  # the record's 7 inclusion and 16 exclusion criteria
    assert names["exc-8"].startswith(first)
    assert [n for n in names.values() if re.search(r"[.,;:]…$", n)] == []
