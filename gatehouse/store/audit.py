"""Audit events: what people did to the booth's data and rules, chained like passages."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from gatehouse.core.chain import AUDIT_KIND, RESTORE_EVENT
from gatehouse.store.records import Executes, chain_and_queue
from gatehouse.store.rows import utc_text


class AuditKind(StrEnum):
    OVERRIDE = "override"  # a supervisor overrode a decision
    POLICY_CHANGE = "policy_change"  # a rule pack, list or key bundle took effect
    LIST_IMPORT = "list_import"
    EXPORT = "export"
    LOGIN = "login"
    PURGE = "purge"  # personal data older than the retention period was erased
    REVERIFICATION = "reverification"  # the issuer's answer for a code the guard attested
    # Trust material refused on load, or a hub bundle no booth can use (the last good one stays)
    TRUST_REFUSED = "trust_refused"
    RESTORE = RESTORE_EVENT  # the ledger was restored from a backup (gatehouse restore)
    PIN_CHANGE = "pin_change"  # the supervisor PIN was set, changed or recovered
    SHIFT_CHANGE = "shift_change"  # a guard signed on at the booth (``booth.duty``)


def insert_event(
    db: Executes,
    kind: AuditKind,
    *,
    at: datetime,
    booth_id: str,
    actor: str,
    details: Mapping[str, Any],
) -> str:
    """Store one event with its chain link and outbox row (inside the writer's transaction)."""
    event_id = uuid.uuid4().hex
    db.execute(
        "INSERT INTO audit_events (event_id, kind, at, booth_id, actor, details, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            event_id,
            kind.value,
            utc_text(at),
            booth_id,
            actor,
            json.dumps(details, ensure_ascii=False, sort_keys=True, default=str),
            utc_text(datetime.now(UTC)),
        ),
    )
    chain_and_queue(db, AUDIT_KIND, event_id, datetime.now(UTC))
    return event_id
