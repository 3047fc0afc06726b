"""Test-data builders shared by every test package (``from tests.factories import ...``)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from gatehouse.core.models import Outcome, Role
from gatehouse.core.passage import Passage
from gatehouse.store.audit import AuditKind


def make_passage(**overrides: Any) -> Passage:
    """An admitted passage with a fresh ``passage_id``; override any field by keyword."""
    fields: dict[str, Any] = {
        "passage_id": uuid.uuid4().hex,
        "booth_id": "booth-01",
        "checkpoint_type": "mine-gate",
        "decided_at": datetime(2024, 3, 1, 6, 30, tzinfo=UTC),
        "clock_source": "system",
        "scanned_text": "GH1:example-pass",
        "code_kind": "gatehouse-pass",
        "pass_id": "P-000001",
        "holder_name": "Zhang San",
        "id_masked": "110101********1234",
        "role": Role.EMPLOYEE.value,
        "temperature_c": 36.5,
        "temperature_source": "sensor",
        "outcome": Outcome.ADMIT,
        "reasons": (),
        "policy_version": "2024.1",
    }
    fields.update(overrides)
    return Passage(**fields)


def record_override(
    audit: Any, passage_id: str, at: datetime, before: str = "turn_away", after: str = "admit"
) -> str:
    """A supervisor's override of a logged passage, as the booth's F9 records it (an audit
    event naming the passage); ``audit`` is the booth's Ledger. The event id."""
    event_id: str = audit.record_event(
        AuditKind.OVERRIDE,
        at=at,
        booth_id="north-gate",
        actor="supervisor",
        details={
            "passage_id": passage_id,
            "original_outcome": before,
            "outcome": after,
            "reason": "approval_confirmed_by_phone",
            "note": "",
        },
    ).result()
    return event_id
