"""Which function draws each page of the site (``trialguide.pages.registry`` lists them).

Every page but the self-check is its model's blocks (``trialguide.pages.views``), the same the
server pre-renders; the self-check is interactive and has its own module.
"""
from __future__ import annotations

from typing import Callable

from components import check, chrome
from trialguide.domain.content import PageSpec
from trialguide.pages import views


def page_function(spec: PageSpec) -> Callable[[], None]:
    if spec.view == "check":
        return check.render

    def render() -> None:
        chrome.draw(views.view(spec.id, chrome.lang(), chrome.kiosk()).blocks)

    render.__name__ = spec.id.replace("-", "_")  # st.Page names a page by its function when no address is given (home)
    return render
