"""Give Chinese text its full-width punctuation: , : ; ? ! ( ) -> \uff0c \uff1a \uff1b \uff1f \uff01 \uff08 \uff09.

Chinese typesetting uses full-width marks, and Streamlit's Markdown reads ASCII ":word[...]"
as a directive and silently drops the words (":\u5728[\u5316\u7597]" once lost "\u5316\u7597"). Markdown link
targets, {placeholders} and **bold** markers are left alone. tests/test_content.py fails on
ASCII punctuation in Chinese text; run this script to fix it:

    python scripts/zh_punctuation.py
"""
from __future__ import annotations

import re
from pathlib import Path

from trialguide.domain.punctuation import full_width

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from babel.messages.pofile import read_po, write_po

    for path in sorted((ROOT / "content" / "zh").glob("*.md")):
        path.write_text(full_width(path.read_text(encoding="utf-8")), encoding="utf-8")
    for path in sorted((ROOT / "content").rglob("*.toml")):
        text = path.read_text(encoding="utf-8")
        fixed = re.sub(r'^(\s*zh\.[a-z_]+ = ")(.*)(")$', lambda m: m.group(1) + full_width(m.group(2)) + m.group(3), text, flags=re.M)
        path.write_text(fixed, encoding="utf-8")
    for path in sorted((ROOT / "locales").glob("zh*/LC_MESSAGES/*.po")):
        with path.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            if message.id:
                message.string = full_width(message.string)
        with path.open("wb") as fh:
            write_po(fh, catalog, no_location=True, sort_output=True, width=100)


if __name__ == "__main__":
    main()
