"""Every chained record is queued for the hub in the transaction that stores it."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime

import pytest

from gatehouse.store import Ledger
from gatehouse.store.audit import AuditKind
from tests.factories import make_passage


def _table_sizes(ledger: Ledger) -> tuple[int, int, int]:
    with closing(sqlite3.connect(ledger.path)) as conn:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("passages", "chain", "outbox")
        )


def test_passage_link_and_outbox_row_are_written_together(ledger: Ledger) -> None:
    passages = [make_passage() for _ in range(3)]
    for passage in passages:
        ledger.record(passage).result()

    assert _table_sizes(ledger) == (3, 3, 3)
    pending = ledger.pending(limit=10)
    assert [item.record["passage_id"] for item in pending] == [p.passage_id for p in passages]
    assert [item.link.seq for item in pending] == [1, 2, 3]
    assert "purged_at" not in pending[0].record  # bookkeeping is not part of the record


def test_refused_passage_leaves_no_link_and_no_outbox_row(ledger: Ledger) -> None:
    first = make_passage()
    ledger.record(first).result()
    with pytest.raises(sqlite3.IntegrityError):
        ledger.record(make_passage(passage_id=first.passage_id)).result()
    assert _table_sizes(ledger) == (1, 1, 1)
    assert ledger.verify().intact


def test_acknowledged_rows_leave_the_outbox_and_rejected_ones_are_kept_apart(
    ledger: Ledger,
) -> None:
    for _ in range(5):
        ledger.record(make_passage()).result()

    assert ledger.mark_synced([1, 2, 4]).result() == 3
    assert ledger.mark_rejected({3: "conflict"}).result() == 1
    assert ledger.mark_synced([1]).result() == 0  # already synced: unchanged

    assert [item.link.seq for item in ledger.pending(limit=10)] == [5]
    counts = ledger.outbox_counts()
    assert (counts.pending, counts.rejected) == (1, 1)


def test_pending_is_limited_and_in_chain_order(ledger: Ledger) -> None:
    for _ in range(7):
        ledger.record(make_passage()).result()
    assert [item.link.seq for item in ledger.pending(limit=4)] == [1, 2, 3, 4]


def test_audit_event_is_chained_and_queued(ledger: Ledger) -> None:
    ledger.record(make_passage()).result()
    event_id = ledger.record_event(
        AuditKind.EXPORT,
        at=datetime(2024, 3, 1, tzinfo=UTC),
        booth_id="booth-01",
        actor="supervisor-2",
        details={"rows": 120, "format": "xlsx"},
    ).result()

    (item,) = ledger.pending(limit=10)[1:]
    assert (item.link.kind, item.link.record_id) == ("audit", event_id)
    assert item.record["kind"] == "export"
    assert ledger.chain_head() == item.link


def test_audit_event_with_naive_time_is_refused_before_queueing(ledger: Ledger) -> None:
    with pytest.raises(ValueError, match="naive"):
        ledger.record_event(
            AuditKind.LOGIN, at=datetime(2024, 3, 1), booth_id="b", actor="a", details={}
        )


def test_record_many_chains_in_order_in_one_transaction(ledger: Ledger) -> None:
    batch = [make_passage() for _ in range(4)]
    ledger.record_many(batch).result()
    with pytest.raises(sqlite3.IntegrityError):
        ledger.record_many([make_passage(), make_passage(passage_id=batch[0].passage_id)]).result()

    assert _table_sizes(ledger) == (4, 4, 4)
    assert [i.record["passage_id"] for i in ledger.pending(10)] == [p.passage_id for p in batch]
    assert ledger.verify().intact
