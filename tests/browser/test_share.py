"""What an oncologist shares and a clinic prints: a page's link and QR code, and the handout."""
from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata

import pypdf
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, press, tap
from tests.conftest import PUBLIC_URL, ROOT
from trialguide.check.answers import widget_key
from trialguide.domain import i18n, locales


def decoded(png: bytes) -> list[str]:
    """What a real QR decoder reads in a picture of the screen or the page."""
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.mark.parametrize("lang", locales.LANGS)
def test_each_page_offers_its_link_to_copy_and_as_a_qr_code(visit, browser, server, lang):
    v = visit(f"/results?lang={lang}")
    page = v.page
    panel = page.locator(".st-key-share")
    link = f"{PUBLIC_URL}/results?lang={lang}"
    expect(panel.locator(".tg-share-link")).to_have_text(link)  # the configured public address
    assert decoded(panel.locator(".tg-qr img").screenshot()) == [link]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    expect(panel.locator("button.tg-copy")).to_have_text(i18n.translator(i18n.default(), lang)("Copy the link"))
    panel.locator("button.tg-copy").click()
    expect(panel.locator(".tg-copied")).to_have_text({"en": "Copied", "zh": "已复制", "zh-Hant": "已複製"}[lang])
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert v.foreign_hosts(server) == set()


def test_a_shared_link_never_carries_an_answer(visit):
    page = visit("/check?lang=en").page
    press(page, "start")
    tap(page, widget_key("age", "value"), {"age": ("value", "47")})
    expect(page.locator(".st-key-share .tg-share-link")).to_have_text(f"{PUBLIC_URL}/check?lang=en")
    assert "47" not in page.locator(".st-key-share").inner_html()


@pytest.mark.parametrize("lang", locales.LANGS)
def test_the_handout_prints_on_one_a4_page_with_the_key_facts(browser, server, lang):
    context = browser.new_context(viewport={"width": 794, "height": 1123})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server}/handout?lang={lang}")
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1
    # NFKC: the PDF's text layer writes some characters as Kangxi radicals (⼴ for 广)
    text = unicodedata.normalize("NFKC", re.sub(r"\s+", "", pdf.pages[0].extract_text()))
    for fact in ("NCT03890068", "020-87343383", "+862087343383", "651号", "510060"):  # 651号: as Guangzhou writes it
        assert fact in text, fact
    words = {"en": ["mostlikelystoppedtakingnewpatients", "12mg", "ProfessorXingZhang",
                    "PrintedonNovember" if dt.date.today().month == 11 else "Printedon"],
             "zh": ["很可能已经不再招募新病人", "12毫克", "Zhang教授", "打印于"],
             "zh-Hant": ["很可能已經不再招募新病人", "12毫克", "Zhang教授", "列印於"]}[lang]
    for word in words:
        assert word in text, word
    assert locales.format_date(dt.date.today(), lang).replace(" ", "") in text
    page.emulate_media(media="print")
    assert decoded(page.screenshot(full_page=True)) == [f"{PUBLIC_URL}/?lang={lang}"]
    page.emulate_media(media="screen")
    report = axe_violations(page)
    assert report == ""
    assert {u.split("/")[2] for u in requests if u.startswith("http")} == {server.split("/")[2]}
    assert page.evaluate("document.documentElement.lang") == locales.HTML_LANG[lang]
    page.screenshot(path=f"test-results/screenshots/handout-{lang}.jpg", full_page=True, type="jpeg", quality=85)
    context.close()


@pytest.mark.parametrize("lang", locales.LANGS)
def test_the_doctors_page_links_to_the_handout(visit, lang):
    page = visit(f"/doctors?lang={lang}").page
    link = page.locator(f'[data-testid="stMain"] a[href="/handout?lang={lang}"]').first
    # the share panel's, too, drawn as the site's other links are, not in the browser's own blue
    assert page.locator(".st-key-share a[href^=\"/handout\"]").evaluate("a => getComputedStyle(a).color") == page.locator('[data-testid="stPageLink-NavLink"] p').first.evaluate(
        "p => getComputedStyle(p).color")
    link.click()
    expect(page).to_have_url(re.compile(rf"/handout\?lang={lang}$"))
    expect(page.locator("h1")).to_be_visible()


def test_a_link_home_copied_or_opened_in_a_new_tab_leads_home(visit):
    """A doctor long-presses "Why we think so" or the study's name to copy or open it elsewhere:
    the address is the home page's, not the page they are on (Streamlit wrote "?lang=en")."""
    page = visit("/doctors?lang=en").page
    home = page.locator('[data-testid="stMain"] [data-testid="stPageLink-NavLink"]', has_text="Why we think so")
    expect(home).to_have_attribute("href", "/?lang=en")
    assert page.locator('.st-key-tg_header [data-testid="stPageLink-NavLink"]').evaluate("a => new URL(a.href).pathname") == "/"


