"""Trial content: facts, per-language prose, glossary, the verbatim registry record, and the site
this trial gets (its pages and the words around them, ``site.toml``).

Everything is read and checked once per process. A broken content file stops the app at
start-up with a message that names the file and the key, instead of showing a patient a
half-translated page. Prose is Markdown with ``{placeholders}`` that are filled from
``trial.toml`` and formatted for the page's language with Babel.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from trialguide.domain import locales
ROOT = Path(__file__).resolve().parents[2]
# The trial: one folder of content. Another trial is another folder (tests/fixtures/toy-trial/).
CONTENT_DIR_ENV = "TRIALGUIDE_CONTENT_DIR"
CONTENT_DIR = Path(os.environ.get(CONTENT_DIR_ENV) or ROOT / "content").resolve()

# A glossary reference in prose: [words](#g-<id>)
GLOSSARY_LINK = re.compile(r"\]\(#g-([a-z0-9-]+)\)")


class ContentError(ValueError):
    pass


@dataclass(frozen=True)
class Page:
    markdown: str
    terms: tuple[str, ...]  # glossary ids, in order of first use


@dataclass(frozen=True)
class PageSpec:
    """One page of the site, as site.toml names it."""

    id: str
    path: str  # "" for the home page
    view: str  # how the engine draws it: home, prose, check, contact, glossary, doctors
    title: Mapping[str, str]  # lang -> title
    links: tuple[str, ...] = ()  # the home page's "Read more" list
    after: tuple[str, ...] = ()  # what a prose page adds below its words


@dataclass(frozen=True)
class Site:
    """site.toml: the pages and the frame's words that name this trial, in every language."""

    name: Mapping[str, str]
    pages: tuple[PageSpec, ...]
    contact: Mapping[str, Any]  # city, ask_for (lang -> text); phones, maps: (fact key, lang -> label)
    sources: tuple[Mapping[str, str], ...]  # the footer's sources, lang -> text (placeholders filled)
    handout: Mapping[str, Any]


@dataclass(frozen=True)
class Content:
    facts: dict
    pages: dict[tuple[str, str], Page]
    glossary: dict[str, dict[str, dict[str, str]]]  # id -> lang -> {term, text}
    registry: dict
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> placeholder -> text
    status: dict[str, dict[str, str]] = field(default_factory=dict)  # "reason.last_updated" -> lang -> Markdown
    site: Site | None = None

    def page(self, page_id: str, lang: str) -> Page:
        return self.pages[(page_id, lang)]

    def status_page(self, study_status, lang: str) -> Page:
        """The status panel's Markdown for an assessment (trialguide.domain.status.assess)."""
        text = self.status
        lines = [text[f"headline.{study_status.headline}"][lang], ""]
        lines += [f"- {text[f'reason.{key}'][lang]}" for key in study_status.reasons]
        lines += ["", text["closing"][lang]]
        markdown = "\n".join(lines)
        return Page(markdown, tuple(dict.fromkeys(GLOSSARY_LINK.findall(markdown))))

    def value(self, name: str, lang: str) -> str:
        return self.values[lang][name]


