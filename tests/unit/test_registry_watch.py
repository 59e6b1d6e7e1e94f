"""Between releases, the scheduled registry check keeps every page honest: the status panel says
when the record was last read, and while the record differs from these pages' content every page
says so first, in each language, until a person updates the content. The job's script is run here
as the job runs it, on the fixture record edited as the registry would change it (no network)."""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trialguide.domain import registry_watch
from trialguide.pages import registry, views
from trialguide.pages.blocks import Box, Call, Markdown

ROOT = Path(__file__).resolve().parents[2]
TODAY = json.loads((ROOT / "tests" / "fixtures" / "NCT03890068.json").read_text(encoding="utf-8"))
SCRIPT = [sys.executable, str(ROOT / "scripts" / "registry_check.py")]


def edited(change) -> dict:
    record = copy.deepcopy(TODAY)
    change(record)
    return record


def _status(record, posted="2026-10-02"):
    module = record["protocolSection"]["statusModule"]
    module["overallStatus"] = "COMPLETED"
    module["lastUpdatePostDateStruct"]["date"] = posted


def _results(record):
    record["hasResults"] = True
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2026-11-20"


def _phone(record):  # a new number, the record's date left as it was
    for contact in record["protocolSection"]["contactsLocationsModule"]["centralContacts"]:
        contact["phone"] = "020-87343999"


def shown(page_id: str, lang: str, kiosk: bool = False) -> list[str]:
    """The page's words, in order, as the pre-render and the live app both draw them."""
    def texts(blocks):
        for block in blocks:
            if isinstance(block, Box):
                yield from texts(block.children)
            elif isinstance(block, Markdown):
                yield block.text
            elif isinstance(block, Call):
                yield block.label
    return list(texts(views.view(page_id, lang, kiosk).blocks))


@pytest.fixture
def status_file(tmp_path, monkeypatch):
    path = tmp_path / "registry" / "registry.json"
    monkeypatch.setenv(registry_watch.STATUS_ENV, str(path))
    views.view.cache_clear()
    yield path
    views.view.cache_clear()


