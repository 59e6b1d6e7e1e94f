"""What each page shows, as a list of plain blocks, in one language.

The live Streamlit screens draw these blocks with Streamlit (``components/chrome.py``) and the
server's pre-rendered HTML draws the very same blocks as HTML (``prerender.py``), so the words a
phone shows before the app has loaded are the words the app then shows: no text written twice.
"""
from __future__ import annotations

import datetime as dt
import functools
import html
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Union

from trialguide.domain import content
from trialguide.check import eligibility
from trialguide.domain import i18n
from trialguide.domain import locales
from trialguide.pages import text as markup
from trialguide.pages import registry as pages
from trialguide.domain import status
@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Markdown:
    text: str
    leaves: bool = False  # links out of the app (another site, a download): not on a kiosk


@dataclass(frozen=True)
class Html:
    """Markup built from escaped values. ``bare``: drawn outside Streamlit's Markdown styles."""

    html: str
    bare: bool = False
    leaves: bool = False


@dataclass(frozen=True)
class Caption:
    text: str
    leaves: bool = False


@dataclass(frozen=True)
class Call:
    """The tap-to-call button."""

    label: str


@dataclass(frozen=True)
class Links:
    """Links to other pages, in the visitor's language. ``key`` names the group for styling."""

    items: tuple[tuple[str, str], ...]  # (page id, label)
    key: str | None = None


@dataclass(frozen=True)
class Words:
    """Definitions of glossary terms; in-page links (#g-<id>) jump here."""

    heading: str
    terms: tuple[str, ...]
    items: tuple[tuple[str, str], ...]  # (term, explanation), in order
    all_words: str | None  # label of the link to the glossary page, if shown


@dataclass(frozen=True)
class Box:
    key: str
    children: tuple["Block", ...]


Block = Union[Heading, Markdown, Html, Caption, Call, Links, Words, Box]


@dataclass(frozen=True)
class View:
    """One page in one language: what the live app and the pre-render both show."""

    page_id: str
    lang: str
    title: str
    blocks: tuple[Block, ...]
    description: str


Translate = Callable[[str], str]

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


def short_name(_: Translate) -> str:
    return _("Anlotinib study · NCT03890068")


def document_title(title: str, _: Translate) -> str:
    """The browser tab and a shared link's preview: the page, then the study."""
    return _("{page} | {study}").format(page=title, study=short_name(_))


# ---- Pieces every page shares ----


def call(_: Translate) -> Call:
    site = content.default().facts["site"]
    return Call(_("Call the study team: {phone}").format(phone=site["phone_local"]))


def study_status(today: dt.date | None = None) -> status.Status:
    return status.assess(content.default().facts["study"], today or dt.date.today())


def status_notice(lang: str, _: Translate, with_call: bool = True) -> Box:
    """Near the top of every page but home: a deep link must not hide the study's status."""
    children: list[Block] = [Markdown(_notice(lang))]
    if with_call:
        children.append(call(_))
    children.append(Links((("home", _("Why we think so")),)))
    return Box("status_notice", tuple(children))


def _notice(lang: str) -> str:
    """The status in one line."""
    return content.default().status[f"notice.{study_status().headline}"][lang]


def words(terms: tuple[str, ...], lang: str, _: Translate, heading: str | None = None, link_all: bool = True) -> tuple[Block, ...]:
    if not terms:
        return ()
    glossary = content.default().glossary
    items = tuple((glossary[t][lang]["term"], glossary[t][lang]["text"]) for t in terms)
    return (Words(heading or _("Words on this page"), terms, items, _("All words explained") if link_all else None),)


def footer(page_id: str, lang: str, _: Translate) -> tuple[Block, ...]:
    facts = content.default().facts
    study, sources = facts["study"], facts["sources"]
    listed = [
        _("the study's record on ClinicalTrials.gov ({nct_id}, last updated {date})").format(
            nct_id=study["nct_id"], date=locales.format_date(study["last_updated"], lang)
        ),
        _("the study team's paper: {citation}").format(citation=sources["paper"]),
        _("anlotinib's approval in China: {citation}").format(citation=sources["approval"]),
        _("the earlier study ALTER-0203: {citation}").format(citation=sources["alter0203"]),
        _("the hospital's address: public sources such as Wikipedia and journal affiliations (it is not in the study's record)"),
        _("other background, such as the examples of anthracycline medicines and what an “unknown” status means on ClinicalTrials.gov: public sources, including ClinicalTrials.gov's help pages"),
    ]
    return (
        Heading(_("More about this study")),
        Links(tuple((p.id, _(p.title)) for p in pages.PAGES if p.id != page_id), key="pagelinks"),
        Markdown(_("Sources of these pages:") + "\n\n" + "\n".join(f"- {html.escape(item)}" for item in listed)),
    )


