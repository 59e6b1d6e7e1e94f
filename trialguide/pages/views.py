"""What each page shows, in one language: its model, built once and then drawn.

``view(page_id, lang, kiosk)`` is everything a page says: its title, the browser tab's title,
the preview's description, its blocks (``pages.blocks``), its footer and the languages it can
switch to. The live Streamlit screens draw it (``components/``) and the server draws the same
model as HTML (``trialguide/web/``): no text is written twice. A kiosk's model leaves out what
leads outside the app (other websites, the handout) and shows the number instead of dialling it.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from trialguide.check import eligibility
from trialguide.domain import content, i18n, locales, registry_watch, status
from trialguide.pages import registry
from trialguide.pages import text as plain
from trialguide.pages.blocks import (
    Block, Box, Call, Caption, Criteria, Facts, Heading, Link, Links, Markdown, Numbers, Outside, Text, Verbatim, Words,
)

Translate = Callable[[str], str]


@dataclass(frozen=True)
class View:
    """One page in one language: what the live app and the pre-render both show."""

    page_id: str
    kind: str  # how the engine draws it (site.toml's view): home, prose, check, ...
    lang: str
    kiosk: bool
    title: str
    document_title: str  # the browser tab and a shared link's preview
    site_name: str  # the header's link home
    description: str
    blocks: tuple[Block, ...]
    footer: tuple[Block, ...]
    other_langs: tuple[str, ...]


# Streamlit's own configuration: how long it keeps a visitor's session (and the self-check's
# answers in it) after the connection drops. The privacy sentences quote this value; they never
# type the number themselves (tests/test_privacy_claim.py).
STREAMLIT_CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


@functools.cache
def session_ttl_seconds() -> int:
    """``server.disconnectedSessionTTL`` from .streamlit/config.toml: after this many seconds
    without a connection, Streamlit's session store makes a session unreachable, then drops it.
    Missing, it stops the app (the privacy sentence would have nothing true to say)."""
    with STREAMLIT_CONFIG.open("rb") as fh:
        return int(tomllib.load(fh)["server"]["disconnectedSessionTTL"])


def answers_gone_minutes() -> int:
    """The minutes after which a closed page's answers can no longer be reached (rounded up)."""
    return math.ceil(session_ttl_seconds() / 60)


def translator(lang: str) -> Translate:
    return i18n.translator(i18n.default(), lang)


def other_langs(lang: str) -> tuple[str, ...]:
    """The languages a visitor can switch to, in the order of LANGS."""
    return tuple(code for code in locales.LANGS if code != lang)


def site_name(lang: str) -> str:
    return content.default().site.name[lang]


def document_title(title: str, lang: str) -> str:
    """The browser tab and a shared link's preview: the page, then the study."""
    _ = translator(lang)
    return _("{page} | {study}").format(page=title, study=site_name(lang))


def title(page_id: str, lang: str) -> str:
    return registry.page(page_id).title[lang]


# ---- Pieces every page shares ----


def call_number(lang: str) -> str:
    """The number on the language's call button, as its readers dial it (site.toml on_button)."""
    data = content.default()
    return data.facts["site"][data.site.contact["on_button"][lang]]


def call(lang: str, kiosk: bool) -> Call:
    site = content.default().facts["site"]
    _ = translator(lang)
    number = call_number(lang)
    return Call(_("Call the study team: {phone}").format(phone=number), site["phone_tel"], dial=not kiosk, number=number)


def study_status(today: dt.date | None = None) -> status.Status:
    return status.assess(content.default().facts["study"], today or dt.date.today())


def notice(lang: str) -> str:
    """The status in one line (Markdown)."""
    return content.default().status[f"notice.{study_status().headline}"][lang]


def status_notice(lang: str, kiosk: bool, with_call: bool = True) -> Box:
    """Near the top of every page but home: a deep link must not hide the study's status."""
    children: list[Block] = [Markdown(notice(lang))]
    if with_call:
        children.append(call(lang, kiosk))
    _ = translator(lang)
    children.append(Links((("home", _("Why we think so")),)))
    return Box("status_notice", tuple(children))


