"""How a person's passage was decided, as the ledger keeps it: one typed, versioned record with
its encoder (the booth) and its decoder (the dry run, re-verification of attested codes).

Version 1 is what every booth has written since the ledger began, and it carries no
``version`` key: a record without one is version 1. The encoder still writes version 1 byte
for byte (the ledger's hash chain and the hub's copies hold these records). A later format
writes ``"version": 2`` and gets its own branch in ``decode_evidence``; a record of a version
this release does not know is refused, never half read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NotRequired, TypedDict, TypeVar

from gatehouse.core.code_kinds import KINDS
from gatehouse.core.code_reader import ScannedCode
from gatehouse.core.decision import Decision
from gatehouse.core.models import HealthCodeColour, TravelVisit
from gatehouse.core.rules.evidence import (
    DeclaredVisit,
    Evidence,
    declared_travel_from_record,
    declared_travel_record,
)

EVIDENCE_VERSION = 1
ATTESTATION_PENDING = "pending"  # an attested colour the verification service has not answered
DECLARED_BY_GUARD = "declared_by_guard"
_T = TypeVar("_T")


class Attestation(TypedDict):
    colour: str
    status: str


class EvidenceRecord(TypedDict):
    """Version 1, as stored (JSON). Keys marked NotRequired are written only when they apply."""

    version: NotRequired[int]  # absent: 1
    verdict: str
    follow_ups: list[str]
    code_kind: str
    code_verified: bool
    id_given: bool
    id_source: NotRequired[str]  # where a typed or read ID number came from
    issuer: NotRequired[str]
    key_id: NotRequired[str]  # hex, a pass's signing key
    issuer_id: NotRequired[str | None]  # a provincial code's issuer
    attestation: NotRequired[Attestation]  # the colour the guard attested, for re-verification
    live_colour: NotRequired[str]  # the colour on today's live code, for a pass whose had aged
    reading_taken_at: NotRequired[str]
    ambient_c: NotRequired[float | None]
    compensation_c: NotRequired[float | None]
    declared_travel: NotRequired[list[DeclaredVisit]]
    travel_source: NotRequired[str]
    first_abnormal_c: NotRequired[float]  # a re-measure: the first abnormal reading
    abnormal_confirmed: NotRequired[bool]


class EvidenceRecordError(ValueError):
    """A stored record that cannot be read: malformed, or of a version unknown to this release."""


def encode_evidence(evidence: Evidence, decision: Decision, scanned: ScannedCode) -> EvidenceRecord:
    """What the ledger keeps about how ``decision`` was reached, beyond the passage's columns."""
    record: EvidenceRecord = {
        "verdict": decision.verdict.value,
        "follow_ups": sorted(item.value for item in decision.follow_ups),
        "code_kind": evidence.code_kind,
        "code_verified": scanned.verified,
        "id_given": evidence.id_number is not None,
    }
    if evidence.id_card is not None:  # where the number came from; nothing else of the card
        record["id_source"] = evidence.id_card.source
    if evidence.credential is not None:
        record["issuer"] = evidence.credential.issuer
        record["key_id"] = evidence.credential.key_id.hex()
    elif evidence.code_issuer is not None:
        record["issuer"] = evidence.code_issuer
    if KINDS[scanned.kind].attested and scanned.claims is not None:
        record["issuer_id"] = scanned.claims.get("issuer_id")
        if evidence.health_code is not None:
            colour = evidence.health_code.value
            record["attestation"] = {"colour": colour, "status": ATTESTATION_PENDING}
    if evidence.credential is not None and evidence.health_code is not None:
        record["live_colour"] = evidence.health_code.value  # the pass's colour had aged
    reading = evidence.temperature
    if reading is not None:
        record["reading_taken_at"] = reading.taken_at.isoformat()
        record["ambient_c"] = reading.ambient_celsius
        record["compensation_c"] = reading.compensation_celsius
    if evidence.declared_travel is not None:
        record["declared_travel"] = declared_travel_record(evidence.declared_travel)
        record["travel_source"] = DECLARED_BY_GUARD
    if evidence.first_abnormal is not None:
        record["first_abnormal_c"] = evidence.first_abnormal.celsius
        record["abnormal_confirmed"] = evidence.abnormal_confirmed
    return record


@dataclass(frozen=True)
class PassageEvidence:
    """A stored record, decoded: what its readers ask of it, typed. ``code_verified`` is None
    for a passage logged before the booth recorded its evidence (or a vehicle's)."""

    version: int
    code_verified: bool | None
    id_given: bool
    id_source: str | None
    issuer: str | None
    issuer_id: str | None
    attested_colour: HealthCodeColour | None
    live_colour: HealthCodeColour | None
    reading_taken_at: datetime | None
    ambient_c: float | None
    compensation_c: float | None
    declared_travel: tuple[TravelVisit, ...] | None
    first_abnormal_c: float | None


def decode_evidence(raw: Mapping[str, Any]) -> PassageEvidence:
    """The record as stored (any version this release knows); EvidenceRecordError names what
    is wrong with one it cannot read."""
    version = raw.get("version", 1)
    if version != EVIDENCE_VERSION:
        raise EvidenceRecordError(f"evidence record version {version!r} is not known here")
    try:
        return PassageEvidence(
            version=version,
            code_verified=_optional(raw, "code_verified", bool),
            id_given=bool(raw.get("id_given")),
            id_source=_optional(raw, "id_source", str) or None,
            issuer=_optional(raw, "issuer", str),
            issuer_id=_optional(raw, "issuer_id", str),
            attested_colour=_attested(raw.get("attestation")),
            live_colour=_colour(_optional(raw, "live_colour", str)),
            reading_taken_at=_moment(_optional(raw, "reading_taken_at", str)),
            ambient_c=_number(raw, "ambient_c"),
            compensation_c=_number(raw, "compensation_c"),
            declared_travel=(
                declared_travel_from_record(raw["declared_travel"])
                if "declared_travel" in raw
                else None
            ),
            first_abnormal_c=_number(raw, "first_abnormal_c"),
        )
    except ValueError as exc:
        raise EvidenceRecordError(f"evidence record is malformed: {exc}") from None


def _optional(raw: Mapping[str, Any], key: str, kind: type[_T]) -> _T | None:
    value = raw.get(key)
    if value is None or isinstance(value, kind):
        return value
    raise ValueError(f"{key} must be {kind.__name__}, not {value!r}")


def _number(raw: Mapping[str, Any], key: str) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key} must be a number, not {value!r}")
    return float(value)


def _colour(value: str | None) -> HealthCodeColour | None:
    return HealthCodeColour(value) if value is not None else None


def _attested(value: object) -> HealthCodeColour | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("colour"), str):
        raise ValueError('attestation must be {"colour": ..., "status": ...}')
    return HealthCodeColour(value["colour"])


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None
