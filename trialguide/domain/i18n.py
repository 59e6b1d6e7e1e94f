"""UI strings: gettext catalogs (Babel), read once per process.

The English text is the message id, so English needs no catalog. Each other language has
``locales/<babel locale>/LC_MESSAGES/messages.po``; the .po file is read directly with Babel
(no compiled .mo to fall out of date). A missing, empty or fuzzy entry is an error that names
the file and the message, because a reader of that language would silently see English.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable

from babel.messages.pofile import read_po

from trialguide.domain.locales import BABEL_LOCALE, DEFAULT_LANG, LANGS

DOMAIN = "messages"
LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"


class CatalogError(ValueError):
    pass


def catalog_path(locales_dir: Path, lang: str) -> Path:
    return locales_dir / BABEL_LOCALE[lang] / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_problems(po_path: Path, template_path: Path | None = None) -> list[str]:
    """Every reason this catalog would show a reader English; empty when it is complete."""
    if not po_path.is_file():
        return [f"{po_path}: missing catalog file"]
    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"{po_path}: fuzzy entry {message.id!r}")
        if not message.string:
            problems.append(f"{po_path}: empty entry {message.id!r}")
    if template_path is not None:
        with template_path.open("rb") as fh:
            template = read_po(fh)
        for message in template:
            if message.id and message.id not in catalog:
                problems.append(f"{po_path}: no entry for {message.id!r} (in {template_path.name})")
    return problems


def load(locales_dir: Path) -> dict[str, dict[str, str]]:
    """msgid -> text for each non-default language; raises CatalogError on any gap."""
    tables: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        if lang == DEFAULT_LANG:
            continue
        path = catalog_path(locales_dir, lang)
        problems = catalog_problems(path, locales_dir / f"{DOMAIN}.pot")
        if problems:
            raise CatalogError("\n".join(problems))
        with path.open("rb") as fh:
            tables[lang] = {m.id: m.string for m in read_po(fh) if m.id}
    return tables


def translator(tables: dict[str, dict[str, str]], lang: str) -> Callable[[str], str]:
    table = tables.get(lang, {})
    return lambda message: table.get(message, message)


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined; it is translated where it is shown."""
    return message


@functools.cache
def default() -> dict[str, dict[str, str]]:
    """The app's catalogs, read and checked once per process."""
    return load(LOCALES_DIR)
