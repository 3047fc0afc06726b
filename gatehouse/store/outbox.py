"""The outbox: chained records waiting for the hub's acknowledgement, oldest link first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gatehouse.core.chain import ChainLink
from gatehouse.store.records import Executes, dict_rows, link_from_row, read_record
from gatehouse.store.rows import utc_text

PENDING, SYNCED, REJECTED = "pending", "synced", "rejected"
# Recorded under another booth id than the one the booth is enrolled as (made before a rename
# or re-enrolment): the record stays in this ledger under that id, never quarantined; the hub
# acknowledged its link alone (``protocol.KEPT``), so its chain of this booth stays whole.
KEPT = "kept"


@dataclass(frozen=True)
class OutboxItem:
    """One record to upload: its stored form and its link (the hub checks both)."""

    link: ChainLink
    record: dict[str, Any]


@dataclass(frozen=True)
class OutboxCounts:
    pending: int
    rejected: int
    oldest_pending_recorded_at: str | None


def pending_items(conn: Executes, limit: int) -> list[OutboxItem]:
    rows = dict_rows(
        conn.execute(
            "SELECT c.* FROM outbox o JOIN chain c ON c.seq = o.seq"
            " WHERE o.state = 'pending' ORDER BY o.seq LIMIT ?",
            (limit,),
        )
    )
    items = []
    for row in rows:
        link = link_from_row(row)
        record = read_record(conn, link.kind, link.record_id)
        if record is None:  # deleted behind the ledger's back: verify-ledger reports it
            continue
        items.append(OutboxItem(link, record))
    return items


def counts(conn: Executes) -> OutboxCounts:
    pending, rejected = conn.execute(
        "SELECT coalesce(sum(state = 'pending'), 0), coalesce(sum(state = 'rejected'), 0)"
        " FROM outbox"
    ).fetchone()
    oldest = conn.execute("SELECT min(updated_at) FROM outbox WHERE state = 'pending'").fetchone()[
        0
    ]
    return OutboxCounts(int(pending), int(rejected), oldest)


def mark(
    db: Executes, seqs: Iterable[int], state: str, now: datetime, detail: str | None = None
) -> int:
    """Move pending rows to ``state``; rows already moved stay as they are. Returns how many."""
    changed = 0
    for seq in seqs:
        cursor = db.execute(
            "UPDATE outbox SET state = ?, updated_at = ?, detail = ? "
            "WHERE seq = ? AND state = 'pending'",
            (state, utc_text(now), detail, seq),
        )
        changed += cursor.rowcount
    return changed


def reopen_from(db: Executes, first: int, now: datetime) -> int:
    """Put acknowledged rows (synced, or kept: link only) from link ``first`` on back in the
    outbox (the hub asked for them)."""
    cursor = db.execute(
        "UPDATE outbox SET state = 'pending', updated_at = ?, detail = NULL "
        "WHERE seq >= ? AND state IN ('synced', 'kept')",
        (utc_text(now), first),
    )
    return int(cursor.rowcount)
