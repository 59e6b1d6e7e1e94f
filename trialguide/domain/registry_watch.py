"""What the scheduled registry check last saw, as every page says it.

A scheduled job (deploy/README.md, "The registry watched") fetches the study's record and writes
it, with the time it was fetched, to the file TRIALGUIDE_REGISTRY_STATUS names (``write``).
Every replica reads that file (``current``): the record itself, not a verdict, so the comparison
is always with the content this replica serves. Once a person updates the content to match,
the pages stop saying the record changed, with no step to forget. Without the setting, or
before the job's first run, the pages say nothing about a check.

The file is read again only when it changes (its modification time and size), so a rerun costs
one ``stat``.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from trialguide.domain import content, registry_check

STATUS_ENV = "TRIALGUIDE_REGISTRY_STATUS"


@dataclass(frozen=True)
class Watch:
    checked: dt.date  # the day the record was last fetched and read
    changed: tuple[str, ...] = ()  # the fields that differ from the content (none: it still matches)
    changed_on: dt.date | None = None  # the record's own "last update posted" date, when it is later than the content's


def verdict(record: dict, checked: dt.datetime, data: content.Content | None = None) -> Watch:
    data = data or content.default()
    differences = registry_check.compare(record, data)
    if not differences:
        return Watch(checked.date())
    try:
        posted = dt.date.fromisoformat(record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"])
    except (KeyError, TypeError, ValueError):
        posted = None
    # A date no later than the content's own says nothing about when this change was made: then
    # the pages say only that the record changed.
    changed_on = posted if posted and posted > data.facts["study"]["last_updated"] else None
    return Watch(checked.date(), tuple(d.field for d in differences), changed_on)


def write(path: Path, record: dict, checked: dt.datetime) -> None:
    """Replace the file in one step (a replica reading it meanwhile sees the old or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"checked": checked.isoformat(timespec="seconds"), "record": record}, ensure_ascii=False)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=".registry-", delete=False) as out:
        out.write(body)
    os.chmod(out.name, 0o644)
    os.replace(out.name, path)


_seen: dict[tuple, Watch | None] = {}  # the last file's verdict, by its path, time and size
_MISSING = object()


def read(path: Path, data: content.Content | None = None) -> Watch | None:
    """The file's verdict, or None when there is no readable file (the pages then say nothing).
    ``data``: another content than the one served (tests), never remembered."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    found = _seen.get(key, _MISSING) if data is None else _MISSING
    if found is _MISSING:
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            found = verdict(saved["record"], dt.datetime.fromisoformat(saved["checked"]), data)
        except (OSError, ValueError, KeyError, TypeError):
            found = None  # half a file, or someone else's: as if no check had run
        if data is None:
            _seen.clear()  # script threads may race here: at worst one reads the file twice
            _seen[key] = found
    return found


def current() -> Watch | None:
    """What the pages say about the check, from TRIALGUIDE_REGISTRY_STATUS (None when unset)."""
    path = os.environ.get(STATUS_ENV)
    return read(Path(path)) if path else None
