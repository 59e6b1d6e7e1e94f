"""Catalog chores in one place: extract UI strings, update the catalogs, check them.

    python scripts/i18n.py update   # after changing a _("...") string: refresh messages.pot and the .po
                                    # files; translate, then python scripts/zh_hant.py for zh-Hant
    python scripts/i18n.py check    # fail on any missing, empty or fuzzy entry (the tests do this too)

The app reads the .po files directly at start-up, so there is no compile step to forget.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from trialguide.domain import i18n
from trialguide.domain import locales

POT = ROOT / "locales" / "messages.pot"


def update() -> None:
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run(
        pybabel + ["extract", "-F", "babel.cfg", "-k", "_", "-k", "N_", "--no-location", "--sort-output",
                   "--omit-header", "-o", str(POT), "."],
        cwd=ROOT, check=True,
    )
    for lang in locales.LANGS:
        if lang in (locales.DEFAULT_LANG, "zh-Hant"):  # zh-Hant is generated: scripts/zh_hant.py
            continue
        po = i18n.catalog_path(ROOT / "locales", lang)
        verb = "update" if po.exists() else "init"
        args = ["-i", str(POT), "-d", str(ROOT / "locales"), "-l", locales.BABEL_LOCALE[lang]]
        if verb == "update":
            args += ["--no-fuzzy-matching", "--ignore-obsolete"]
        subprocess.run(pybabel + [verb] + args, cwd=ROOT, check=True)


def check() -> int:
    problems = []
    for lang in locales.LANGS:
        if lang != locales.DEFAULT_LANG:
            problems += i18n.catalog_problems(i18n.catalog_path(ROOT / "locales", lang), POT)
    print("\n".join(problems) or "catalogs complete")
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update()
    else:
        sys.exit(check())