# ---- The pages ----


def home(lang: str, _: Translate) -> tuple[Block, ...]:
    data = content.default()
    status, page = data.status_page(study_status(), lang), data.page("home", lang)
    return (
        Box("status_panel", (Heading(_("Study status")), Markdown(status.markdown), _record_link(_), call(_))),
        Heading(_("What this study is")),
        Markdown(page.markdown),
        Heading(_("Read more")),
        Links(
            tuple(
                (page_id, _(pages.BY_ID[page_id].title))
                for page_id in ("check", "about", "taking-part", "who-can-join", "results", "questions", "contact", "doctors")
            ),
            key="nextlinks",
        ),
        *words(tuple(dict.fromkeys(status.terms + page.terms)), lang, _),
    )


def prose(page_id: str) -> Callable[[str, Translate], tuple[Block, ...]]:
    def blocks(lang: str, _: Translate) -> tuple[Block, ...]:
        page = content.default().page(page_id, lang)
        shown: list[Block] = [status_notice(lang, _), Markdown(page.markdown)]
        if page_id == "results":  # the paper itself, for a doctor who wants more than its summary
            ref = content.default().facts["reference"]
            shown.append(Markdown(
                _("Read the paper: [PubMed {pmid}]({pubmed_url}) · [free full text ({pmc})]({pmc_url}) · [doi:{doi}]({doi_url})").format(**ref),
                leaves=True,
            ))
        shown += words(page.terms, lang, _)
        if page_id == "who-can-join":
            # The way into the self-check, right after the plain summary of who can join.
            shown.append(
                Box(
                    "self_check",
                    (
                        Heading(_("Check if this study might fit you")),
                        Markdown(
                            _(
                                "Answer simple questions, one topic at a time. It takes about 15 minutes, with your latest blood test and scan reports at hand. "
                                "Your answers are held in the server's memory for this visit only. The server never writes them to a file or a log. "
                                "{minutes} minutes after you close the page, they can no longer be reached, and then they are deleted. "
                                "“Clear my answers” deletes them at once."
                            ).format(minutes=answers_gone_minutes())
                        ),
                        Links((("check", _("Start the self-check")),)),
                    ),
                )
            )
        return tuple(shown)

    return blocks


def contact(lang: str, _: Translate) -> tuple[Block, ...]:
    """Only what the registry or FACTS.md gives: no email, no opening hours."""
    data = content.default()
    site, maps = data.facts["site"], data.facts["maps"]
    # The centre's name in the other script too: English for Chinese readers, Chinese for English ones.
    other_name, other_html_lang = (site["name_zh"], "zh-Hans") if lang == "en" else (site["name_en"], "en")
    shown: list[Block] = [
        status_notice(lang, _, with_call=False),
        Heading(_("Sun Yat-sen University Cancer Center")),
        Html(f'<p lang="{other_html_lang}">{html.escape(other_name)}</p>'),
        Markdown(site["city_en"] if lang == "en" else _("Guangzhou, China")),
        Markdown(_("Ask for **Professor Xing Zhang** (family name Zhang), the doctor who led the study (principal investigator).")),
        Heading(_("Phone")),
        call(_),
        Markdown(
            _("From mainland China: **{local}**  \nFrom Hong Kong, Macau, Taiwan or abroad: **{intl}**").format(
                local=site["phone_local"], intl=site["phone_intl"]
            )
        ),
        Markdown(
            _("The study's record (last updated {date}) gives no email address and no opening hours.").format(
                date=locales.format_date(data.facts["study"]["last_updated"], lang)
            )
        ),
        Heading(_("Address")),
        Markdown(html.escape(site[f"address_{lang}"])),
    ]
    if lang != "zh":  # the address as Guangzhou's signs and drivers write it
        shown.append(Html(f'<p lang="zh-Hans">{html.escape(site["address_zh"])}</p>'))
    shown += [
        Caption(_("This address comes from public sources. It is not in the study's record.")),
        Html(
            "".join(
                f'<a class="tg-button tg-secondary" href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{html.escape(label)}</a> '
                for url, label in ((maps["amap"], _("Open in Amap (高德地图)")), (maps["baidu"], _("Open in Baidu Maps (百度地图)")))
            ),
            bare=True,
            leaves=True,
        ),
        Caption(_("Map links open another website."), leaves=True),
        Markdown(data.page("contact", lang).markdown),
    ]
    return tuple(shown)


