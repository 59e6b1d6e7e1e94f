"""How to reach the study team: tap to call, the address, maps that work in mainland China,
and what to say. Only what the registry or FACTS.md gives: no email, no opening hours."""
from __future__ import annotations

import html

import streamlit as st

from components import chrome
from trialguide import content


def render() -> None:
    _ = chrome.gettext()
    lang = chrome.lang()
    data = content.default()
    site = data.facts["site"]
    maps = data.facts["maps"]

    chrome.status_notice(call=False)
    st.header(_("Sun Yat-sen University Cancer Center"), anchor=False)
    other_name = site["name_en"] if lang == "zh" else site["name_zh"]
    st.markdown(f'<span lang="{"en" if lang == "zh" else "zh-Hans"}">{html.escape(other_name)}</span>', unsafe_allow_html=True)
    st.markdown(site["city_en"] if lang == "en" else _("Guangzhou, China"))
    st.markdown(_("Ask for **Professor Xing Zhang**, the doctor who leads the study (principal investigator)."))

    st.header(_("Phone"), anchor=False)
    chrome.call_button()
    st.markdown(
        _("From inside China: **{local}**  \nFrom outside China: **{intl}**").format(
            local=site["phone_local"], intl=site["phone_intl"]
        )
    )
    st.markdown(_("The public record gives no email address and no opening hours."))

    st.header(_("Address"), anchor=False)
    address = site["address_zh"] if lang == "zh" else site["address_en"]
    st.markdown(f"{html.escape(address)}")
    if lang == "en":
        st.markdown(f'<span lang="zh-Hans">{html.escape(site["address_zh"])}</span>', unsafe_allow_html=True)
    st.caption(_("This address comes from public sources. It is not in the study's record."))
    st.html(
        "".join(
            f'<a class="tg-button tg-secondary" href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{html.escape(label)}</a> '
            for url, label in (
                (maps["amap"], _("Open in Amap (高德地图)")),
                (maps["baidu"], _("Open in Baidu Maps (百度地图)")),
            )
        )
    )
    st.caption(_("Map links open another website."))

    st.markdown(data.page("contact", lang).markdown)
