"""A one-page A4 handout per language, for clinics to print and give out.

Rendered on the server from the same content as the pages (no text written twice): the status
line, what the study is, who it was for, what taking part involved, how to reach the team, and
a QR code of the explainer's home page in that language. Standalone HTML with print CSS, so it
prints the same from any browser; it holds no visitor data.
"""
from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from trialguide.domain import content, locales, registry_watch
from trialguide.pages import registry as pages
from trialguide.pages import text, views
from trialguide.web import render as tpl
from trialguide.web import share
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
/* English in the CJK font: proportional quotes, not full-width ones (as style.css). */
:lang(en) { font-variant-east-asian: proportional-width; }
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
/* While the registry record differs from the content, its notice takes four lines more: a point
   less keeps the handout on one sheet. */
body.tg-changed { font-size: 11pt; } html:lang(zh) body.tg-changed { font-size: 12pt; }
"""


def render(lang: str, base: str, today: dt.date) -> str:
    data = content.default()
    _ = views.translator(lang)
    study, site, parts = data.facts["study"], data.facts["site"], data.site.handout
    home_url = share.link(base, pages.home().id, lang)

    def part(name: str) -> str:
        """A part of a page's words, as site.toml's [handout] names it: first paragraphs or a section."""
        where = parts[name]
        markdown = data.page(where["page"], lang).markdown
        return text.paragraphs(markdown, where["paragraphs"]) if "paragraphs" in where else text.section(markdown, where["section"])

    # beside the reader's own: the address as Guangzhou writes it, or in English for a mainland reader
    other_lang = "en" if lang == "zh" else "zh"
    words = {
        "what_it_is": _("What this study is"),
        "who_for": views.title(parts["who_for"].get("title_of", parts["who_for"]["page"]), lang),
        "taking_part": views.title(parts["taking_part"].get("title_of", parts["taking_part"]["page"]), lang),
        "contact": next((p.title[lang] for p in pages.pages() if p.view == "contact"), _("Contact the study team")),
        "scan": _("Scan to read more on your phone:"),
        "printed": _("Study {nct_id}. Printed on {date}. Only the study team can decide who can join.").format(
            nct_id=study["nct_id"], date=locales.format_date(today, lang)
        ),
        # Each source it prints from, named: the record, the paper, and public sources.
        "sources": parts["sources"][lang],
        "print": _("Print this handout"),
        "back": _("Back to the study explained"),
    }
    watch = registry_watch.current()
    phones = "  \n".join(_("{label}: **{number}**").format(label=labels[lang], number=site[number])
                         for number, labels in data.site.contact["phones"])
    return tpl.page(
        "handout.html", lang=lang, page_title=views.document_title(_("Handout"), lang), style=Markup(STYLE),
        title=views.title(pages.home().id, lang), nct_id=study["nct_id"], site_name=site[f"name_{lang}"],
        notice=data.status[f"notice.{views.study_status(today).headline}"][lang],
        record_changed=views.record_changed_text(watch, lang),
        # when the record was last checked; when it changed, the notice at the top says so instead
        record_checked="" if watch is None or watch.changed else views.last_checked_text(watch, lang),
        what_it_is=part("what_it_is"), who_for=part("who_for"), taking_part=part("taking_part"),
        phone=views.call_number(lang), phones=phones, ask_for=data.site.contact["ask_for"][lang],
        address=site[f"address_{lang}"], other_address=site[f"address_{other_lang}"], other_address_lang=other_lang,
        qr=share.qr_svg(home_url, _("QR code: {link}").format(link=home_url)), home_url=home_url, words=words,
        print_js=Markup(tpl.asset("print.js")),
    )