@pytest.mark.parametrize("lang", locales.LANGS)
def test_a_doctor_can_share_one_registry_criterion(visit, server, lang):
    v = visit(f"/doctors?lang={lang}")
    page = v.page
    _ = i18n.translator(i18n.default(), lang)
    panel = page.locator(".st-key-share")
    choice = panel.get_by_label(_("Or share one criterion"))
    expect(choice).to_have_value("")  # the whole page until one is picked
    assert choice.bounding_box()["height"] >= 44  # a thumb's target
    # named by its list, number and first words, never by an internal id
    name = {"en": "Exclusion criterion 7: Symptoms of brain metastases cannot be controlled and…",
            "zh": "排除标准第7条：Symptoms of brain metastases cannot be controlled and…",
            "zh-Hant": "排除標準第7條：Symptoms of brain metastases cannot be controlled and…"}[lang]
    choice.select_option(label=name)
    link = f"{PUBLIC_URL}/doctors?lang={lang}#exc-7"
    expect(panel.locator(".tg-share-link")).to_have_text(link)
    expect(panel.locator(".tg-qr img")).to_have_attribute("alt", _("QR code: {link}").format(link=link))
    page.wait_for_function("() => { const i = document.querySelector('.st-key-share .tg-qr img'); return i.complete && i.naturalWidth > 0 && i.src.includes('exc-7'); }")
    assert decoded(panel.locator(".tg-qr img").screenshot()) == [link]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    panel.locator("button.tg-copy").click()
    assert page.evaluate("navigator.clipboard.readText()") == link
    choice.select_option(label=_("The whole page"))  # and back to the whole page
    expect(panel.locator(".tg-share-link")).to_have_text(f"{PUBLIC_URL}/doctors?lang={lang}")
    expect(panel.locator(".tg-copied")).to_have_text("")  # no "Copied" left beside a link not copied
    assert v.foreign_hosts(server) == set()
    if lang != "en":
        return
    # The colleague who opens it lands on the doctors' page of this study, the criterion marked,
    # named (which list, which number) and whole below the top of the screen.
    opened = visit("/doctors?lang=en#exc-7").page
    expect(opened.locator('[data-testid="stMain"] h1')).to_have_text("For doctors: the registry record")
    criterion = opened.locator('[data-testid="stMain"] #exc-7')
    expect(criterion).to_be_in_viewport()
    expect(criterion).to_have_css("background-color", "rgb(255, 244, 194)")
    expect(criterion.locator(".tg-criterion-name")).to_have_text("Exclusion criterion 7")
    assert criterion.bounding_box()["y"] >= 4  # its frame (2 px outside it) not cut by the screen's edge
    expect(opened.locator('[data-testid="stMain"] .tg-shared')).to_have_count(1)  # that one alone
    # The panel offers that criterion to pass on; another language keeps it.
    expect(opened.locator("select.tg-share-at")).to_have_value("exc-7")
    expect(opened.locator(".tg-share-link")).to_have_text(f"{PUBLIC_URL}/doctors?lang=en#exc-7")
    opened.locator(".st-key-lang_switches button", has_text="简体中文").click()
    expect(opened).to_have_url(re.compile(r"/doctors\?lang=zh#exc-7$"))
    criterion = opened.locator('[data-testid="stMain"] #exc-7')
    expect(criterion.locator(".tg-criterion-name")).to_have_text("排除标准第7条")
    expect(criterion).to_be_in_viewport()
    expect(opened.locator("select.tg-share-at")).to_have_value("exc-7")


@pytest.mark.parametrize("lang", locales.LANGS)
def test_a_handout_printed_while_the_registry_record_differs_still_fits_one_a4_page(browser, lang, tmp_path, monkeypatch):
    """The daily registry check found the record changed (deploy/README.md): the handout says so
    above the study's status, and still prints on one sheet. Rendered as the server renders it
    with that check's file (the shared test server runs without one), then printed in Chromium."""
    import json

    from trialguide.domain import registry_watch
    from trialguide.web import handout

    record = json.loads((ROOT / "tests" / "fixtures" / "NCT03890068.json").read_text(encoding="utf-8"))
    record["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2026-10-02"
    status = tmp_path / "registry.json"
    registry_watch.write(status, record, dt.datetime.now(dt.timezone.utc))
    monkeypatch.setenv(registry_watch.STATUS_ENV, str(status))
    context = browser.new_context(viewport={"width": 794, "height": 1123})
    page = context.new_page()
    page.set_content(handout.render(lang, PUBLIC_URL, dt.date.today()))
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    text = unicodedata.normalize("NFKC", re.sub(r"\s+", "", pdf.pages[0].extract_text()))
    assert len(pdf.pages) == 1
    said = {"en": "Pleasenote:", "zh": "请注意:", "zh-Hant": "請注意:"}[lang]  # NFKC: a full-width colon reads as ":"
    status_words = {"en": "mostlikelystoppedtakingnewpatients", "zh": "很可能已经不再招募新病人", "zh-Hant": "很可能已經不再招募新病人"}[lang]
    assert said in text and text.index(said) < text.index(status_words)
    assert "020-87343383" in text
    context.close()