def run_job(record: dict | str, status_file: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    fetched = tmp_path / "record.json"
    fetched.write_text(record if isinstance(record, str) else json.dumps(record), encoding="utf-8")
    return subprocess.run([*SCRIPT, str(fetched), "--write", str(status_file)], capture_output=True, text=True, timeout=60, cwd=ROOT)


CHANGED = {
    "en": ("**Please note:** the study's record on ClinicalTrials.gov has been updated since we wrote these pages. "
           "The latest update was on {date}. Some things here may now be out of date. "
           "Before you decide anything, call the study team or ask your doctor."),
    "zh": ("**请注意**：我们写好这个网站以后，这项研究在ClinicalTrials.gov上的记录有了更新（最近一次是{date}）。"
           "本页有些内容可能已经过时。做任何决定之前，请先打电话问研究团队，或者问问您的医生。"),
    "zh-Hant": ("**請注意**：我們寫好這個網站以後，這項研究在ClinicalTrials.gov上的記錄有了更新（最近一次是{date}）。"
                "本頁有些內容可能已經過時。做任何決定之前，請先致電研究團隊查詢，或者問問您的醫生。"),
}
UNDATED = {
    "en": ("**Please note:** the study's record on ClinicalTrials.gov has changed since we wrote these pages. "
           "Some things here may now be out of date. Before you decide anything, call the study team or ask your doctor."),
    "zh": ("**请注意**：我们写好这个网站以后，这项研究在ClinicalTrials.gov上的记录有了改动。"
           "本页有些内容可能已经过时。做任何决定之前，请先打电话问研究团队，或者问问您的医生。"),
    "zh-Hant": ("**請注意**：我們寫好這個網站以後，這項研究在ClinicalTrials.gov上的記錄有了改動。"
                "本頁有些內容可能已經過時。做任何決定之前，請先致電研究團隊查詢，或者問問您的醫生。"),
}
DATES = {"2026-10-02": {"en": "October 2, 2026", "zh": "2026年10月2日", "zh-Hant": "2026年10月2日"},
         "2026-11-20": {"en": "November 20, 2026", "zh": "2026年11月20日", "zh-Hant": "2026年11月20日"}}
UNCHANGED = {"en": "It had not changed since we wrote these pages.", "zh": "记录没有变化", "zh-Hant": "記錄沒有變化"}
STUDY_TEAM = {"en": "Call the study team", "zh": "打电话给研究团队", "zh-Hant": "致電研究團隊"}


@pytest.mark.parametrize(
    "change, exit_code, changed_on",
    [(lambda r: None, 0, None), (_status, 1, "2026-10-02"), (_results, 1, "2026-11-20"), (_phone, 1, None)],
    ids=["unchanged", "status completed", "results posted", "new phone"],
)
@pytest.mark.parametrize("lang", ["en", "zh", "zh-Hant"])
def test_what_every_page_says_after_the_scheduled_check(change, exit_code, changed_on, lang, status_file, tmp_path):
    done = run_job(edited(change), status_file, tmp_path)
    assert done.returncode == exit_code, done.stdout + done.stderr
    assert status_file.is_file()
    checked = views.last_checked(registry_watch.current(), lang)[0].text
    home = shown("home", lang)
    assert checked in home  # in the status panel, whatever the record says
    assert dt.date.today().strftime("%Y") in checked
    if exit_code == 0:
        assert UNCHANGED[lang] in checked
        for page in registry.pages():
            assert not any(text.startswith(UNDATED[lang][:8]) for text in shown(page.id, lang)), page.id  # no "Please note"
        return
    expected = CHANGED[lang].format(date=DATES[changed_on][lang]) if changed_on else UNDATED[lang]
    for page in registry.pages():
        for kiosk in (False, True):
            words = shown(page.id, lang, kiosk)
            assert words[0] == expected, (page.id, kiosk, words[:2])  # first, before anything else on the page
            assert any(STUDY_TEAM[lang] in text for text in words[1:]), page.id  # the number it tells them to call is on the page
            assert expected not in views.view(page.id, lang, kiosk).description  # a shared link's preview is the page's own
    assert UNCHANGED[lang] not in checked


def test_once_the_content_is_updated_the_pages_stop_saying_it_changed(status_file, tmp_path):
    """The file holds the record, not a verdict: each replica compares it with the content it
    serves. Content updated to say COMPLETED on 2026-10-02 makes the same file a match."""
    from trialguide.domain import content

    record = edited(_status)
    run_job(record, status_file, tmp_path)
    data = content.default()
    updated = dataclasses.replace(data, facts={**data.facts, "study": {**data.facts["study"], "registry_status": "COMPLETED",
                                                                        "last_updated": dt.date(2026, 10, 2)}})
    assert registry_watch.read(status_file, data).changed == ("overall status", "last update")
    assert registry_watch.read(status_file, updated).changed == ()


def test_a_new_check_is_seen_without_a_restart_and_a_rerun_reads_nothing(status_file, tmp_path, monkeypatch):
    run_job(TODAY, status_file, tmp_path)
    assert registry_watch.current().changed == ()
    reads = []
    original = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: reads.append(self) or original(self, *a, **k))
    for _ in range(3):
        registry_watch.current()
    assert reads == []  # unchanged file: one stat, no read, no comparison
    run_job(edited(_status), status_file, tmp_path)
    os.utime(status_file, ns=(0, status_file.stat().st_mtime_ns + 1_000_000))  # a clock too coarse to tell the writes apart
    assert registry_watch.current().changed_on == dt.date(2026, 10, 2)
    assert views.view("contact", "en").blocks[0].key == "record_changed"


@pytest.mark.parametrize("body", ["", "{\"checked\": \"2026-12-01T03:00:00+00:00\"}", "not json",
                                  json.dumps({"checked": "yesterday", "record": TODAY})])
