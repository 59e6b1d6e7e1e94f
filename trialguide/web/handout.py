"""A one-page A4 handout per language, for clinics to print and give out.

Rendered on the server from the same content as the pages (no text written twice): the status
line, what the study is, who it was for, what taking part involved, how to reach the team, and
a QR code of the explainer's home page in that language. Standalone HTML with print CSS, so it
prints the same from any browser; it holds no visitor data.
"""
from __future__ import annotations

import datetime as dt
import html

from trialguide.domain import content
from trialguide.domain import locales
from trialguide.pages import text
from trialguide.web import markup
from trialguide.pages import registry as pages
from trialguide.web import security
from trialguide.web import share
from trialguide.pages import views
# Which parts of which pages go on paper: (page, section index). Both languages of a page have
# the same sections in the same order, so the same index picks the same part in each.
WHO_FOR = ("about", 2)  # "Who the study was for"
TAKING_PART = ("taking-part", 1)  # "How the medicine was taken"

STYLE = """
@page { size: A4; margin: 10mm 13mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", -apple-system, "PingFang SC", "Segoe UI",
       "Microsoft YaHei", Roboto, system-ui, sans-serif; color: #1a1a1a; font-size: 12pt; line-height: 1.38;
       margin: 0 auto; max-width: 182mm; padding: 6mm 0; }
/* Chinese takes less room than English: older readers get the larger size it leaves space for. */
html:lang(zh) body { font-size: 13pt; }
h1 { font-size: 19pt; line-height: 1.2; margin: 0 0 1mm; }
h2 { font-size: 13pt; margin: 4mm 0 1mm; border-bottom: 1px solid #6b7785; }
p, ul { margin: 1mm 0; } ul { padding-left: 5mm; } li { margin: 0.5mm 0; }
.tg-id { color: #3a4652; margin: 0 0 2mm; }
.tg-status { border: 2px solid #1a1a1a; padding: 2mm 3mm; margin: 2mm 0; }
.tg-contact { display: grid; grid-template-columns: 1fr 38mm; gap: 4mm; align-items: start; }
.tg-contact .tg-phone { font-size: 15pt; font-weight: 700; margin: 0; }
.tg-qr svg { width: 36mm; height: 36mm; display: block; }
.tg-qr p { font-size: 8.5pt; overflow-wrap: anywhere; margin: 1mm 0 0; }
footer { margin-top: 3mm; font-size: 8.5pt; color: #3a4652; }
.tg-print { margin: 4mm 0; display: flex; flex-wrap: wrap; gap: 3mm 6mm; align-items: center; }
.tg-print a { display: inline-flex; align-items: center; min-height: 44px; color: #0b4f8a; font-weight: 600; }
.tg-print button { font: inherit; font-size: 12pt; min-height: 44px; padding: 2mm 5mm; border: 2px solid #0b4f8a;
                   color: #0b4f8a; background: #fff; border-radius: 2mm; cursor: pointer; }
@media print { .tg-print { display: none; } body { padding: 0; } }
"""


def render(lang: str, base: str, today: dt.date) -> str:
    data = content.default()
    _ = views.translator(lang)
    study, site = data.facts["study"], data.facts["site"]
    home_url = share.link(base, "home", lang)
    home_page, who_can_join, taking_part, contact = (pages.BY_ID[p] for p in ("home", "who-can-join", "taking-part", "contact"))
    title = _(home_page.title)
    what_it_is = _("What this study is")
    phones = _("From mainland China: **{local}**  \nFrom Hong Kong, Macau, Taiwan or abroad: **{intl}**").format(
        local=site["phone_local"], intl=site["phone_intl"]
    )
    ask_for = _("Ask for **Professor Xing Zhang** (family name Zhang), the doctor who led the study (principal investigator).")
    scan = _("Scan to read more on your phone:")
    printed = _("Study {nct_id}. Printed on {date}. Only the study team can decide who can join.").format(
        nct_id=study["nct_id"], date=locales.format_date(today, lang)
    )
    # Each source it prints from, named: the record, the paper (results, other hospitals, when people
    # joined), and public sources (FACTS.md §3, §4) for the address and the anthracycline examples.
    sources = _(
        "Sources: the study's record on ClinicalTrials.gov (last updated {date}), the study team's published paper, "
        "and public sources for the hospital's address and the examples of chemotherapy medicines."
    ).format(date=locales.format_date(study["last_updated"], lang))
    notice = data.status[f"notice.{views.study_status(today).headline}"][lang]
    who_page, who_index = WHO_FOR
    part_page, part_index = TAKING_PART
    # beside the reader's own: the address as Guangzhou writes it, or in English for a mainland reader
    other_address, other_tag = (site["address_en"], "en") if lang == "zh" else (site["address_zh"], "zh-Hans")
    qr_label = _("QR code: {link}").format(link=home_url)
    body = f"""
<h1>{html.escape(title)}</h1>
<p class="tg-id">{html.escape(study["nct_id"])} · {html.escape(site[f"name_{lang}"])}</p>
<div class="tg-status">{markup.render_for_paper(notice)}</div>
<h2>{html.escape(what_it_is)}</h2>
{markup.render_for_paper(text.paragraphs(data.page("home", lang).markdown, 3))}
<h2>{html.escape(_(who_can_join.title))}</h2>
{markup.render_for_paper(text.section(data.page(who_page, lang).markdown, who_index))}
<h2>{html.escape(_(taking_part.title))}</h2>
{markup.render_for_paper(text.section(data.page(part_page, lang).markdown, part_index))}
<h2>{html.escape(_(contact.title))}</h2>
<div class="tg-contact">
  <div>
    <p class="tg-phone">{html.escape(site["phone_local"])}</p>
    {markup.render_for_paper(phones)}
    {markup.render_for_paper(ask_for)}
    <p>{html.escape(site[f"address_{lang}"])}<br><span lang="{other_tag}">{html.escape(other_address)}</span></p>
  </div>
  <div class="tg-qr">{share.qr_svg(home_url, qr_label)}<p>{html.escape(scan)} {html.escape(home_url)}</p></div>
</div>
<footer>{html.escape(printed)} {html.escape(sources)}</footer>
"""
    page_title = views.document_title(_("Handout"), _)
    print_label = _("Print this handout")
    back_label = _("Back to the study explained")
    return f"""<!DOCTYPE html>
<html lang="{locales.HTML_LANG[lang]}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(page_title)}</title><style>{STYLE}</style></head>
<body><main>{body}</main>
<p class="tg-print"><button type="button" id="tg-print">{html.escape(print_label)}</button>
<a href="{html.escape(pages.url("home", lang))}">{html.escape(back_label)}</a></p>
<script>{security.app_script("print.js")}</script>
</body></html>"""
