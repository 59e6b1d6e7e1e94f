"""Compare the study's current registry record with the app's content.

    curl -s https://clinicaltrials.gov/api/v2/studies/NCT03890068 > record.json
    .venv/bin/python scripts/registry_check.py record.json

    # the scheduled job (deploy/README.md, "The registry watched"): fetch, compare, and write the
    # record where the replicas read it (TRIALGUIDE_REGISTRY_STATUS)
    .venv/bin/python scripts/registry_check.py --fetch --write /var/lib/trialguide/registry.json

Prints each difference and what in the app rests on it; exits 1 when anything differs, 0 when
nothing does, 2 when the record cannot be fetched or read as the study's record (then nothing is
written: the pages keep saying when the record was last read).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import urllib.request
from pathlib import Path

from trialguide.check import eligibility
from trialguide.domain import content, registry_check, registry_watch

API = "https://clinicaltrials.gov/api/v2/studies/{nct_id}"


def fetch(url: str) -> str:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "trialguide-registry-check"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.read().decode("utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("record", nargs="?", help="the record's JSON file, or - for standard input")
    parser.add_argument("--fetch", action="store_true", help=f"fetch the record from {API}")
    parser.add_argument("--write", type=Path, help="write the record and the time it was read here (TRIALGUIDE_REGISTRY_STATUS)")
    args = parser.parse_args(argv)
    if bool(args.record) == args.fetch:
        parser.print_usage(sys.stderr)
        print("give the record's file or --fetch (one of them)", file=sys.stderr)
        return 2
    nct_id = content.default().facts["study"]["nct_id"]
    try:
        if args.fetch:
            text = fetch(API.format(nct_id=nct_id))
        else:
            text = sys.stdin.read() if args.record == "-" else Path(args.record).read_text(encoding="utf-8")
        read = dt.datetime.now(dt.timezone.utc)
        record = json.loads(text)
        uses: dict[str, list[str]] = {}
        for criterion in eligibility.default().criteria:
            uses.setdefault(criterion.source, []).append(criterion.id)
        differences = registry_check.compare(record, uses=uses)
    except (OSError, ValueError) as exc:  # no network, an HTTP error, not JSON, another study's record
        print(f"cannot read the record of {nct_id}: {exc}", file=sys.stderr)
        return 2
    print(registry_check.report(differences))
    if args.write:
        registry_watch.write(args.write, record, read)
        print(f"written to {args.write} (read {read.isoformat(timespec='seconds')})")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
