"""Write the Traditional Chinese (Hong Kong) twin of every Simplified text.

    .venv/bin/python scripts/zh_hant.py          # write the generated files
    .venv/bin/python scripts/zh_hant.py --check  # exit 1 if any is out of date (a test does this)
    .venv/bin/python scripts/zh_hant.py --content tests/fixtures/toy-trial   # another trial's content

Visitors from Hong Kong and Macau often come to Guangzhou for treatment and read Traditional
characters. Nothing is written by hand in zh-Hant: after changing any Simplified text (pages,
catalog, questions, criteria, glossary, status, site), run this. How: trialguide/domain/zh_hant.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

from trialguide.domain import zh_hant

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    content_dir = None
    if "--content" in argv:
        content_dir = Path(argv[argv.index("--content") + 1]).resolve()
    catalogs = content_dir is None  # the UI catalog is the app's, not a trial's
    if "--check" in argv:
        stale = zh_hant.out_of_date(content_dir, catalogs)
        for path in stale:
            print(f"out of date: {path} (run: python scripts/zh_hant.py)")
        return 1 if stale else 0
    for path, text in zh_hant.generated(content_dir=content_dir, catalogs=catalogs).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print("zh-Hant files written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
