"""Every page's claims held to their sources: each number a page states comes from trial.toml,
renders as its value, and trial.toml names the source of every fact (the registry or FACTS.md)."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from trialguide.domain import content
from trialguide.domain import locales
ROOT = Path(__file__).resolve().parents[2]
DATA = content.load()
TRIAL = (ROOT / "content" / "trial.toml").read_text(encoding="utf-8")
SOURCE = re.compile(r"#.*\b(registry|facts §\d)")

# Numbers a page may write itself, because they are names or scales rather than facts.
NOT_FACTS = {
    "about": {"0203": "the earlier study's name, ALTER-0203"},
    "results": {"1": "1-year survival and grade 1 (facts §2)", "2": "grade 2 (facts §2)", "3": "grade 3 (facts §2)",
                "4": "grade 4 (facts §2)", "95": "the 95% confidence interval of the median PFS (facts §2: 95% CI)"},
    "taking-part": {"1": "day 1 of a cycle (registry: day1-14); 停1周", "1.1": "RECIST version 1.1 (registry)",
                    "2": "吃2周: days 1-14 of the registry's 21-day cycle, as Chinese doctors say it"},
    "who-can-join": {"0": "ECOG 0 (registry: ECOG 0-2)", "1": "ECOG 1", "2": "ECOG 2"},
}
PAGES = sorted({page_id for page_id, _ in DATA.pages})


def template(page_id: str, lang: str) -> str:
    return (ROOT / "content" / lang / f"{page_id}.md").read_text(encoding="utf-8")


def numbers_written(text: str) -> set[str]:
    text = re.sub(r"\{[a-z0-9_]+\}", " ", text)  # placeholders: values from trial.toml
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    return set(re.findall(r"\d+(?:\.\d+)?", text))


@pytest.mark.parametrize("lang", locales.LANGS)
@pytest.mark.parametrize("page_id", PAGES)
def test_a_page_states_no_number_of_its_own(page_id, lang):
    assert numbers_written(template(page_id, lang)) <= set(NOT_FACTS.get(page_id, {}))


def test_the_status_words_state_no_number_of_their_own():
    status = (ROOT / "content" / "status.toml").read_text(encoding="utf-8")
    words = "\n".join(line for line in status.splitlines() if line.startswith(("en =", "zh =")))
    assert numbers_written(words) == set()


@pytest.mark.parametrize("lang", locales.LANGS)
@pytest.mark.parametrize("page_id", PAGES)
def test_each_number_renders_as_its_trial_toml_value(page_id, lang):
    rendered = DATA.page(page_id, lang).markdown
    for _, name, _, _ in string.Formatter().parse(template(page_id, lang)):
        if name:
            assert DATA.value(name, lang) in rendered, name


def test_trial_toml_names_the_source_of_every_fact():
    unsourced, table_sourced, above = [], False, ""
    for line in TRIAL.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            # [format] says how values are written, not what is true
            table_sourced = bool(SOURCE.search(stripped)) or stripped.startswith("[format]")
        elif "=" in stripped and not stripped.startswith("#"):
            if not (table_sourced or SOURCE.search(stripped) or SOURCE.search(above)):
                unsourced.append(stripped.split("=")[0].strip())
        above = stripped if stripped.startswith("#") else (above if not stripped else "")
    assert unsourced == []
