"""The site's pages: the one list, from the trial's content (content/site.toml), in menu order.

Both the live Streamlit app and the pre-rendered HTML the server sends first are built from this
list, so a page cannot exist in one and not the other; its title, links and handout parts come
from the same entries.
"""
from __future__ import annotations

from trialguide.domain import content
from trialguide.domain.content import PageSpec


def pages() -> tuple[PageSpec, ...]:
    return content.default().site.pages


def page(page_id: str) -> PageSpec:
    return next(p for p in pages() if p.id == page_id)


def by_path(path: str) -> PageSpec | None:
    """The page at an address ("contact"), or None."""
    return next((p for p in pages() if p.path == path), None)


def home() -> PageSpec:
    return pages()[0]


def url(page_id: str, lang: str, kiosk: bool = False) -> str:
    """The page's link in a language, relative to the site's root; a kiosk's links keep it one."""
    return f"/{page(page_id).path}?lang={lang}" + ("&kiosk=1" if kiosk else "")