def words(terms: tuple[str, ...], lang: str, heading: str | None = None, link_all: bool = True) -> tuple[Block, ...]:
    if not terms:
        return ()
    _ = translator(lang)
    glossary = content.default().glossary
    items = tuple((t, glossary[t][lang]["term"], glossary[t][lang]["text"]) for t in terms)
    return (Words(heading or _("Words on this page"), items, _("All words explained") if link_all else None),)


def footer(page_id: str, lang: str) -> tuple[Block, ...]:
    _ = translator(lang)
    data = content.default()
    study, sources = data.facts["study"], data.facts["sources"]
    listed = [
        _("the study's record on ClinicalTrials.gov ({nct_id}, last updated {date})").format(
            nct_id=study["nct_id"], date=locales.format_date(study["last_updated"], lang)
        ),
        _("the study team's paper: {citation}").format(citation=sources["paper"]),
        *(source[lang] for source in data.site.sources),
    ]
    return (
        Heading(_("More about this study")),
        Links(tuple((p.id, p.title[lang]) for p in registry.pages() if p.id != page_id), key="pagelinks"),
        Markdown(_("Sources of these pages:") + "\n\n" + "\n".join(f"- {item}" for item in listed)),
    )


# ---- The kinds of page ----


def record_changed_text(watch: registry_watch.Watch | None, lang: str) -> str:
    """What a reader is told while the scheduled check finds the record different from these
    pages' content (until a person updates the content); "" otherwise."""
    if watch is None or not watch.changed:
        return ""
    _ = translator(lang)
    if watch.changed_on:
        return _("**Please note:** the study's record on ClinicalTrials.gov has been updated since we wrote these pages. "
                 "The latest update was on {date}. Some things here may now be out of date. "
                 "Before you decide anything, call the study team or ask your doctor.").format(date=locales.format_date(watch.changed_on, lang))
    return _("**Please note:** the study's record on ClinicalTrials.gov has changed since we wrote these pages. "
             "Some things here may now be out of date. Before you decide anything, call the study team or ask your doctor.")


def record_changed(watch: registry_watch.Watch | None, lang: str) -> tuple[Block, ...]:
    """First on every page while the record differs (each page has the study team's number
    close below: the status box, the phone section, the result's call button)."""
    said = record_changed_text(watch, lang)
    return (Box("record_changed", (Markdown(said),)),) if said else ()


def summary_status(lang: str, watch: registry_watch.Watch | None = None) -> tuple[str, ...]:
    """The study's status and the study team's numbers, as plain lines for the summary a
    visitor takes to their doctor: on paper, away from the pages, it must not read as if the
    study were open (FACTS.md 1: the status before anything else)."""
    _ = translator(lang)
    site = content.default().facts["site"]
    phones = (_("{label}: {answer}").format(label=labels[lang], answer=site[number])
              for number, labels in content.default().site.contact["phones"])
    return tuple(line.replace("**", "") for line in (record_changed_text(watch, lang), notice(lang), *phones) if line)


def _number_row(sentence: str, label: str, number: str) -> tuple[str, str, str]:
    """"{label}: **{number}**" in the reader's language, as the words before and after the number."""
    before, _mark, after = sentence.format(label=label, number="\0").partition("\0")
    return before.removesuffix("**"), number, after.removeprefix("**")


def phone_numbers() -> tuple[str, ...]:
    """The study team's numbers as written on the pages (to keep each on one line)."""
    site = content.default().facts["site"]
    return tuple(site[number] for number, _labels in content.default().site.contact["phones"])


def last_checked_text(watch: registry_watch.Watch | None, lang: str) -> str:
    """When the scheduled check last read the record, and whether it had changed ("" when no
    check has run)."""
    if watch is None:
        return ""
    _ = translator(lang)
    if watch.changed:
        said = _("We last checked the study's record on ClinicalTrials.gov on {date}. It had changed since we wrote these pages, "
                 "so it may now say something different from the points above.")
    else:
        said = _("We last checked the study's record on ClinicalTrials.gov on {date}. It had not changed since we wrote these pages.")
    return said.format(date=locales.format_date(watch.checked, lang))


