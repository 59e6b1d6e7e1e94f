"""The same app serves another trial from its content alone: the made-up trial's pages, in every
language, with nothing of the real trial in them (the app run with TRIALGUIDE_CONTENT_DIR)."""
from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.http.test_served import parse, text_of
from trialguide.domain import content, locales

TOY = content.load(Path(__file__).resolve().parents[1] / "fixtures" / "toy-trial")
# Words of the real trial that an engine tied to it would let slip into another trial's pages.
REAL_TRIAL = ("NCT03890068", "nlotinib", "安罗替尼", "Sun Yat-sen", "中山大学", "8734", "arcoma", "肉瘤")


@pytest.mark.parametrize("lang", locales.LANGS)
@pytest.mark.parametrize("page", TOY.site.pages, ids=lambda p: p.id)
def test_every_page_of_another_trial_is_served_from_its_content(toy_server, page, lang):
    response = httpx.get(f"{toy_server}/{page.path}?lang={lang}", timeout=30)
    assert response.status_code == 200
    doc = parse(response.text)
    assert doc.get("lang") == locales.HTML_LANG[lang]
    assert text_of(doc.find(".//h1")) == page.title[lang]
    for words in REAL_TRIAL:
        assert words not in response.text, f"{words!r} on the made-up trial's {page.id} page"


def test_another_trials_site_map_lists_its_own_pages(toy_server):
    sitemap = httpx.get(f"{toy_server}/sitemap.xml", timeout=30).text
    for page in TOY.site.pages:
        assert f"/{page.path}?lang=en" in sitemap
    assert "/doctors" not in sitemap  # the real trial's page, not this one's
