"""Dry run: what a new rule pack would have decided for the passages already logged.

Each passage is re-decided from what the ledger kept: the scanned text (read and verified
again at the passage's own moment), the temperature reading with its time and device data,
the guard's attestation of a provincial code. The new pack is put in force for the whole
period, whatever its effective dates, and the booth's current risk areas and lists are used.

A passage is re-decided twice: with the new pack, and with the booth's packs as they stand
(the "baseline"). A change is reported when the new outcome differs from the logged one; when
the baseline already differs, something other than the pack changed since (risk areas, lists,
trusted keys) and the row says so. Where the ledger lacks what a faithful re-decision needs
(purged personal data, a re-measure whose first reading's time was not logged, an ID number
typed at the gate that is logged only as a keyed hash, a code that no longer verifies), the
row says "undecidable" and why, instead of guessing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from gatehouse.core.code_kinds import KINDS
from gatehouse.core.code_reader import TrustMaterial, read_code
from gatehouse.core.decision import Decision, Evidence, Policy, decide
from gatehouse.core.evidence_record import EvidenceRecordError, PassageEvidence, decode_evidence
from gatehouse.core.models import Outcome, TemperatureReading
from gatehouse.core.passage import Passage
from gatehouse.core.rules.pack import RulePack
from gatehouse.core.rules.scanned import evidence_from_code
from gatehouse.core.rules.vehicles import VEHICLE_KIND

_ALWAYS = datetime(1970, 1, 1, tzinfo=UTC)


class Status(StrEnum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    UNDECIDABLE = "undecidable"


class NotRedecidableError(ValueError):
    """The ledger lacks what a faithful re-decision of this passage needs; the message says what."""


@dataclass(frozen=True)
class DryRunRow:
    passage: Passage
    status: Status
    new: Decision | None = None
    baseline: Decision | None = None
    note: str | None = None

    def to_json_data(self) -> dict[str, Any]:
        passage = self.passage
        data: dict[str, Any] = {
            "passage_id": passage.passage_id,
            "decided_at": passage.decided_at.isoformat(),
            "booth_id": passage.booth_id,
            "checkpoint_type": passage.checkpoint_type,
            "pass_id": passage.pass_id,
            "id_masked": passage.id_masked,
            "status": self.status.value,
            "logged": passage.outcome.name,
            "logged_policy": passage.policy_version,
            "new": self.new.outcome.name if self.new else None,
            "new_policy": self.new.policy_version if self.new else None,
            "baseline": self.baseline.outcome.name if self.baseline else None,
            "note": self.note,
        }
        if self.new is not None:
            data["new_reasons"] = [
                item.code for item in self.new.reasons if item.outcome is not Outcome.ADMIT
            ]
        return data


def dry_run(
    passages: Iterable[Passage],
    policy: Policy,
    packs: tuple[RulePack, ...],
    trust: TrustMaterial,
) -> Iterator[DryRunRow]:
    """One row per passage: what ``packs`` (in force throughout) would have decided."""
    past = dataclasses.replace(policy, hub_clock_offset=None, hub_time_seen=None)
    trial = dataclasses.replace(past, packs=tuple(_in_force_throughout(pack) for pack in packs))
    for passage in passages:
        yield redecide(passage, past, trial, trust)


def redecide(passage: Passage, past: Policy, trial: Policy, trust: TrustMaterial) -> DryRunRow:
    try:
        evidence = rebuild_evidence(passage, trust)
    except NotRedecidableError as exc:
        return DryRunRow(passage, Status.UNDECIDABLE, note=str(exc))
    at = passage.decided_at
    here = passage.checkpoint_type
    new = decide(evidence, dataclasses.replace(trial, checkpoint_type=here), at)
    baseline = decide(evidence, dataclasses.replace(past, checkpoint_type=here), at)
    note = None
    if baseline.outcome is not passage.outcome:
        note = (
            f"re-deciding with the booth's own packs gives {baseline.outcome.name} "
            f"({baseline.policy_version}), not the logged {passage.outcome.name}: risk areas, "
            "lists, keys or the clock differ from the time of the passage"
        )
    status = Status.CHANGED if new.outcome is not passage.outcome else Status.UNCHANGED
    return DryRunRow(passage, status, new, baseline, note)


def rebuild_evidence(passage: Passage, trust: TrustMaterial) -> Evidence:
    """The evidence the booth decided on, from the ledger; NotRedecidableError if it cannot be."""
    if not passage.scanned_text:
        raise NotRedecidableError("personal data purged (retention): the scanned code is gone")
    if passage.code_kind == VEHICLE_KIND:
        raise NotRedecidableError("a vehicle: its people's passages are re-decided on their own")
    try:
        record = decode_evidence(passage.evidence)
    except EvidenceRecordError as exc:
        raise NotRedecidableError(str(exc)) from None
    if record.code_verified is None:
        raise NotRedecidableError("logged before the booth recorded its evidence")
    if record.first_abnormal_c is not None:
        raise NotRedecidableError(
            "a re-measure: the time of the first abnormal reading was not logged"
        )
    scanned = read_code(passage.scanned_text, trust, passage.decided_at)
    if record.code_verified != scanned.verified:
        raise NotRedecidableError(
            "the code verifies differently with this booth's trusted keys than it did then"
        )
    claims = scanned.credential.claims if scanned.credential is not None else None
    if record.id_given and (claims is None or claims.id_hash != passage.id_hash):
        raise NotRedecidableError("the ID number typed at the gate is logged only as a keyed hash")
    if record.id_source:
        raise NotRedecidableError("the ID card read at the gate (its name, validity) is not logged")
    evidence = evidence_from_code(
        passage.scanned_text,
        scanned,
        temperature=_reading(passage, record),
        # an attested provincial code's colour, or the live colour seen for an aged pass's
        attested_colour=record.attested_colour
        if KINDS[scanned.kind].attested
        else record.live_colour,
    )
    if record.declared_travel is None:
        return evidence
    return dataclasses.replace(evidence, declared_travel=record.declared_travel)


def _reading(passage: Passage, record: PassageEvidence) -> TemperatureReading | None:
    if passage.temperature_c is None:
        return None
    if record.reading_taken_at is None:
        raise NotRedecidableError("the temperature reading's time was not logged")
    return TemperatureReading(
        passage.temperature_c,
        record.reading_taken_at,
        passage.temperature_source or "sensor",
        record.ambient_c,
        record.compensation_c,
    )


def _in_force_throughout(pack: RulePack) -> RulePack:
    """``pack`` in force at every moment of the dry run, whatever dates it was published for."""
    return dataclasses.replace(pack, effective_from=_ALWAYS, effective_until=None)
