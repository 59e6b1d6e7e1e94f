"""Trial content: facts, per-language prose, glossary and the verbatim registry record.

Everything is read and checked once per process. A broken content file stops the app at
start-up with a message that names the file and the key, instead of showing a patient a
half-translated page. Prose is Markdown with ``{placeholders}`` that are filled from
``trial.toml`` and formatted for the page's language with Babel.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import re
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from trialguide.domain import locales
ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR = ROOT / "content"

# A glossary reference in prose: [words](#g-<id>)
GLOSSARY_LINK = re.compile(r"\]\(#g-([a-z0-9-]+)\)")
INCLUSION_COUNT, EXCLUSION_COUNT = 7, 16


class ContentError(ValueError):
    pass


@dataclass(frozen=True)
class Page:
    markdown: str
    terms: tuple[str, ...]  # glossary ids, in order of first use


@dataclass(frozen=True)
class Content:
    facts: dict
    pages: dict[tuple[str, str], Page]
    glossary: dict[str, dict[str, dict[str, str]]]  # id -> lang -> {term, text}
    registry: dict
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> placeholder -> text
    status: dict[str, dict[str, str]] = field(default_factory=dict)  # "reason.last_updated" -> lang -> Markdown

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
    registry = read_toml(path)
    for kind, count in (("inclusion", INCLUSION_COUNT), ("exclusion", EXCLUSION_COUNT)):
        items = registry.get(kind, [])
        if len(items) != count:
            raise ContentError(f"{path.name}: expected {count} {kind} criteria, found {len(items)}")
        for item in items:
            if not item.get("id") or not item.get("text", "").strip():
                raise ContentError(f"{path.name}: a {kind} criterion lacks id or text: {item!r}")
    return registry


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
    return Content(facts=facts, pages=pages, glossary=glossary, registry=registry, values=values, status=status)


@functools.cache
def default() -> Content:
    """The app's content, parsed once per process and shared read-only by every visitor."""
    return load()
