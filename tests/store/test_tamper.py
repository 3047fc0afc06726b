"""Tampering with a closed ledger file (edit, delete, insert, reorder) is caught by verify."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gatehouse.cli import main
from gatehouse.commands.verify_ledger import EXIT_TAMPERED
from gatehouse.store import Ledger
from gatehouse.store.audit import AuditKind
from gatehouse.store.verify import verify_ledger
from tests.factories import make_passage

START = datetime(2024, 3, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def filled(ledger_path: Path) -> Path:
    """Ten passages, an audit event between them, ten more: 21 links."""
    with Ledger.open(ledger_path) as ledger:
        for n in range(10):
            ledger.record(make_passage(decided_at=START + timedelta(minutes=n)))
        ledger.record_event(
            AuditKind.OVERRIDE,
            at=START,
            booth_id="booth-01",
            actor="supervisor-7",
            details={"passage": "x", "from": "REFER", "to": "ADMIT"},
        )
        for n in range(10, 20):
            ledger.record(make_passage(decided_at=START + timedelta(minutes=n)))
    return ledger_path


@pytest.fixture
def sql(filled: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(filled, isolation_level=None)) as conn:
        yield conn


def _passage_at(conn: sqlite3.Connection, seq: int) -> str:
    return str(conn.execute("SELECT record_id FROM chain WHERE seq = ?", (seq,)).fetchone()[0])


def test_untouched_ledger_is_intact(filled: Path) -> None:
    verdict = verify_ledger(filled)
    assert verdict.intact
    assert verdict.links == 21
    assert verdict.head is not None and verdict.head.seq == 21


def test_edited_outcome_is_named(filled: Path, sql: sqlite3.Connection) -> None:
    victim = _passage_at(sql, 7)
    sql.execute(
        "UPDATE passages SET outcome = 'ADMIT', temperature_c = 36.1 WHERE passage_id = ?",
        (victim,),
    )
    found = verify_ledger(filled).first_break
    assert found is not None
    assert (found.seq, found.record_id, found.problem) == (7, victim, "the record was changed")


def test_edited_name_is_caught_as_personal_data_change(
    filled: Path, sql: sqlite3.Connection
) -> None:
    victim = _passage_at(sql, 3)
    sql.execute("UPDATE passages SET holder_name = 'Li Si' WHERE passage_id = ?", (victim,))
    found = verify_ledger(filled).first_break
    assert found is not None
    assert (found.seq, found.problem) == (3, "personal data was changed")


def test_faked_purge_marker_does_not_excuse_an_erasure(
    filled: Path, sql: sqlite3.Connection
) -> None:
    victim = _passage_at(sql, 4)
    sql.execute(
        "UPDATE passages SET scanned_text = '', pass_id = NULL, holder_name = NULL,"
        " id_masked = NULL, id_hash = NULL, purged_at = '2024-03-02' WHERE passage_id = ?",
        (victim,),
    )
    found = verify_ledger(filled).first_break
    assert found is not None
    assert found.seq == 4
    assert "no purge covers" in found.problem


@pytest.mark.parametrize(
    ("change", "seq"),
    [
        ("ALTER TABLE passages ADD COLUMN note TEXT", 1),
        ("ALTER TABLE passages DROP COLUMN temperature_c", 1),
        ("ALTER TABLE audit_events ADD COLUMN note TEXT DEFAULT 'x'", 11),
    ],
)
def test_a_column_added_or_dropped_after_chaining_is_caught(
    filled: Path, sql: sqlite3.Connection, change: str, seq: int
) -> None:
    """Every record then has a key more or less than when it was digested: the first record
    of that table is named, the other table's records (digested beside it) still pass."""
    sql.execute(change)
    found = verify_ledger(filled).first_break
    assert found is not None
    assert (found.seq, found.problem) == (seq, "the record was changed")


def test_deleted_passage_is_named(filled: Path, sql: sqlite3.Connection) -> None:
    victim = _passage_at(sql, 12)
    sql.execute("DELETE FROM passages WHERE passage_id = ?", (victim,))
    found = verify_ledger(filled).first_break
    assert found is not None
    assert (found.seq, found.problem) == (12, "the record was deleted")


def test_deleted_passage_with_its_link_breaks_the_next_link(
    filled: Path, sql: sqlite3.Connection
) -> None:
    victim = _passage_at(sql, 5)
    sql.execute("PRAGMA foreign_keys = OFF")
    for statement in (
        "DELETE FROM outbox WHERE seq = 5",
        "DELETE FROM chain WHERE seq = 5",
        f"DELETE FROM passages WHERE passage_id = '{victim}'",
    ):
        sql.execute(statement)
    found = verify_ledger(filled).first_break
    assert found is not None
    assert found.seq == 6
    assert "expected link 5" in found.problem


def test_reordered_links_are_caught(filled: Path, sql: sqlite3.Connection) -> None:
    sql.execute("PRAGMA foreign_keys = OFF")
    sql.execute("UPDATE chain SET seq = -1 WHERE seq = 8")
    sql.execute("UPDATE chain SET seq = 8 WHERE seq = 9")
    sql.execute("UPDATE chain SET seq = 9 WHERE seq = -1")
    found = verify_ledger(filled).first_break
    assert found is not None
    assert found.seq == 8
    assert "does not follow" in found.problem


def test_reordered_passage_times_are_caught(filled: Path, sql: sqlite3.Connection) -> None:
    first, second = _passage_at(sql, 2), _passage_at(sql, 3)
    times = dict(sql.execute("SELECT passage_id, decided_at FROM passages"))
    sql.execute("UPDATE passages SET decided_at = ? WHERE passage_id = ?", (times[second], first))
    sql.execute("UPDATE passages SET decided_at = ? WHERE passage_id = ?", (times[first], second))
    found = verify_ledger(filled).first_break
    assert found is not None
    assert (found.seq, found.problem) == (2, "the record was changed")


def test_edited_audit_event_is_named(filled: Path, sql: sqlite3.Connection) -> None:
    sql.execute("UPDATE audit_events SET actor = 'nobody'")
    found = verify_ledger(filled).first_break
    assert found is not None
    assert (found.seq, found.kind) == (11, "audit")


def test_passage_written_around_the_ledger_is_caught(filled: Path, sql: sqlite3.Connection) -> None:
    row = sql.execute("SELECT * FROM passages LIMIT 1").fetchone()
    names = [c[1] for c in sql.execute("PRAGMA table_info(passages)")]
    forged = dict(zip(names, row, strict=True)) | {"passage_id": "f" * 32}
    sql.execute(
        f"INSERT INTO passages ({', '.join(forged)}) VALUES ({', '.join('?' * len(forged))})",
        tuple(forged.values()),
    )
    found = verify_ledger(filled).first_break
    assert found is not None
    assert (found.seq, found.record_id) == (None, "f" * 32)
    assert "outside the chain" in str(found)


def test_command_exits_zero_when_intact(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-ledger", "--database", str(filled)]) == 0
    assert "ledger intact" in capsys.readouterr().out


def test_command_names_the_first_broken_link(
    filled: Path, sql: sqlite3.Connection, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = _passage_at(sql, 15)
    sql.execute("UPDATE passages SET outcome = 'TURN_AWAY' WHERE passage_id = ?", (victim,))
    assert main(["verify-ledger", "--database", str(filled)]) == EXIT_TAMPERED
    out = capsys.readouterr().out
    assert "LEDGER TAMPERED" in out
    assert f"link 15 (passage {victim})" in out
