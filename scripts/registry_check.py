"""Compare the study's current registry record with the app's content.

    curl -s https://clinicaltrials.gov/api/v2/studies/NCT03890068 > record.json
    .venv/bin/python scripts/registry_check.py record.json

Prints each difference and what in the app rests on it; exits 1 when anything differs, 0 when
nothing does, 2 when the file cannot be read as the study's record.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from trialguide.check import eligibility
from trialguide.domain import registry_check


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    try:
        text = sys.stdin.read() if argv[0] == "-" else Path(argv[0]).read_text(encoding="utf-8")
        uses: dict[str, list[str]] = {}
        for criterion in eligibility.default().criteria:
            uses.setdefault(criterion.source, []).append(criterion.id)
        differences = registry_check.compare(json.loads(text), uses=uses)
    except (OSError, ValueError) as exc:
        print(f"cannot read the record: {exc}", file=sys.stderr)
        return 2
    print(registry_check.report(differences))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
