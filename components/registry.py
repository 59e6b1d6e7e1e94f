"""Which function draws each page (``trialguide.pages`` lists them).

Every page but the self-check is a list of blocks from ``trialguide.pages.views``, the same blocks the
server pre-renders; the self-check is interactive and has its own module.
"""
from __future__ import annotations

from typing import Callable

from components import chrome
from components import check
from trialguide.pages import views
from trialguide.pages.registry import PAGES  # noqa: F401  (the list, for callers of this module)


def _blocks(page_id: str) -> Callable[[], None]:
    def render() -> None:
        chrome.draw(views.BODIES[page_id](chrome.lang(), chrome.gettext()))

    render.__name__ = page_id.replace("-", "_")  # Streamlit tells pages apart by function name
    return render


RENDER: dict[str, Callable[[], None]] = {page.id: check.render if page.id == "check" else _blocks(page.id) for page in PAGES}