def test_a_broken_status_file_says_nothing_rather_than_something_false(body, status_file):
    status_file.parent.mkdir(parents=True)
    status_file.write_text(body, encoding="utf-8")
    assert registry_watch.current() is None
    assert not any("ClinicalTrials.gov on" in text for text in shown("home", "en"))


def test_without_the_setting_nothing_is_said_about_a_check(monkeypatch):
    monkeypatch.delenv(registry_watch.STATUS_ENV, raising=False)
    views.view.cache_clear()
    try:
        assert registry_watch.current() is None
        assert not any("We last checked" in text for text in shown("home", "en"))
    finally:
        views.view.cache_clear()


@pytest.mark.parametrize("record", ["not json", json.dumps({"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}})],
                         ids=["not json", "another study"])
def test_a_failed_fetch_keeps_the_last_good_check(record, status_file, tmp_path):
    run_job(TODAY, status_file, tmp_path)
    before = status_file.read_bytes()
    done = run_job(record, status_file, tmp_path)
    assert done.returncode == 2 and "cannot read the record" in done.stderr
    assert status_file.read_bytes() == before


def test_the_job_writes_in_one_step_and_leaves_no_temporary_file(status_file, tmp_path):
    run_job(TODAY, status_file, tmp_path)
    run_job(edited(_phone), status_file, tmp_path)
    assert sorted(p.name for p in status_file.parent.iterdir()) == ["registry.json"]
    saved = json.loads(status_file.read_text(encoding="utf-8"))
    assert dt.datetime.fromisoformat(saved["checked"]).tzinfo is not None
    assert saved["record"]["protocolSection"]["identificationModule"]["nctId"] == "NCT03890068"


def test_the_pre_rendered_pages_are_built_again_when_the_check_finds_a_change(status_file, tmp_path):
    """What a phone on a slow network reads before the live app takes over: no restart needed."""
    import brotli
    import html5lib

    from trialguide.web import server, static

    index_html = (static.streamlit_static_dir() / "index.html").read_text(encoding="utf-8")
    site = server.PrerenderedPages(index_html)

    def contact_zh() -> str:
        body = brotli.decompress(site.variants[("contact", "zh", False)].body["br"]).decode("utf-8")
        main = html5lib.parse(body, namespaceHTMLElements=False).find(".//div[@id='tg-prerender']//main")
        return "".join(main.itertext())

    assert "有了改动" not in contact_zh()
    run_job(edited(_status), status_file, tmp_path)
    site.refresh(wait=True)
    text = contact_zh()
    said = CHANGED["zh"].format(date=DATES["2026-10-02"]["zh"]).replace("**", "")  # as read, bold
    assert said in text and text.index(said) < text.index("中山大学肿瘤防治中心")
    builds, build = [], site._build
    site._build = lambda: builds.append(1) or build()
    site.refresh(wait=True)  # nothing changed since: nothing built again
    assert builds == []


def test_a_handout_says_when_the_record_was_checked_and_above_its_status_when_it_changed(status_file, tmp_path):
    """Paper outlives the page: a handout printed today carries the check too."""
    from trialguide.web import handout

    def printed() -> str:
        return handout.render("zh-Hant", "https://trial.example.org", dt.date.today())

    checked = "我們最近一次查看這項研究在ClinicalTrials.gov上的記錄是在"
    assert checked not in printed()  # no check has run
    run_job(TODAY, status_file, tmp_path)
    assert checked in printed() and "記錄沒有變化" in printed()  # at its foot
    run_job(edited(_results), status_file, tmp_path)
    after = printed()
    said = CHANGED["zh-Hant"].format(date=DATES["2026-11-20"]["zh-Hant"]).split("**")[-1]  # after the bold "please note"
    status = after.index('<div class="tg-status">')
    assert status < after.index(said) < after.index("這項研究很可能已經不再招募新病人")  # first in the status box
    assert checked not in after  # the notice says it instead
    assert '<body class="tg-changed">' in after  # a point smaller: still one A4 sheet (checked in Chromium by hand)
