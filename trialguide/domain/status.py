"""Is the study still taking new patients? Said from the facts in trial.toml and today's date.

The answer and its reasons are computed, not written: when the registry record is updated
(trial.toml changes: a new status, a later completion date), every page says so without any
prose being edited. It never says "yes": at best "maybe", and always "call the study team".
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# ClinicalTrials.gov overall statuses (API version 2) under which new patients are taken.
RECRUITING = {"RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION"}
CLOSED = {"ACTIVE_NOT_RECRUITING", "COMPLETED", "TERMINATED", "WITHDRAWN", "SUSPENDED"}
# A record not updated for this long says little about today.
STALE_AFTER = dt.timedelta(days=365)


@dataclass(frozen=True)
class Status:
    headline: str  # "not_open" or "maybe_open"
    reasons: tuple[str, ...]  # keys of content/status.toml [reason.*], in the order shown


def assess(study: dict, today: dt.date) -> Status:
    reasons = ["last_updated"]
    registry = study["registry_status"]
    if registry == "UNKNOWN":
        reasons.append("status_unknown")
    elif registry in RECRUITING:
        reasons.append("status_recruiting")
    elif registry in CLOSED:
        reasons.append("status_closed")
    completion_passed = study["completion_date"] < today
    reasons.append("completion_passed" if completion_passed else "completion_ahead")
    enrolment_ended = study.get("enrolment_to") is not None and study["enrolment_to"] < today
    if enrolment_ended:
        reasons.append("enrolment_ended")
    fresh = today - study["last_updated"] <= STALE_AFTER
    open_ = registry in RECRUITING and fresh and not completion_passed and not enrolment_ended
    if not open_ and study.get("site_status") in RECRUITING:
        # The site's own entry still says "Recruiting": a doctor who opens the record sees it,
        # so the panel says what that word can and cannot tell.
        reasons.append("site_recruiting")
    return Status("maybe_open" if open_ else "not_open", tuple(reasons))
