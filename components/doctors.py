"""For referring doctors: the registry record verbatim, each criterion with its own anchor
(#inc-1 ... #exc-16) so one criterion can be linked. The registry text is English in both
languages and is marked lang="en"; only the labels around it are translated."""
from __future__ import annotations

import html

import streamlit as st

from components import chrome
from trialguide import content, locales


def _verbatim(text: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())
    return f'<div class="tg-verbatim" lang="en">{paragraphs}</div>'


def _facts(rows: list[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{html.escape(k)}</dt><dd lang=\"en\">{html.escape(v)}</dd>" for k, v in rows)
    return f'<dl class="tg-facts">{items}</dl>'


def render() -> None:
    _ = chrome.gettext()
    lang = chrome.lang()
    data = content.default()
    reg, rec, study, ref = data.registry, data.registry["record"], data.facts["study"], data.facts["reference"]
    chrome.status_notice()
    st.markdown(data.page("doctors", lang).markdown)

    st.header(_("Identifiers and dates"), anchor=False)
    st.markdown(
        _facts(
            [
                (_("Official title"), rec["title"]),
                (_("ClinicalTrials.gov ID"), study["nct_id"]),
                (_("Sponsor's study ID"), study["org_study_id"]),
                (_("Registry status"), f"{study['registry_status']} (site: {study['site_status']})"),
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
        unsafe_allow_html=True,
    )
    st.markdown(_("Dates are as the registry gives them (year-month-day)."))

    st.header(_("Brief summary"), anchor=False)
    st.markdown(_verbatim(reg["brief_summary"]), unsafe_allow_html=True)
    st.header(_("Detailed description"), anchor=False)
    st.markdown(_verbatim(reg["detailed_description"]), unsafe_allow_html=True)

    st.header(_("Design"), anchor=False)
    st.markdown(
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
        unsafe_allow_html=True,
    )

    st.header(_("Arm and dosing"), anchor=False)
    st.markdown(
        _facts([(_("Arm"), f"{rec['arm_label']} ({rec['arm_type']})"), (_("Intervention"), f"{rec['intervention_name']} ({rec['intervention_type']}); {rec['other_names']}")]),
        unsafe_allow_html=True,
    )
    st.markdown(_verbatim(reg["arm"] + "\n\n" + reg["intervention"]), unsafe_allow_html=True)

    link_text, link_label = _("Link"), _("Link to criterion {id}")
    for kind, heading in (("inclusion", _("Inclusion criteria")), ("exclusion", _("Exclusion criteria"))):
        st.header(heading, anchor=False)
        items = "".join(
            f'<li id="{item["id"]}"><span lang="en">{html.escape(item["text"])}</span>'
            f' <a class="tg-anchor" href="#{item["id"]}" aria-label="{html.escape(link_label.format(id=item["id"]))}">'
            f"{html.escape(link_text)}</a></li>"
            for item in reg[kind]
        )
        st.markdown(f'<ol class="tg-criteria">{items}</ol>', unsafe_allow_html=True)

    st.header(_("Reference"), anchor=False)
    st.markdown(f'<p lang="en">{html.escape(ref["citation"])}</p>', unsafe_allow_html=True)
    st.markdown(
        f"[PubMed {ref['pmid']}]({ref['pubmed_url']}) · [doi:{ref['doi']}]({ref['doi_url']}) · "
        f"[{ref['pmc']}]({ref['pmc_url']}) · [ClinicalTrials.gov {study['nct_id']}]({study['registry_url']})"
    )
    st.markdown(
        _("The registry lists this paper as the study's publication (reference type: derived). This page does not reproduce the full text, which was not checked here.")
    )