def last_checked(watch: registry_watch.Watch | None, lang: str) -> tuple[Block, ...]:
    """The status panel's line on the scheduled check (none when no check has run)."""
    said = last_checked_text(watch, lang)
    return (Markdown(said),) if said else ()


def home(spec, lang: str, kiosk: bool, watch: registry_watch.Watch | None = None) -> tuple[Block, ...]:
    _ = translator(lang)
    data = content.default()
    panel, page = data.status_page(study_status(), lang), data.page("home", lang)
    shown_status: list[Block] = [Heading(_("Study status")), Markdown(panel.markdown), *last_checked(watch, lang)]
    if not kiosk:
        shown_status.append(_record_link(lang))
    return (
        Box("status_panel", (*shown_status, call(lang, kiosk))),
        Heading(_("What this study is")),
        Markdown(page.markdown),
        Heading(_("Read more")),
        Links(tuple((page_id, title(page_id, lang)) for page_id in spec.links), key="nextlinks"),
        *words(tuple(dict.fromkeys(panel.terms + page.terms)), lang),
    )


def _record_link(lang: str) -> Markdown:
    """The registry record itself, for a doctor or a patient who wants to see it (a link out:
    opens only when tapped, and never on a kiosk)."""
    study = content.default().facts["study"]
    _ = translator(lang)
    return Markdown(
        _("See the record itself: [ClinicalTrials.gov, {nct_id}]({url}) (another website, in English).").format(
            nct_id=study["nct_id"], url=study["registry_url"]
        )
    )


def _self_check_box(lang: str) -> Box:
    """The way into the self-check, right after a plain summary of who could join."""
    _ = translator(lang)
    return Box(
        "self_check",
        (
            Heading(title("check", lang)),
            Markdown(
                _(
                    "Answer simple questions, one topic at a time. It takes about 30 to 45 minutes. "
                    "Have your latest reports at hand: blood tests, scans (CT or MRI) and heart tests (ECG and heart ultrasound). "
                    "Your answers are held in the server's memory for this visit only. The server never writes them to a file or a log. "
                    "{minutes} minutes after you close the page or lose the connection, they can no longer be reached, and then they are deleted. "
                    "“Clear my answers” deletes them at once."
                ).format(minutes=answers_gone_minutes())
            ),
            Links((("check", _("Start the self-check")),)),
        ),
    )


def _paper_links(lang: str) -> Markdown:
    """The published paper itself, for a doctor who wants more than its summary."""
    ref = content.default().facts["reference"]
    _ = translator(lang)
    return Markdown(
        _("Read the paper: [PubMed {pmid}]({pubmed_url}) · [free full text ({pmc})]({pmc_url}) · [doi:{doi}]({doi_url})").format(**ref)
    )


# What a prose page can add below its words (site.toml: after): (make it, leads outside the app,
# comes after the page's glossary words rather than before them).
AFTER: dict[str, tuple[Callable[[str], Block], bool, bool]] = {
    "paper": (_paper_links, True, False),
    "self_check": (_self_check_box, False, True),
}


def prose(spec, lang: str, kiosk: bool) -> tuple[Block, ...]:
    page = content.default().page(spec.id, lang)
    added = [AFTER[name] for name in spec.after if not (kiosk and AFTER[name][1])]
    return (
        status_notice(lang, kiosk),
        Markdown(page.markdown),
        *(make(lang) for make, _leaves, below in added if not below),
        *words(page.terms, lang),
        *(make(lang) for make, _leaves, below in added if below),
    )