def read_toml(path: Path) -> dict:
    """A TOML file, with the zh-Hant texts that scripts/zh_hant.py generated for it merged in."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ContentError(f"{path}: missing file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path}: {exc}") from None
    content_dir = path.parent.parent if path.parent.name == "check" else path.parent
    overlay = content_dir / "zh-Hant" / (str(path.relative_to(content_dir)).replace("/", "-").removesuffix(".toml") + ".json")
    if overlay.is_file():
        _merge(data, json.loads(overlay.read_text(encoding="utf-8")))
    return data


def _merge(base, extra) -> None:
    """Put the generated zh-Hant texts beside the Simplified ones; an overlay entry with nothing
    to sit beside (its source was renamed or removed) is ignored, so it can never invent one."""
    if isinstance(base, dict) and isinstance(extra, dict):
        for key, value in extra.items():
            if key in base and isinstance(value, (dict, list)):
                _merge(base[key], value)
            elif key == "zh-Hant" or key.endswith("_zh-Hant"):
                base[key] = value
    elif isinstance(base, list) and isinstance(extra, dict) and "by_id" in extra:
        for item in base:
            if isinstance(item, dict) and item.get("id") in extra["by_id"]:
                _merge(item, extra["by_id"][item["id"]])
    elif isinstance(base, list) and isinstance(extra, list):
        for item, more in zip(base, extra):
            _merge(item, more)


def placeholder_values(facts: dict, lang: str) -> dict[str, str]:
    """Every fact a page may quote, written for ``lang``."""
    fmt = facts.get("format", {})
    months, shares = set(fmt.get("month_precision", [])), set(fmt.get("share", []))
    values: dict[str, str] = {}
    for table in ("study", "results", "background", "site"):
        for key, raw in facts[table].items():
            if key in values:
                raise ContentError(f"trial.toml: [{table}] {key} repeats a key of another table")
            if isinstance(raw, dt.date):
                text = locales.format_month(raw, lang) if key in months else locales.format_date(raw, lang)
            elif key in shares:
                text = locales.format_share(raw, lang)
            elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
                text = locales.format_number(raw, lang)
            else:
                text = str(raw)
            values[key] = text
    return values


def _fill(template: str, values: dict[str, str], where: str) -> str:
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None and name not in values:
            raise ContentError(f"{where}: unknown placeholder {{{name}}}")
    return template.format_map(values)


def _load_glossary(path: Path) -> dict:
    glossary = read_toml(path)
    for term_id, entry in glossary.items():
        for lang in locales.LANGS:
            for part in ("term", "text"):
                if not str(entry.get(lang, {}).get(part, "")).strip():
                    raise ContentError(f"{path.name}: [{term_id}] {lang}.{part} is missing or empty")
    return glossary


def _load_registry(path: Path) -> dict:
    """The record's criteria, numbered as it lists them: inc-1, inc-2, ... and exc-1, exc-2, ..."""
    registry = read_toml(path)
    for kind in ("inclusion", "exclusion"):
        items = registry.get(kind, [])
        if not items:
            raise ContentError(f"{path.name}: no {kind} criteria")
        for n, item in enumerate(items, 1):
            if not item.get("text", "").strip():
                raise ContentError(f"{path.name}: {kind} criterion {n} has no text")
            if item.get("id") != f"{kind[:3]}-{n}":
                raise ContentError(f"{path.name}: {kind} criterion {n} must have id {kind[:3]}-{n}, not {item.get('id')!r}")
    return registry


SITE_PAGE_KEYS = {"id", "path", "view", "links", "after", *locales.LANGS}


def _texts(entry: dict, part: str | None, where: str) -> dict[str, str]:
    """lang -> text of ``entry`` (``entry[lang]`` or ``entry[lang][part]``), present in every language."""
    texts = {}
    for lang in locales.LANGS:
        value = entry.get(lang, {} if part else "")
        value = value.get(part, "") if part and isinstance(value, dict) else value
        if not isinstance(value, str) or not value.strip():
            raise ContentError(f"{where} {lang}{'.' + part if part else ''} is missing or empty")
        texts[lang] = value.strip()
    return texts


def _load_site(path: Path, facts: dict, values: dict[str, dict[str, str]]) -> Site:
    data = read_toml(path)
    for key in data:
        if key not in ("name", "page", "contact", "source", "handout"):
            raise ContentError(f"{path.name}: unknown table {key!r}")
    pages = []
    for n, entry in enumerate(data.get("page", []), 1):
        where = f"{path.name}: page {entry.get('id') or n}"
        for key in entry:
            if key not in SITE_PAGE_KEYS:
                raise ContentError(f"{where} unknown key {key!r} (allowed: {', '.join(sorted(SITE_PAGE_KEYS))})")
        if not isinstance(entry.get("id"), str) or not isinstance(entry.get("path"), str) or not isinstance(entry.get("view"), str):
            raise ContentError(f"{where} needs id, path and view")
        pages.append(PageSpec(entry["id"], entry["path"], entry["view"], _texts(entry, "title", where),
                              tuple(entry.get("links", ())), tuple(entry.get("after", ()))))
    ids = [p.id for p in pages]
    if not pages or pages[0].path != "" or len(set(ids)) != len(ids) or len({p.path for p in pages}) != len(pages):
        raise ContentError(f"{path.name}: pages need unique ids and paths, the first one the home page (path \"\")")
    for page in pages:
        for linked in page.links:
            if linked not in ids:
                raise ContentError(f"{path.name}: page {page.id} links {linked!r}, which is no page")
    contact = data.get("contact", {})
    phones = tuple((p["number"], _texts(p, "label", f"{path.name}: contact.phone {p.get('number')}")) for p in contact.get("phone", ()))
    maps = tuple((m["url"], _texts(m, "label", f"{path.name}: contact.map {m.get('url')}")) for m in contact.get("map", ()))
    for key, _ in phones:
        if key not in facts.get("site", {}):
            raise ContentError(f"{path.name}: contact.phone names {key!r}, which trial.toml [site] does not have")
    on_button = {lang: p["number"] for p in contact.get("phone", ()) for lang in p.get("on_button", ())}
    if phones and (sorted(on_button) != sorted(locales.LANGS)
                   or sum(len(p.get("on_button", ())) for p in contact["phone"]) != len(locales.LANGS)):
        raise ContentError(f"{path.name}: each language's call button needs exactly one contact.phone (on_button)")
    for key, _ in maps:
        if key not in facts.get("maps", {}):
            raise ContentError(f"{path.name}: contact.map names {key!r}, which trial.toml [maps] does not have")
    source_values = {lang: {**values[lang], **facts.get("sources", {})} for lang in locales.LANGS}
    sources = tuple(
        {lang: _fill(text, source_values[lang], f"{path.name}: source {n} {lang}") for lang, text in _texts(entry, None, f"{path.name}: source {n}").items()}
        for n, entry in enumerate(data.get("source", []), 1)
    )
    handout = dict(data.get("handout", {}))
    for part in ("what_it_is", "who_for", "taking_part"):
        if handout.get(part, {}).get("page") not in ids:
            raise ContentError(f"{path.name}: handout.{part} names no page")
    handout["sources"] = {lang: _fill(text, values[lang], f"{path.name}: handout.sources {lang}")
                          for lang, text in _texts(handout, "sources", f"{path.name}: handout").items()}
    return Site(
        name=_texts(data.get("name", {}), None, f"{path.name}: name"),
        pages=tuple(pages),
        contact={"city": _texts(contact, "city", f"{path.name}: contact"), "ask_for": _texts(contact, "ask_for", f"{path.name}: contact"),
                 "phones": phones, "maps": maps, "on_button": on_button},
        sources=sources,
        handout=handout,
    )


