"""A retention purge erases personal data so that no copy stays in the ledger's files."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from gatehouse.store import Ledger
from tests.factories import make_passage

OLD = datetime(2024, 1, 10, tzinfo=UTC)
CUTOFF = datetime(2024, 2, 1, tzinfo=UTC)
SECRET_NAME = "QXJ-secret-holder-name"
SECRET_TEXT = "GH1:QXJ-secret-scanned-pass"


def _files_contain(path: Path, needle: bytes) -> bool:
    files = [path, path.with_name(path.name + "-wal")]
    return any(f.exists() and needle in f.read_bytes() for f in files)


def test_purge_erases_synced_old_passages_and_leaves_no_trace(ledger: Ledger) -> None:
    old = make_passage(decided_at=OLD, holder_name=SECRET_NAME, scanned_text=SECRET_TEXT)
    recent = make_passage(decided_at=CUTOFF + timedelta(days=3))
    for passage in (old, recent):
        ledger.record(passage).result()
    ledger.mark_synced([1, 2]).result()
    assert _files_contain(ledger.path, SECRET_NAME.encode())

    assert ledger.purge(CUTOFF, booth_id="booth-01").result() == 1

    erased = ledger.get(old.passage_id)
    assert erased is not None
    assert (erased.holder_name, erased.scanned_text, erased.pass_id) == (None, "", None)
    assert (erased.outcome, erased.decided_at) == (old.outcome, old.decided_at)
    assert ledger.get(recent.passage_id) == recent
    assert not _files_contain(ledger.path, SECRET_NAME.encode())
    assert not _files_contain(ledger.path, SECRET_TEXT.encode())


def test_purge_keeps_passages_the_hub_has_not_acknowledged(ledger: Ledger) -> None:
    unsent = make_passage(decided_at=OLD, holder_name=SECRET_NAME)
    ledger.record(unsent).result()
    assert ledger.purge(CUTOFF, booth_id="booth-01").result() == 0
    assert ledger.get(unsent.passage_id) == unsent


def test_purge_is_an_audit_event_and_the_chain_stays_valid(ledger: Ledger) -> None:
    for day in range(5):
        ledger.record(make_passage(decided_at=OLD + timedelta(days=day))).result()
    ledger.mark_synced(range(1, 6)).result()

    assert ledger.purge(CUTOFF, booth_id="booth-01").result() == 5

    verdict = ledger.verify()
    assert verdict.intact, verdict.first_break
    head = ledger.chain_head()
    assert head is not None and head.kind == "audit"
    with closing(sqlite3.connect(ledger.path)) as conn:
        kind, details = conn.execute("SELECT kind, details FROM audit_events").fetchone()
    assert kind == "purge"
    assert '"count": 5' in details


def test_passage_newer_than_the_purge_cutoff_must_not_be_erased(ledger: Ledger) -> None:
    recent = make_passage(decided_at=CUTOFF + timedelta(days=1))
    ledger.record(recent).result()
    ledger.mark_synced([1]).result()
    ledger.purge(CUTOFF, booth_id="booth-01").result()
    with closing(sqlite3.connect(ledger.path)) as conn:
        conn.execute(
            "UPDATE passages SET holder_name = NULL, scanned_text = '', pass_id = NULL,"
            " id_masked = NULL, purged_at = '2024-03-01'"
        )
        conn.commit()
    found = ledger.verify().first_break
    assert found is not None
    assert found.seq == 1
    assert "no purge covers" in found.problem