def contact(spec, lang: str, kiosk: bool) -> tuple[Block, ...]:
    """Only what the registry or FACTS.md gives: no email, no opening hours."""
    _ = translator(lang)
    data = content.default()
    site, maps, words_ = data.facts["site"], data.facts["maps"], data.site.contact
    # The centre's name in the other script too: English for Chinese readers, Chinese for English ones.
    other = "zh" if lang == "en" else "en"
    shown: list[Block] = [
        status_notice(lang, kiosk, with_call=False),
        Heading(site[f"name_{lang}"]),
        Text(site[f"name_{other}"], other),
        Markdown(words_["city"][lang]),
        Markdown(words_["ask_for"][lang]),
        Heading(_("Phone")),
        call(lang, kiosk),
        Numbers(tuple(_number_row(_("{label}: **{number}**"), labels[lang], site[number]) for number, labels in words_["phones"])),
        Markdown(
            _("The study's record (last updated {date}) gives no email address and no opening hours.").format(
                date=locales.format_date(data.facts["study"]["last_updated"], lang)
            )
        ),
        Heading(_("Address")),
        Markdown(site[f"address_{lang}"]),
    ]
    if lang != "zh":  # the address as the city's signs and drivers write it, saying why it is there
        shown += [Caption(_("The same address in simplified Chinese characters, to show a taxi driver in Guangzhou:")),
                  Text(site["address_zh"], "zh")]
    shown.append(Caption(_("This address comes from public sources. It is not in the study's record.")))
    if not kiosk:
        shown += [Outside(tuple((maps[url], labels[lang]) for url, labels in words_["maps"])), Caption(_("These links open Amap or Baidu Maps, map services of mainland China. You can also copy the address into your own map app."))]
    shown.append(Markdown(data.page("contact", lang).markdown))
    return tuple(shown)


def glossary(spec, lang: str, kiosk: bool) -> tuple[Block, ...]:
    entries = content.default().glossary
    terms = tuple(entries)
    if lang == "en":
        terms = tuple(sorted(terms, key=lambda t: entries[t]["en"]["term"].casefold()))
    _ = translator(lang)
    return (status_notice(lang, kiosk), *words(terms, lang, heading=_("All the words"), link_all=False))


def _verbatim(text: str) -> Verbatim:
    return Verbatim(tuple(p.strip() for p in text.split("\n\n") if p.strip()))


def criterion_ids() -> tuple[str, ...]:
    """Every registry criterion's anchor on the doctors' page, in the record's order (inc-1 ... exc-16)."""
    registry = content.default().registry
    return tuple(item["id"] for kind in ("inclusion", "exclusion") for item in registry[kind])


def criterion_label(criterion_id: str, lang: str) -> str:
    """A registry criterion's list and number, as a doctor cites it ("Exclusion criterion 9")."""
    _ = translator(lang)
    kind, number = criterion_id.split("-")
    return (_("Inclusion criterion {n}") if kind == "inc" else _("Exclusion criterion {n}")).format(n=number)


def criterion_name(criterion_id: str, lang: str, first_words: int = 8) -> str:
    """One registry criterion as a doctor names it: its list and number, then its first words
    ("Exclusion criterion 9: With severe and failed to controlled diseases…")."""
    _ = translator(lang)
    items = content.default().registry["inclusion" if criterion_id.startswith("inc") else "exclusion"]
    text = next(i["text"] for i in items if i["id"] == criterion_id).split()
    shown = " ".join(text[:first_words])
    if len(text) > first_words:  # cut short: an ellipsis, never after the record's own full stop or comma
        shown = shown.rstrip(".,;:") + "…"
    return _("{label}: {answer}").format(label=criterion_label(criterion_id, lang), answer=shown)


