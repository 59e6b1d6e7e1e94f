"""A Chinese reader never sees English UI text: the catalog covers every string in the code."""
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from trialguide.domain import i18n
from trialguide.domain import locales
ROOT = Path(__file__).resolve().parents[2]


def test_catalog_covers_every_string_in_the_code(tmp_path):
    pot = tmp_path / "fresh.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_", "-k", "N_",
         "--no-location", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as fh:
        in_code = {m.id for m in read_po(fh) if m.id}
    with (ROOT / "locales" / "messages.pot").open("rb") as fh:
        committed = {m.id for m in read_po(fh) if m.id}
    assert in_code == committed, "run: python scripts/i18n.py update"
    for lang in ("zh", "zh-Hant"):
        assert i18n.catalog_problems(i18n.catalog_path(ROOT / "locales", lang), pot) == []


def test_catalog_directory_matches_the_babel_locale():
    # zh_CN instead of zh_Hans_CN would silently show English.
    assert i18n.catalog_path(ROOT / "locales", "zh").is_file()
    assert i18n.load(ROOT / "locales")["zh"]["Study status"] == "研究状态"
    # zh_Hant_HK, not zh_HK or zh_TW
    assert i18n.catalog_path(ROOT / "locales", "zh-Hant").parent.parent.name == "zh_Hant_HK"
    assert i18n.load(ROOT / "locales")["zh-Hant"]["Study status"] == "研究狀態"


@pytest.mark.parametrize(
    "entry, problem",
    [
        ('msgid "Phone"\nmsgstr ""\n', "empty entry 'Phone'"),
        ('#, fuzzy\nmsgid "Phone"\nmsgstr "\u7535\u8bdd"\n', "fuzzy entry 'Phone'"),
        ('msgid "Other"\nmsgstr "\u5176\u4ed6"\n', "no entry for 'Phone'"),
    ],
)
def test_gaps_in_a_catalog_are_reported(tmp_path, entry, problem):
    pot = tmp_path / "messages.pot"
    pot.write_text('msgid "Phone"\nmsgstr ""\n', encoding="utf-8")
    po = tmp_path / "messages.po"
    po.write_text(entry, encoding="utf-8")
    assert any(problem in p for p in i18n.catalog_problems(po, pot))
    with pytest.raises(i18n.CatalogError):
        (tmp_path / "zh_Hans_CN" / "LC_MESSAGES").mkdir(parents=True)
        po.rename(tmp_path / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po")
        i18n.load(tmp_path)


def test_english_needs_no_catalog_and_every_other_language_has_its_own_words():
    """The English text is the message id: English shows each id as it is, and Chinese shows
    words of its own for every one (a message shown in English to a Chinese reader fails)."""
    assert locales.DEFAULT_LANG == "en"
    catalogs = i18n.load(ROOT / "locales")
    with (ROOT / "locales" / "messages.pot").open("rb") as fh:
        ids = [m.id for m in read_po(fh) if m.id]
    english, chinese = i18n.translator(catalogs, "en"), i18n.translator(catalogs, "zh")
    assert [m for m in ids if english(m) != m] == []
    assert [m for m in ids if chinese(m) == m] == []


def test_every_string_looked_up_while_drawing_the_pages_is_in_the_catalog(monkeypatch):
    """Extraction sees only _("...") and N_("..."): a string translated any other way (say,
    translator(lang)("Call the study team: {phone}")) never reaches the catalog, and the Chinese
    page shows it in English. Draw every page in both Chinese languages, plain and kiosk, and
    record each lookup the catalog cannot answer."""
    from trialguide.pages import registry, views

    tables, missed = i18n.default(), []
    real = i18n.translator

    def recording(tables_, lang):
        look = real(tables_, lang)

        def _(message: str) -> str:
            if message not in tables.get(lang, {}):
                missed.append((lang, message))
            return look(message)

        return _

    monkeypatch.setattr(i18n, "translator", recording)
    views.view.cache_clear()
    try:
        for lang in ("zh", "zh-Hant"):
            for page in registry.pages():
                for kiosk in (False, True):
                    views.view(page.id, lang, kiosk)
    finally:
        views.view.cache_clear()
    assert missed == []


def test_no_string_is_translated_where_extraction_cannot_see_it():
    """The pattern behind the test above, caught in the source: a translator called in place."""
    import re

    pattern = re.compile(r"(translator|gettext)\([^()]*\)\(\s*[\"']")
    found = [f"{path.relative_to(ROOT)}:{n}" for folder in ("trialguide", "components")
             for path in (ROOT / folder).rglob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == []
