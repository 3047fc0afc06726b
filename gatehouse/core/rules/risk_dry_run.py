"""Dry run of a risk-area list over logged passages: who would now be decided otherwise.

Each passage is read as a booth uploaded it. Its travel is the travel record its Gatehouse pass
carried (the booth verified the pass when it decided) or the travel the guard typed as
declared; a passage with neither (personal data purged, a code without travel) cannot be
re-checked and says so. The travel is matched against the published list and the draft with
``RiskAreaList.visits_at_risk``, the very lookup a booth's travel-risk rule makes, on the
passage's own China day and with its checkpoint's look-back. A medium or high visit turns the
person away at the booth, so:

- stricter ("turned away") — the draft finds a risk visit and the passage was not turned
  away; the row gives the draft's risk visits;
- looser ("relieved") — the published list found one and the draft finds none: the travel no
  longer turns this person away (other checks still decide); the row gives the list's visits.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from gatehouse.core.china_time import china_day
from gatehouse.core.code_kinds import CodeKind
from gatehouse.core.evidence_record import EvidenceRecordError, PassageEvidence, decode_evidence
from gatehouse.core.gatehouse_pass import CredentialError, logged_claims
from gatehouse.core.models import Outcome, TravelVisit
from gatehouse.core.rules.dry_run_rows import Change, DryRunResult, DryRunRow
from gatehouse.core.rules.risk_areas import RiskAreaList, RiskVisit

RiskRow = DryRunRow[RiskVisit]


def dry_run(
    records: Iterable[Mapping[str, Any]],
    published: RiskAreaList | None,
    draft: RiskAreaList,
    lookback_days: Callable[[str], int],
) -> DryRunResult[RiskVisit]:
    """One row per record; ``lookback_days`` gives a checkpoint type's look-back."""
    return DryRunResult(tuple(_row(r, published, draft, lookback_days) for r in records))


def _row(
    record: Mapping[str, Any],
    published: RiskAreaList | None,
    draft: RiskAreaList,
    lookback_days: Callable[[str], int],
) -> RiskRow:
    try:
        travel = travel_of(record)
    except ValueError as exc:
        return RiskRow(record, Change.NOT_CHECKABLE, note=str(exc))
    day = china_day(datetime.fromisoformat(str(record["decided_at"])))
    days = lookback_days(str(record.get("checkpoint_type", "")))
    now = tuple(draft.visits_at_risk(travel, day, days))
    before = tuple(published.visits_at_risk(travel, day, days)) if published else ()
    if now and record.get("outcome") != Outcome.TURN_AWAY.name:
        return RiskRow(record, Change.STRICTER, stricter=now)
    if before and not now:
        return RiskRow(record, Change.LOOSER, looser=before)
    return RiskRow(record, Change.UNCHANGED)


def travel_of(record: Mapping[str, Any]) -> tuple[TravelVisit, ...]:
    """The travel a logged passage was decided on; ValueError saying why there is none."""
    evidence = evidence_of(record)
    if evidence.declared_travel is not None:
        return evidence.declared_travel
    scanned = record.get("scanned_text") or ""
    if not scanned:
        raise ValueError("personal data purged: the scanned code is gone")
    if record.get("code_kind") != CodeKind.GATEHOUSE_PASS or not evidence.code_verified:
        raise ValueError("no travel record: the code carried none and none was declared")
    try:
        return logged_claims(scanned).travel
    except CredentialError as exc:
        raise ValueError(f"the logged pass cannot be read: {exc.reason.en}") from exc


def evidence_of(record: Mapping[str, Any]) -> PassageEvidence:
    """A logged passage's evidence record (uploaded as JSON text, or an object), decoded by
    core's one decoder; EvidenceRecordError (a ValueError) says why it cannot be read."""
    raw = record.get("evidence") or {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise EvidenceRecordError("evidence record is not JSON") from None
    if not isinstance(raw, Mapping):
        raise EvidenceRecordError("evidence record is not an object")
    return decode_evidence(raw)