def doctors(spec, lang: str, kiosk: bool) -> tuple[Block, ...]:
    """The registry record verbatim, each criterion with its own anchor (#inc-1 ... #exc-16) so
    one criterion can be linked. The registry text is English in every language; only the
    labels around it are translated."""
    _ = translator(lang)
    data = content.default()
    reg, rec, study, ref = data.registry, data.registry["record"], data.facts["study"], data.facts["reference"]
    # Where the record's words are unclear, the self-check's reading stands beside them.
    readings: dict[str, list[str]] = {}
    for c in eligibility.default().criteria:
        if "reading" in c.text[lang]:
            readings.setdefault(c.source, []).append(c.text[lang]["reading"])
    criteria: list[Block] = []
    for kind, heading in (("inclusion", _("Inclusion criteria")), ("exclusion", _("Exclusion criteria"))):
        items = tuple((item["id"], criterion_label(item["id"], lang), item["text"], tuple(readings.get(item["id"], ())))
                      for item in reg[kind])
        criteria += [Heading(heading), Criteria(items, _("How the self-check reads this:"))]
    en = "en"
    shown: list[Block] = [status_notice(lang, kiosk), Markdown(data.page("doctors", lang).markdown)]
    if not kiosk:
        shown.append(Link(f"/handout?lang={lang}", _("Print a one-page handout for patients")))
    shown += [
        Heading(_("Identifiers and dates")),
        Facts((
            (_("Official title"), rec["title"], en),
            (_("ClinicalTrials.gov ID"), study["nct_id"], en),
            (_("Sponsor's study ID"), study["org_study_id"], en),
            (
                _("Registry status"),
                _("When we checked the record (last updated {date}), it showed: {status} (the site's status: {site}).").format(
                    status=study["registry_status"], site=study["site_status"], date=locales.format_date(study["last_updated"], lang),
                ),
                lang,
            ),
            (_("Record last updated"), study["last_updated"].isoformat(), en),
            (_("Study start"), study["start_date"].isoformat(), en),
            (_("Planned completion"), study["completion_date"].isoformat(), en),
            (_("Planned enrolment"), str(study["planned_enrolment"]), en),
            (_("Lead sponsor"), rec["lead_sponsor"], en),
            (_("Collaborator"), rec["collaborator"], en),
            (_("Responsible party"), rec["responsible_party"], en),
            (_("Location"), rec["location"], en),
            (_("Contact"), rec["contact"], en),
            (_("Results on the registry"), rec["results"], en),
        )),
        Markdown(_("Dates are as the registry gives them (year-month-day).")),
        Heading(_("Brief summary")),
        _verbatim(reg["brief_summary"]),
        Heading(_("Detailed description")),
        _verbatim(reg["detailed_description"]),
        Heading(_("Design")),
        Facts(tuple((label, rec[key], en) for label, key in (
            (_("Condition"), "condition"), (_("Study type"), "study_type"), (_("Phase"), "phase"),
            (_("Allocation"), "allocation"), (_("Intervention model"), "intervention_model"),
            (_("Primary purpose"), "primary_purpose"), (_("Masking"), "masking"), (_("Eligible ages"), "eligible_ages"),
            (_("Eligible sex"), "eligible_sex"), (_("Accepts healthy volunteers"), "healthy_volunteers"),
        ))),
        Heading(_("Arm and dosing")),
        Facts((
            (_("Arm"), f"{rec['arm_label']} ({rec['arm_type']})", en),
            (_("Intervention"), f"{rec['intervention_name']} ({rec['intervention_type']}); {rec['other_names']}", en),
        )),
        _verbatim(reg["arm"] + "\n\n" + reg["intervention"]),
        *criteria,
        Heading(_("Reference")),
        Text(ref["citation"], en),
    ]
    if not kiosk:
        shown.append(Markdown(
            f"[PubMed {ref['pmid']}]({ref['pubmed_url']}) · [doi:{ref['doi']}]({ref['doi_url']}) · "
            f"[{ref['pmc']}]({ref['pmc_url']}) · [ClinicalTrials.gov {study['nct_id']}]({study['registry_url']})"
        ))
    shown.append(Markdown(
        _("The registry lists this paper as the study's publication (reference type: derived). This page does not reproduce the full text, which was not checked here.")
    ))
    return tuple(shown)


def still_useful(lang: str) -> Markdown:
    _ = translator(lang)
    return Markdown(_("This check is still useful: to understand the study, and to talk with your doctor about it or about similar studies."))


def check_caveat(lang: str) -> Box:
    """The self-check's status box: the study has most likely stopped, but the check still helps."""
    return Box("status_notice", (Markdown(notice(lang)), still_useful(lang)))


def result_status(lang: str, watch: registry_watch.Watch | None) -> tuple[Block, ...]:
    """Under the result's headline, before the reasons: the study's status (FACTS.md 1), one
    short box a phone shows on the result's first screen; its call button comes close below."""
    return (*record_changed(watch, lang), Box("status_notice", (Markdown(notice(lang)),)))


