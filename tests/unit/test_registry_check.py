"""When the registry record changes, the maintainer is told what changed and what rests on it."""
from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from trialguide.check import eligibility
from trialguide.domain import registry_check

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "NCT03890068.json"
SEED = ROOT.parent / "shared" / "seed" / "000_3690193fa094b525.txt"
TODAY = json.loads(FIXTURE.read_text(encoding="utf-8"))
# The same record with eligibilityCriteria as the API really sends it: Markdown, backslash escapes and all.
ESCAPED_FIXTURE = ROOT / "tests" / "fixtures" / "NCT03890068-escaped.json"
ESCAPED = json.loads(ESCAPED_FIXTURE.read_text(encoding="utf-8"))
SCRIPT = [sys.executable, str(ROOT / "scripts" / "registry_check.py")]


# What scripts/registry_check.py tells compare(): the self-check's criteria resting on each bullet.
USES: dict[str, list[str]] = {}
for _criterion in eligibility.default().criteria:
    USES.setdefault(_criterion.source, []).append(_criterion.id)


def edited(change) -> dict:
    record = copy.deepcopy(TODAY)
    change(record)
    return record


def test_the_fixture_is_the_record_as_published():
    assert SEED.is_file(), f"the registry record must be beside this checkout: {SEED}"
    seed = re.sub(r"\s+", " ", re.sub(r"\\([\[\]>])", r"\1", SEED.read_text(encoding="utf-8")))
    found = registry_check.bullets(TODAY["protocolSection"]["eligibilityModule"]["eligibilityCriteria"])
    assert (len(found["inclusion"]), len(found["exclusion"])) == (7, 16)
    for bullet in found["inclusion"] + found["exclusion"]:
        assert bullet in seed
    assert "UNKNOWN" in seed and "020-87343383" in seed and "Sun Yat-sen University Cancer Center" in seed


def test_todays_record_matches_the_content():
    assert registry_check.compare(TODAY) == []


def _status(r):
    r["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    r["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2026-10-02"


def _results(r):
    r["hasResults"] = True


def _reworded(r):
    module = r["protocolSection"]["eligibilityModule"]
    module["eligibilityCriteria"] = module["eligibilityCriteria"].replace("within less than 2 months", "within less than 3 months")


def _phone(r):
    for contact in r["protocolSection"]["contactsLocationsModule"]["centralContacts"]:
        contact["phone"] = "020-87343999"


@pytest.mark.parametrize(
    "change, fields, mentions",
    [
        (_status, ["overall status", "last update"], ["COMPLETED", "2026-10-02", "status panel", "study.registry_status"]),
        (_results, ["results posted"], ["the results page"]),
        (_reworded, ["eligibility exc-7"], ["within less than 3 months", "no-uncontrolled-brain-mets", "#exc-7"]),
        (_phone, ["phone"], ["02087343999", "every call button", "site.phone_local"]),
    ],
    ids=["status completed", "results posted", "criterion reworded", "new phone"],
)
def test_each_change_is_reported_with_what_rests_on_it(change, fields, mentions):
    differences = registry_check.compare(edited(change), uses=USES)
    assert [d.field for d in differences] == fields
    text = registry_check.report(differences)
    for words in mentions:
        assert words in text


def test_the_command_exits_non_zero_when_anything_differs(tmp_path):
    changed = tmp_path / "record.json"
    changed.write_text(json.dumps(edited(_status)), encoding="utf-8")
    script = [sys.executable, str(ROOT / "scripts" / "registry_check.py")]
    same = subprocess.run(script + [str(FIXTURE)], capture_output=True, text=True)
    differs = subprocess.run(script + [str(changed)], capture_output=True, text=True)
    broken = subprocess.run(script + [str(tmp_path / "missing.json")], capture_output=True, text=True)
    assert same.returncode == 0 and "matches" in same.stdout
    assert differs.returncode == 1 and "overall status" in differs.stdout
    assert broken.returncode == 2


def test_another_studys_record_is_refused():
    with pytest.raises(ValueError, match="not the record of NCT03890068"):
        registry_check.compare(edited(lambda r: r["protocolSection"]["identificationModule"].update(nctId="NCT00000001")))


def _criteria(record: dict) -> str:
    return record["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]


def test_the_escaped_fixture_is_the_seeds_markdown_verbatim():
    text = _criteria(ESCAPED)
    assert text in SEED.read_text(encoding="utf-8")
    for escaped in ("(\\> CTC AE grade 2 dyspnea \\[grade 2", "life\\])", "fasting blood glucose \\> 10mmol / L"):
        assert escaped in text
    assert {k: v for k, v in ESCAPED.items() if k != "protocolSection"} == {
        k: v for k, v in TODAY.items() if k != "protocolSection"
    }
    assert edited(lambda r: r["protocolSection"]["eligibilityModule"].update(eligibilityCriteria=text)) == ESCAPED


def test_markdown_escapes_are_not_a_change():
    assert registry_check.compare(ESCAPED) == []
    run = subprocess.run(SCRIPT + [str(ESCAPED_FIXTURE)], capture_output=True, text=True)
    assert run.returncode == 0 and "matches" in run.stdout


@pytest.mark.parametrize(
    "old, new, field, shown",
    [
        ("glucose \\> 10mmol", "glucose \\> 12mmol", "eligibility exc-9", "fasting blood glucose > 12mmol / L"),
        ("dyspnea \\[grade 2", "dyspnea \\[grade 3", "eligibility exc-6", "(> CTC AE grade 2 dyspnea [grade 3 dyspnea"),
    ],
    ids=["number in an escaped bullet", "word after an escaped bracket"],
)
def test_a_real_change_inside_an_escaped_bullet_is_still_reported(tmp_path, old, new, field, shown):
    text = _criteria(ESCAPED)
    assert text.count(old) == 1
    record = copy.deepcopy(ESCAPED)
    record["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] = text.replace(old, new)
    differences = registry_check.compare(record)
    assert [d.field for d in differences] == [field]
    assert shown in differences[0].registry and "\\" not in differences[0].registry
    changed = tmp_path / "record.json"
    changed.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(SCRIPT + [str(changed)], capture_output=True, text=True)
    assert run.returncode == 1 and f"* {field}\n" in run.stdout and shown in run.stdout
