"""Has the registry record changed since the app's content was written?

Compares the study's record as ClinicalTrials.gov's API version 2 returns it (the JSON of
/api/v2/studies/NCT03890068) with content/registry.toml and content/trial.toml, field by field:
status, dates, site and contacts, phone, every eligibility bullet, and whether results are
posted. Each difference comes with what in the app rests on that field, so a maintainer knows
what to re-read. Plain Python, no network: the caller fetches the JSON.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any, Mapping

from trialguide.domain import content
# What in the app rests on each field of the record.
DEPENDS = {
    "overall status": "the status panel on the home page, the status line on every page, the doctors' page (trial.toml study.registry_status)",
    "last update": "the status panel, every page's footer, the doctors' page (trial.toml study.last_updated)",
    "start date": "the doctors' page (trial.toml study.start_date)",
    "completion date": "the status panel's reasons, the doctors' page (trial.toml study.completion_date)",
    "site": "the contact page, the doctors' page (trial.toml site.name_en, study.site_status; registry.toml record.location)",
    "contact": "the contact page, what to say on the phone, the doctors' page (trial.toml site.contact_name; registry.toml record.contact)",
    "phone": "every call button, the contact page (trial.toml site.phone_local, phone_intl, phone_tel)",
    "results posted": "the results page, the doctors' page (registry.toml record.results)",
}


@dataclass(frozen=True)
class Difference:
    field: str
    app: str
    registry: str
    depends: str


def _get(data: Any, *path: str | int) -> Any:
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


# The API returns eligibilityCriteria as Markdown, escapes and all ("(\> CTC AE grade 2 dyspnea \[...\])"),
# while registry.toml holds the text as it reads. Compare the text as rendered: drop the backslash before
# any ASCII punctuation character, as CommonMark does, on both sides, once per piece of text (so an
# escaped backslash stays a backslash). Anything else, a number or a word, still counts as a change.
_ESCAPE = re.compile(r"\\([" + re.escape(string.punctuation) + r"])")


def _rendered(text: str | None) -> str:
    return _norm(_ESCAPE.sub(r"\1", text or ""))


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def bullets(criteria_text: str) -> dict[str, list[str]]:
    """The inclusion and exclusion bullets of the API's eligibilityCriteria text."""
    found: dict[str, list[str]] = {"inclusion": [], "exclusion": []}
    kind = None
    for line in (criteria_text or "").splitlines():
        stripped = line.strip()
        lowered = stripped.lower().rstrip(":")
        if lowered in ("inclusion criteria", "exclusion criteria"):
            kind = lowered.split()[0]
        elif kind and re.match(r"^[*\-•]\s+", stripped):
            found[kind].append(_rendered(re.sub(r"^[*\-•]\s+", "", stripped)))
        elif kind and stripped and found[kind]:
            found[kind][-1] = _norm(found[kind][-1] + " " + _rendered(stripped))  # a bullet that runs over lines
    return found


def compare(record: dict, data: content.Content | None = None, uses: Mapping[str, list[str]] | None = None) -> list[Difference]:
    """``uses``: registry bullet id -> the self-check's criteria that rest on it, to name them."""
    data = data or content.default()
    uses = uses or {}
    study, site, registry = data.facts["study"], data.facts["site"], data.registry
    protocol = record.get("protocolSection", {})
    status = protocol.get("statusModule", {})
    contacts = protocol.get("contactsLocationsModule", {})
    differences: list[Difference] = []

    def differ(field: str, app: Any, found: Any, same: bool | None = None) -> None:
        if same is None:
            same = app == found
        if not same:
            depends = DEPENDS.get(field) or DEPENDS.get(field.split(" (")[0], "")
            differences.append(Difference(field, str(app), str(found), depends))

    if _get(protocol, "identificationModule", "nctId") != study["nct_id"]:
        raise ValueError(f"this is not the record of {study['nct_id']}")
    differ("overall status", study["registry_status"], status.get("overallStatus"))
    for field, key, struct in (
        ("last update", "last_updated", "lastUpdatePostDateStruct"),
        ("start date", "start_date", "startDateStruct"),
        ("completion date", "completion_date", "completionDateStruct"),
    ):
        differ(field, study[key].isoformat(), _get(status, struct, "date"))

    locations = contacts.get("locations") or []
    names = [(loc.get("facility"), loc.get("status")) for loc in locations]
    differ("site", [(site["name_en"], study["site_status"])], names)
    central = contacts.get("centralContacts") or []
    differ("contact", site["contact_name"], ", ".join(c.get("name", "") for c in central),
           same=any(_norm(c.get("name", "")).lower().startswith(site["contact_name"].lower()) for c in central))
    phones = {_digits(c.get("phone")) for c in central} | {
        _digits(c.get("phone")) for loc in locations for c in loc.get("contacts") or []
    }
    phones.discard("")
    app_phone = _digits(site["phone_local"])
    differ("phone", site["phone_local"], ", ".join(sorted(phones)) or "none", same=phones == {app_phone})
    differ("results posted", "no", "yes" if record.get("hasResults") else "no")

    found = bullets(_get(protocol, "eligibilityModule", "eligibilityCriteria") or "")
    for kind in ("inclusion", "exclusion"):
        ours = [_rendered(item["text"]) for item in registry[kind]]
        theirs = found[kind]
        for n in range(max(len(ours), len(theirs))):
            bullet_id = f"{kind[:3]}-{n + 1}"
            mine = ours[n] if n < len(ours) else "(none)"
            other = theirs[n] if n < len(theirs) else "(none)"
            if mine != other:
                depends = (
                    f"the doctors' page (#{bullet_id}), the self-check's criteria {', '.join(uses.get(bullet_id, ())) or 'none'} "
                    f"(content/check/criteria.toml), the who-can-join page"
                )
                differences.append(Difference(f"eligibility {bullet_id}", mine, other, depends))
    return differences


def report(differences: list[Difference]) -> str:
    if not differences:
        return "The registry record matches the app's content: nothing to do."
    lines = [f"{len(differences)} difference(s) between the registry record and the app's content:"]
    for d in differences:
        lines += [f"\n* {d.field}", f"  app:      {d.app}", f"  registry: {d.registry}", f"  rests on: {d.depends}"]
    lines.append(
        "\nUpdate content/trial.toml and content/registry.toml to match the record, re-read what rests on each"
        " field (both languages), and run the tests."
    )
    return "\n".join(lines)
