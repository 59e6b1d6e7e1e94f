"""The app's pages: id, URL path and title (a catalog message), in menu order.

Both the live Streamlit app and the pre-rendered HTML the server sends first are built from
this one list, so a page cannot exist in one and not the other.
"""
from __future__ import annotations

from dataclasses import dataclass

from trialguide.domain.i18n import N_


@dataclass(frozen=True)
class PageSpec:
    id: str
    path: str  # "" for the home page; the URL is "/" + path
    title: str


PAGES = (
    PageSpec("home", "", N_("Anlotinib for soft tissue sarcoma: a study explained")),
    PageSpec("about", "about", N_("What the study tested, and why")),
    PageSpec("taking-part", "taking-part", N_("What taking part involved")),
    PageSpec("who-can-join", "who-can-join", N_("Who the study was for")),
    PageSpec("check", "check", N_("Check if this study might fit you")),
    PageSpec("results", "results", N_("What the study found")),
    PageSpec("questions", "questions", N_("Questions to ask your doctor")),
    PageSpec("contact", "contact", N_("Contact the study team")),
    PageSpec("glossary", "glossary", N_("Words explained")),
    PageSpec("doctors", "doctors", N_("For doctors: the registry record")),
)
BY_ID = {page.id: page for page in PAGES}
BY_PATH = {page.path: page for page in PAGES}
# The plain-language pages: one Markdown file each under content/<lang>/.
PROSE = ("about", "taking-part", "who-can-join", "results", "questions")


def url(page_id: str, lang: str) -> str:
    """The page's link in a language, relative to the site's root."""
    return f"/{BY_ID[page_id].path}?lang={lang}"