def check_start(spec, lang: str, kiosk: bool) -> tuple[Block, ...]:
    """The self-check's start screen, before its Start button."""
    _ = translator(lang)
    return (
        check_caveat(lang),
        Markdown(
            _(
                "This check goes through the study's rules, one topic at a time. It takes about 30 to 45 minutes.\n\n"
                "Have your latest reports at hand: blood tests, scans (CT or MRI) and heart tests (ECG and heart ultrasound).\n\n"
                "- Your answers go only to this site's server. It holds them in its memory for this visit only, "
                "and never writes them to a file or a log.\n"
                "- Going to find a report? Leave this page open. If the connection drops (a locked phone may drop it), "
                "your answers usually wait {minutes} minutes for you to come back to it.\n"
                "- Reloading or closing the page starts again with no answers. "
                "{minutes} minutes after you close the page or lose the connection, your answers are deleted.\n"
                "- “Clear my answers” deletes them at once.\n"
                "- Only the study team can decide if you can join.\n"
                "- If you do not know an answer, choose “I'm not sure”. We will tell you what to ask your doctor.\n"
                "- At the end you get a summary to take to your doctor."
            ).format(minutes=answers_gone_minutes())
        ),
        Markdown(_("Would you rather talk to someone?")),
        call(lang, kiosk),
    )


# How the engine draws each kind of page that site.toml names.
BODIES: dict[str, Callable] = {
    "home": home, "prose": prose, "contact": contact, "glossary": glossary, "doctors": doctors, "check": check_start,
}


def check_pages() -> None:
    """Every page of site.toml is one the engine can draw (called as the server starts)."""
    for spec in registry.pages():
        if spec.view not in BODIES:
            raise content.ContentError(f"site.toml: page {spec.id} has view {spec.view!r} (known: {', '.join(BODIES)})")
        for name in spec.after:
            if name not in AFTER:
                raise content.ContentError(f"site.toml: page {spec.id} adds {name!r} (known: {', '.join(AFTER)})")


def description(blocks: tuple[Block, ...], lang: str) -> str:
    """A shared link's preview text: the page's own opening sentences, not the status notice
    or the changed-record notice that every page repeats (the home page's own opening is its
    status panel)."""
    for block in _flatten(blocks):
        if isinstance(block, Markdown) and plain.is_sentence(block.text):
            return plain.opening(block.text)
        if isinstance(block, Words):
            _id, term, text = block.items[0]
            _ = translator(lang)
            return plain.opening(_("{label}: {answer}").format(label=term, answer=text))
    return ""


def _flatten(blocks: tuple[Block, ...]):
    for block in blocks:
        if isinstance(block, Box):
            if block.key not in ("status_notice", "record_changed"):
                yield from _flatten(block.children)
        else:
            yield block


@functools.lru_cache(maxsize=256)
def _view(page_id: str, lang: str, kiosk: bool, today: dt.date, watch: registry_watch.Watch | None) -> View:
    spec = registry.page(page_id)
    body = BODIES[spec.view]
    blocks = (*record_changed(watch, lang), *(body(spec, lang, kiosk, watch) if body is home else body(spec, lang, kiosk)))
    page_title = spec.title[lang]
    return View(
        page_id=page_id, kind=spec.view, lang=lang, kiosk=kiosk, title=page_title, document_title=document_title(page_title, lang),
        site_name=site_name(lang), description=description(blocks, lang), blocks=blocks, footer=footer(page_id, lang),
        other_langs=other_langs(lang),
    )


def view(page_id: str, lang: str, kiosk: bool = False) -> View:
    """The page's whole model, built once per page, language, kiosk, day (the status panel's
    reasons can change with the date) and registry check, then shared by every visitor's rerun
    and the pre-render."""
    return _view(page_id, lang, kiosk, dt.date.today(), registry_watch.current())


view.cache_clear = _view.cache_clear  # type: ignore[attr-defined]
