"""Traditional Chinese (zh-Hant, Hong Kong characters), generated from the Simplified: OpenCC
converts the characters (s2hk), then a reviewed phrase table (locales/zh_hant_hk.toml) puts in
the words a Hong Kong hospital, lab report and phone use, longest match first.

Nothing is written by hand in zh-Hant: ``scripts/zh_hant.py`` writes what ``generated()`` returns
(content/zh-Hant/*.md, content/zh-Hant/*.json with the zh-Hant texts of the TOML files, merged in
when they load, and locales/zh_Hant_HK/LC_MESSAGES/messages.po); a test checks it is current.
"""
from __future__ import annotations

import io
import json
import re
import tomllib
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from trialguide.domain import content, i18n

CONFIG = "s2hk"  # Simplified to Traditional, Hong Kong variants
PHRASES = i18n.LOCALES_DIR / "zh_hant_hk.toml"  # Hong Kong words, applied after OpenCC
SOURCE, TARGET = "zh", "zh-Hant"
# TOML files whose "zh" texts get a "zh-Hant" twin: content/<name> -> content/zh-Hant/<name>.json
TOML_FILES = ("glossary.toml", "status.toml", "trial.toml", "site.toml", "check/questions.toml", "check/criteria.toml")


def converter():
    import opencc  # only the generator and its tests need it, never the running app

    return opencc.OpenCC(CONFIG)


def phrases() -> dict[str, str]:
    return tomllib.loads(PHRASES.read_text(encoding="utf-8"))["phrases"]


def _pattern(table: dict[str, str]) -> re.Pattern:
    return re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))


def hong_kong(text: str, table: dict[str, str] | None = None) -> str:
    """OpenCC's output in the words a Hong Kong reader uses: the phrase table, longest match first."""
    table = phrases() if table is None else table
    return _pattern(table).sub(lambda m: table[m.group(0)], text)


class Converter:
    """Simplified to Hong Kong Traditional: characters by OpenCC, then words by the phrase table."""

    def __init__(self) -> None:
        self._cc, self._table = converter(), phrases()

    def convert(self, text: str) -> str:
        return hong_kong(self._cc.convert(text), self._table)


def _overlay(node, convert):
    """The zh-Hant twin of every "zh" table (and every "*_zh" value) in a TOML tree; lists keep
    their positions so the twin can be merged back in order."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == SOURCE and isinstance(value, dict):
                out[TARGET] = {k: convert(v) for k, v in value.items()}
            elif key == SOURCE and isinstance(value, str):
                out[TARGET] = convert(value)
            elif isinstance(key, str) and key.endswith("_" + SOURCE) and isinstance(value, str):
                out[key[: -len(SOURCE)] + TARGET] = convert(value)
            elif isinstance(value, (dict, list)):
                inner = _overlay(value, convert)
                if inner:
                    out[key] = inner
        return out
    if isinstance(node, list):
        if node and all(isinstance(item, dict) and "id" in item for item in node):
            # entries with ids are matched by id: adding or removing one never shifts the others' texts
            by_id = {item["id"]: _overlay(item, convert) for item in node}
            return {"by_id": {k: v for k, v in by_id.items() if v}}
        items = [_overlay(item, convert) if isinstance(item, (dict, list)) else {} for item in node]
        return items if any(items) else []
    return {}


def generated(cc=None, content_dir: Path | None = None, catalogs: bool = True) -> dict[Path, str]:
    """Every generated file and what it should hold (with another converter: what it would hold).
    ``content_dir``: another trial's content; ``catalogs``: the app's UI catalog too."""
    cc = cc or Converter()
    content_dir = content_dir or content.CONTENT_DIR
    files: dict[Path, str] = {}
    for md in sorted((content_dir / SOURCE).glob("*.md")):
        files[content_dir / TARGET / md.name] = cc.convert(md.read_text(encoding="utf-8"))
    for name in TOML_FILES:
        if not (content_dir / name).is_file():
            continue
        tree = tomllib.loads((content_dir / name).read_text(encoding="utf-8"))
        overlay = _overlay(tree, cc.convert)
        target = content_dir / TARGET / (name.replace("/", "-").removesuffix(".toml") + ".json")
        files[target] = json.dumps(overlay, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if not catalogs:
        return files
    with i18n.catalog_path(i18n.LOCALES_DIR, SOURCE).open("rb") as fh:
        catalog = read_po(fh)
    catalog.locale = "zh_Hant_HK"
    for message in catalog:
        if message.id:
            message.string = cc.convert(message.string)
    out = io.BytesIO()
    write_po(out, catalog, width=76, omit_header=False)
    text = out.getvalue().decode("utf-8")
    # The header's dates change on every run; keep the file stable.
    text = "\n".join(line for line in text.splitlines() if not line.startswith(('"POT-Creation-Date', '"PO-Revision-Date'))) + "\n"
    files[i18n.catalog_path(i18n.LOCALES_DIR, TARGET)] = text
    return files


def out_of_date(content_dir: Path | None = None, catalogs: bool = True) -> list[Path]:
    return [path for path, text in generated(content_dir=content_dir, catalogs=catalogs).items()
            if not path.is_file() or path.read_text(encoding="utf-8") != text]
