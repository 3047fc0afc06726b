"""Conversion between ``Passage`` and its ``passages`` table row.

Times are stored as ISO 8601 UTC text with fixed microsecond precision, so text order is
time order. Outcomes are stored by name, which stays readable and survives renumbering.
``reasons`` is a JSON list of {code, outcome, en, zh, params, deciding} (``deciding``: the
reason decided the outcome; absent in rows written before it existed); ``evidence`` a JSON
object.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from gatehouse.core.models import Outcome
from gatehouse.core.passage import Passage
from gatehouse.core.reasons import Reason

# Made once: ``json.dumps`` would build an encoder per call, twice in every commit.
_reasons_json = json.JSONEncoder(ensure_ascii=False, default=str).encode
_evidence_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode


def utc_text(moment: datetime) -> str:
    """ISO 8601 UTC text for a timezone-aware ``moment``; naive times are ambiguous, refused."""
    if moment.tzinfo is UTC:  # every time the booth makes itself: nothing to convert
        return moment.isoformat(timespec="microseconds")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: the ledger stores only aware times")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def passage_to_row(passage: Passage) -> dict[str, Any]:
    """The column values for ``passage`` (the store adds ``recorded_at`` when writing).

    Reason params and evidence values that JSON cannot represent are stored as their ``str()``:
    a passage must never fail to log over a detail.
    """
    return {
        "passage_id": passage.passage_id,
        "booth_id": passage.booth_id,
        "checkpoint_type": passage.checkpoint_type,
        "decided_at": utc_text(passage.decided_at),
        "clock_source": passage.clock_source,
        "scanned_text": passage.scanned_text,
        "code_kind": passage.code_kind,
        "pass_id": passage.pass_id,
        "holder_name": passage.holder_name,
        "id_masked": passage.id_masked,
        "role": passage.role,
        "temperature_c": passage.temperature_c,
        "temperature_source": passage.temperature_source,
        "outcome": passage.outcome.name,
        "reasons": _reasons_json(
            [
                {
                    "code": r.code,
                    "outcome": r.outcome.name,
                    "en": r.en,
                    "zh": r.zh,
                    "params": r.params,
                    "deciding": r.deciding,
                }
                for r in passage.reasons
            ]
        ),
        "policy_version": passage.policy_version,
        "guard_id": passage.guard_id,
        "id_hash": passage.id_hash,
        "evidence": _evidence_json(passage.evidence),
    }


def row_to_passage(row: Mapping[str, Any]) -> Passage:
    """Rebuild the ``Passage`` from a ``passages`` row (extra columns are ignored)."""
    return Passage(
        passage_id=row["passage_id"],
        booth_id=row["booth_id"],
        checkpoint_type=row["checkpoint_type"],
        decided_at=datetime.fromisoformat(row["decided_at"]),
        clock_source=row["clock_source"],
        scanned_text=row["scanned_text"],
        code_kind=row["code_kind"],
        pass_id=row["pass_id"],
        holder_name=row["holder_name"],
        id_masked=row["id_masked"],
        role=row["role"],
        temperature_c=row["temperature_c"],
        temperature_source=row["temperature_source"],
        outcome=Outcome[row["outcome"]],
        reasons=tuple(
            Reason(
                code=r["code"],
                outcome=Outcome[r["outcome"]],
                en=r["en"],
                zh=r["zh"],
                params=r["params"],
                deciding=bool(r.get("deciding", False)),
            )
            for r in json.loads(row["reasons"])
        ),
        policy_version=row["policy_version"],
        guard_id=row["guard_id"],
        id_hash=row["id_hash"],
        evidence=json.loads(row["evidence"]),
    )
