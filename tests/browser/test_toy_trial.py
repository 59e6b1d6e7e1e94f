"""Another trial's self-check, walked in Chromium as a visitor walks it: the made-up trial's own
questions, screens and result, from its content alone (tests/fixtures/toy-trial)."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import open_visit
from tests.browser.helpers import PHONE, axe_violations, walk
from trialguide.check.eligibility import load
from trialguide.domain import content

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "toy-trial"
CONTENT = content.load(TOY)
CHECK = load(TOY / "check", CONTENT.registry, CONTENT.glossary)
# 85 years old, kidneys fine by clearance alone, not sure about the fluid.
OLD_MAN = {
    "age": ("value", "85"), "sex": "male", "creatinine": ("value", "200", "100"), "creatinine_clearance": ("value", "90"),
    "liver_mets": "no", "alt": "normal", "ast": "normal", "qtc": ("value", "420"), "hbsag": "no", "effusion": "unsure",
}


def test_another_trials_self_check_walks_to_its_own_result(browser, toy_server):
    visit = open_visit(browser, toy_server + "/check?lang=en", PHONE)
    page = visit.page
    try:
        walk(page, OLD_MAN, check=CHECK)
        # Only the made-up trial's questions were asked; a man was not asked about breastfeeding.
        result = page.locator('[data-testid="stMain"]')
        expect(result.get_by_text("You are 18 to 80 years old.").first).to_be_visible()
        text = result.inner_text()
        assert "Is the fluid around my lungs under control?" in text  # what to ask, for the unsure answer
        assert "Creatinine is at most 1.5 times" not in text.split("Show every answer")[0]  # met by the clearance
        assert "breastfeeding" not in text.split("Show every answer")[0]
        assert axe_violations(page) == ""
    finally:
        page.context.close()