def glossary(lang: str, _: Translate) -> tuple[Block, ...]:
    entries = content.default().glossary
    terms = tuple(entries)
    if lang == "en":
        terms = tuple(sorted(terms, key=lambda t: entries[t]["en"]["term"].casefold()))
    return (status_notice(lang, _), *words(terms, lang, _, heading=_("All the words"), link_all=False))


def _verbatim(text: str) -> Html:
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())
    return Html(f'<div class="tg-verbatim" lang="en">{paragraphs}</div>')


def _facts(rows: list[tuple]) -> Html:
    """Label and value rows; a value is the record's English unless a row gives its own language."""
    items = "".join(
        f'<dt>{html.escape(k)}</dt><dd lang="{locales.HTML_LANG[rest[0]] if rest else "en"}">{html.escape(v)}</dd>'
        for k, v, *rest in rows
    )
    return Html(f'<dl class="tg-facts">{items}</dl>')


def doctors(lang: str, _: Translate) -> tuple[Block, ...]:
    """The registry record verbatim, each criterion with its own anchor (#inc-1 ... #exc-16) so
    one criterion can be linked. The registry text is English in both languages and is marked
    lang="en"; only the labels around it are translated."""
    data = content.default()
    reg, rec, study, ref = data.registry, data.registry["record"], data.facts["study"], data.facts["reference"]
    reads_as = _("How the self-check reads this:")
    # Where the record's words are unclear, the self-check's reading stands beside them.
    readings: dict[str, list[str]] = {}
    for c in eligibility.default().criteria:
        if "reading" in c.text[lang]:
            readings.setdefault(c.source, []).append(c.text[lang]["reading"])
    criteria: list[Block] = []
    for kind, heading in (("inclusion", _("Inclusion criteria")), ("exclusion", _("Exclusion criteria"))):
        items = "".join(
            f'<li id="{item["id"]}"><span lang="en">{html.escape(item["text"])}</span>'
            + "".join(f'<p class="tg-reading"><strong>{html.escape(reads_as)}</strong> {html.escape(text)}</p>' for text in readings.get(item["id"], ()))
            + "</li>"
            for item in reg[kind]
        )
        criteria += [Heading(heading), Html(f'<ol class="tg-criteria">{items}</ol>')]
    return (
        status_notice(lang, _),
        Markdown(data.page("doctors", lang).markdown),
        _handout_link(lang, _),
        Heading(_("Identifiers and dates")),
        _facts(
            [
                (_("Official title"), rec["title"]),
                (_("ClinicalTrials.gov ID"), study["nct_id"]),
                (_("Sponsor's study ID"), study["org_study_id"]),
                (
                    _("Registry status"),
                    _("When we checked the record (last updated {date}), it showed: {status} (the site's status: {site}).").format(
                        status=study["registry_status"], site=study["site_status"],
                        date=locales.format_date(study["last_updated"], lang),
                    ),
                    lang,
                ),
                (_("Record last updated"), study["last_updated"].isoformat()),
                (_("Study start"), study["start_date"].isoformat()),
                (_("Planned completion"), study["completion_date"].isoformat()),
                (_("Planned enrolment"), str(study["planned_enrolment"])),
                (_("Lead sponsor"), rec["lead_sponsor"]),
                (_("Collaborator"), rec["collaborator"]),
                (_("Responsible party"), rec["responsible_party"]),
                (_("Location"), rec["location"]),
                (_("Contact"), rec["contact"]),
                (_("Results on the registry"), rec["results"]),
            ]
        ),
        Markdown(_("Dates are as the registry gives them (year-month-day).")),
        Heading(_("Brief summary")),
        _verbatim(reg["brief_summary"]),
        Heading(_("Detailed description")),
        _verbatim(reg["detailed_description"]),
        Heading(_("Design")),
        _facts(
            [
                (_("Condition"), rec["condition"]),
                (_("Study type"), rec["study_type"]),
                (_("Phase"), rec["phase"]),
                (_("Allocation"), rec["allocation"]),
                (_("Intervention model"), rec["intervention_model"]),
                (_("Primary purpose"), rec["primary_purpose"]),
                (_("Masking"), rec["masking"]),
                (_("Eligible ages"), rec["eligible_ages"]),
                (_("Eligible sex"), rec["eligible_sex"]),
                (_("Accepts healthy volunteers"), rec["healthy_volunteers"]),
            ]
        ),
        Heading(_("Arm and dosing")),
        _facts(
            [
                (_("Arm"), f"{rec['arm_label']} ({rec['arm_type']})"),
                (_("Intervention"), f"{rec['intervention_name']} ({rec['intervention_type']}); {rec['other_names']}"),
            ]
        ),
        _verbatim(reg["arm"] + "\n\n" + reg["intervention"]),
        *criteria,
        Heading(_("Reference")),
        Html(f'<p lang="en">{html.escape(ref["citation"])}</p>'),
        Markdown(
            f"[PubMed {ref['pmid']}]({ref['pubmed_url']}) · [doi:{ref['doi']}]({ref['doi_url']}) · "
            f"[{ref['pmc']}]({ref['pmc_url']}) · [ClinicalTrials.gov {study['nct_id']}]({study['registry_url']})",
            leaves=True,
        ),
        Markdown(
            _("The registry lists this paper as the study's publication (reference type: derived). This page does not reproduce the full text, which was not checked here.")
        ),
    )


