"""Online backups: complete, checked copies; only the newest few are kept."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from gatehouse.store import Ledger
from gatehouse.store.backup import backups
from tests.factories import make_passage


def test_backup_is_a_complete_verifiable_copy_made_while_writing(
    ledger: Ledger, tmp_path: Path
) -> None:
    for _ in range(50):
        ledger.record(make_passage()).result()
    in_flight = [ledger.record(make_passage()) for _ in range(50)]

    copy = ledger.backup(tmp_path / "backups")

    for future in in_flight:
        future.result()
    with closing(sqlite3.connect(copy)) as conn:
        copied = conn.execute("SELECT count(*) FROM passages").fetchone()[0]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert 50 <= copied <= 100
    with Ledger.open(copy) as restored:
        assert restored.verify().intact
        assert restored.count() == copied


def test_backups_are_rotated(ledger: Ledger, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    made = []
    for _ in range(4):
        ledger.record(make_passage()).result()
        made.append(ledger.backup(folder, keep=2))
    assert backups(ledger.path, folder) == made[-2:]
    assert not list(folder.glob("*.partial"))


def test_keep_must_be_positive(ledger: Ledger, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one"):
        ledger.backup(tmp_path, keep=0)


def test_damaged_ledger_names_the_backup_to_restore(ledger_path: Path) -> None:
    from gatehouse.store import LedgerCorruptError
    from gatehouse.store.backup import default_backup_folder

    with Ledger.open(ledger_path) as ledger:
        ledger.record(make_passage()).result()
        newest = ledger.backup(default_backup_folder(ledger_path))
    ledger_path.write_bytes(b"not a database any more" * 100)

    with pytest.raises(LedgerCorruptError) as caught:
        Ledger.open(ledger_path)

    assert caught.value.newest_backup == newest
    assert str(newest) in str(caught.value)
    with Ledger.open(newest) as restored:
        assert restored.count() == 1