def _load_status(path: Path, values: dict[str, dict[str, str]], glossary: dict) -> dict[str, dict[str, str]]:
    """content/status.toml: section.key -> lang -> Markdown, placeholders filled."""
    data = read_toml(path)
    entries: dict[str, dict] = {"closing": data.get("closing", {})}
    for section in ("headline", "notice", "reason"):
        for key, entry in data.get(section, {}).items():
            entries[f"{section}.{key}"] = entry
    texts: dict[str, dict[str, str]] = {}
    for name, entry in entries.items():
        texts[name] = {}
        for lang in locales.LANGS:
            text = str(entry.get(lang, "")).strip()
            if not text:
                raise ContentError(f"{path.name}: [{name}] {lang} is missing or empty")
            for term in GLOSSARY_LINK.findall(text):
                if term not in glossary:
                    raise ContentError(f"{path.name}: [{name}] links #g-{term}, which glossary.toml does not define")
            texts[name][lang] = _fill(text, values[lang], f"{path.name}: [{name}] {lang}")
    return texts


def load(content_dir: Path = CONTENT_DIR) -> Content:
    facts = read_toml(content_dir / "trial.toml")
    glossary = _load_glossary(content_dir / "glossary.toml")
    registry = _load_registry(content_dir / "registry.toml")
    values = {lang: placeholder_values(facts, lang) for lang in locales.LANGS}

    page_ids = {lang: {p.stem for p in (content_dir / lang).glob("*.md")} for lang in locales.LANGS}
    all_ids = set().union(*page_ids.values())
    pages: dict[tuple[str, str], Page] = {}
    for lang in locales.LANGS:
        for page_id in sorted(all_ids - page_ids[lang]):
            raise ContentError(f"{content_dir / lang / (page_id + '.md')}: missing translation")
        for page_id in sorted(page_ids[lang]):
            path = content_dir / lang / f"{page_id}.md"
            text = path.read_text(encoding="utf-8").strip()
            if not text:
                raise ContentError(f"{path}: empty page")
            terms = tuple(dict.fromkeys(GLOSSARY_LINK.findall(text)))
            for term in terms:
                if term not in glossary:
                    raise ContentError(f"{path}: links #g-{term}, which glossary.toml does not define")
            pages[(page_id, lang)] = Page(_fill(text, values[lang], str(path)), terms)
    status = _load_status(content_dir / "status.toml", values, glossary)
    site = _load_site(content_dir / "site.toml", facts, values)
    for spec in site.pages:
        if spec.view == "prose" and (spec.id, locales.DEFAULT_LANG) not in pages:
            raise ContentError(f"site.toml: prose page {spec.id} has no {content_dir / locales.DEFAULT_LANG / (spec.id + '.md')}")
    return Content(facts=facts, pages=pages, glossary=glossary, registry=registry, values=values, status=status, site=site)


@functools.cache
def default() -> Content:
    """The app's content, parsed once per process and shared read-only by every visitor."""
    return load()
