"""The only place that writes HTML: one autoescaping Jinja2 environment, its templates
(``web/templates/``) and the app's style sheets and scripts (``web/assets/``).

Every value is escaped where it is put into markup; Markdown from the trial's content and
catalogs (ours, not a visitor's) is rendered by markdown-it and marked safe. The live app
(``components/``) asks this module for the HTML of the blocks Streamlit has no element for, so the
pre-rendered copy and the live page are drawn from one set of templates.
"""
from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from trialguide.domain import locales
from trialguide.pages import blocks, registry
from trialguide.web import markup

TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSETS = Path(__file__).resolve().parent / "assets"


@functools.cache
def asset(name: str) -> str:
    """A style sheet or script of the app's, read once per process."""
    return (ASSETS / name).read_text(encoding="utf-8")


def page_script() -> str:
    """The live app's script: compat.js (Streamlit's page, named once), then page.js."""
    return asset("compat.js") + "\n" + asset("page.js")


def _unknown_block(block) -> str:
    raise TypeError(f"no template draws {block!r}")  # a new block type needs its macro in blocks.html


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html", "xml"), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["markdown"] = lambda text: Markup(markup.render(text))
    env.filters["paper"] = lambda text: Markup(markup.render_for_paper(text))
    env.filters["kind"] = lambda block: type(block).__name__
    env.globals.update(
        url=registry.url, home_id=lambda: registry.home().id, html_lang=locales.HTML_LANG, og_locale=locales.OG_LOCALE,
        endonym=locales.ENDONYM, langs=locales.LANGS, unknown_block=_unknown_block,
    )
    return env


def macro(template: str, name: str, *args, **kwargs) -> str:
    """One macro of a template, rendered to HTML (``render.macro("check.html", "cards", ...)``)."""
    return str(getattr(environment().get_template(template).module, name)(*args, **kwargs)).strip()


def page(template: str, **values) -> str:
    return environment().get_template(template).render(**values)


def block(b: blocks.Block, lang: str, kiosk: bool = False) -> str:
    """One block as HTML, as the pre-rendered page draws it."""
    return macro("blocks.html", "block", b, lang, kiosk)


def words_list(b: blocks.Words) -> str:
    return macro("blocks.html", "words_list", b)


def call(b: blocks.Call) -> str:
    return macro("blocks.html", "call", b)
