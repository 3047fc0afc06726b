"""Retention: erase the personal fields of passages older than the office's retention period.

Only passages the hub has acknowledged are erased (the office keeps its own copy under its own
retention), the purge is itself a chained audit event, and ``secure_delete`` (set on the writer
connection) plus a WAL checkpoint leave no copy of the erased values in the ledger files.
"""

from __future__ import annotations

from datetime import UTC, datetime

from gatehouse.core.passage import PERSONAL_FIELDS
from gatehouse.store.audit import AuditKind, insert_event
from gatehouse.store.records import Executes
from gatehouse.store.rows import utc_text

# scanned_text is NOT NULL (it is the record of what was shown): erased to "".
_ERASED = ", ".join(
    f"{name} = ''" if name == "scanned_text" else f"{name} = NULL" for name in PERSONAL_FIELDS
)


def purge_personal_data(db: Executes, cutoff: datetime, booth_id: str) -> int:
    """Erase personal data of synced passages decided before ``cutoff``; returns how many."""
    now = datetime.now(UTC)
    cursor = db.execute(
        f"UPDATE passages SET {_ERASED}, purged_at = ?"
        " WHERE decided_at < ? AND purged_at IS NULL AND passage_id IN ("
        "  SELECT c.record_id FROM chain c JOIN outbox o ON o.seq = c.seq"
        "  WHERE c.kind = 'passage' AND o.state = 'synced')",
        (utc_text(now), utc_text(cutoff)),
    )
    erased = cursor.rowcount
    if erased:
        insert_event(
            db,
            AuditKind.PURGE,
            at=now,
            booth_id=booth_id,
            actor="retention",
            details={"cutoff": utc_text(cutoff), "count": erased},
        )
    return erased


def truncate_wal(db: Executes) -> None:
    """Copy the WAL into the database and empty it, so old page images go with it."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