def criterion_name(criterion_id: str, _: Translate, words: int = 8) -> str:
    """One registry criterion as a doctor names it: its list and number, then its first words
    ("Exclusion criterion 9: With severe and failed to controlled diseases…")."""
    kind, number = criterion_id.split("-")
    text = next(i["text"] for i in content.default().registry["inclusion" if kind == "inc" else "exclusion"] if i["id"] == criterion_id)
    first = text.split()
    shown = " ".join(first[:words]) + ("…" if len(first) > words else "")
    name = _("Inclusion criterion {n}") if kind == "inc" else _("Exclusion criterion {n}")
    return _("{label}: {answer}").format(label=name.format(n=number), answer=shown)


def _record_link(_: Translate) -> Markdown:
    """The registry record itself, for a doctor or a patient who wants to see it (a link out:
    opens only when tapped, and never on a kiosk)."""
    study = content.default().facts["study"]
    return Markdown(
        _("See the record itself: [ClinicalTrials.gov, {nct_id}]({url}) (another website, in English).").format(
            nct_id=study["nct_id"], url=study["registry_url"]
        ),
        leaves=True,
    )


def _handout_link(lang: str, _: Translate) -> Html:
    label = _("Print a one-page handout for patients")
    return Html(f'<p><a href="/handout?lang={lang}" target="_self">{html.escape(label)}</a></p>', leaves=True)


def check_caveat(lang: str, _: Translate) -> Box:
    """The self-check's status box: the study has most likely stopped, but the check still helps."""
    return Box(
        "status_notice",
        (
            Markdown(_notice(lang)),
            Markdown(_("This check is still useful: to understand the study, and to talk with your doctor about it or about similar studies.")),
        ),
    )


def check_start(lang: str, _: Translate) -> tuple[Block, ...]:
    """The self-check's start screen, before its Start button."""
    return (
        check_caveat(lang, _),
        Markdown(
            _(
                "This check goes through the study's rules, one topic at a time. "
                "It takes about 15 minutes, with your latest blood test and scan reports at hand.\n\n"
                "- Your answers go only to this site's server. It holds them in its memory for this visit only, "
                "and never writes them to a file or a log.\n"
                "- {minutes} minutes after you close this page, your answers can no longer be reached, and then they are deleted. "
                "“Clear my answers” deletes them at once.\n"
                "- Only the study team can decide if you can join.\n"
                "- If you do not know an answer, choose “I'm not sure”. We will tell you what to ask your doctor.\n"
                "- At the end you get a summary to take to your doctor."
            ).format(minutes=answers_gone_minutes())
        ),
        Markdown(_("Would you rather talk to someone? Call the study team:")),
        call(_),
    )


BODIES: dict[str, Callable[[str, Translate], tuple[Block, ...]]] = {
    "home": home,
    **{page_id: prose(page_id) for page_id in pages.PROSE},
    "contact": contact,
    "glossary": glossary,
    "doctors": doctors,
    "check": check_start,
}

def description(blocks: tuple[Block, ...], _: Translate) -> str:
    """A shared link's preview text: the page's own opening sentences, not the status notice
    that every page repeats (the home page's own opening is its status panel)."""
    for block in _flatten(blocks):
        if isinstance(block, Markdown) and markup.is_sentence(block.text):
            return markup.opening(block.text)
        if isinstance(block, Words):
            term, text = block.items[0]
            return markup.opening(_("{label}: {answer}").format(label=term, answer=text))
    return ""


def _flatten(blocks: tuple[Block, ...]):
    for block in blocks:
        if isinstance(block, Box):
            if block.key != "status_notice":
                yield from _flatten(block.children)
        else:
            yield block


def view(page_id: str, lang: str) -> View:
    _ = translator(lang)
    title = _(pages.BY_ID[page_id].title)
    blocks = BODIES[page_id](lang, _)
    return View(page_id, lang, title, blocks, description(blocks, _))
