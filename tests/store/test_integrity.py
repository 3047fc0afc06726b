from pathlib import Path

import pytest

from gatehouse.store import Ledger, LedgerCorruptError
from tests.factories import make_passage


def test_file_that_is_not_a_database_is_reported_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(b"this is not an SQLite database\n" * 200)

    with pytest.raises(LedgerCorruptError) as caught:
        Ledger.open(path)

    assert caught.value.path == path
    assert "not a database" in caught.value.message


def _write_passages_and_load_file(path: Path) -> bytearray:
    with Ledger.open(path) as ledger:
        for _ in range(200):
            ledger.record(make_passage(scanned_text="x" * 500)).result()
    return bytearray(path.read_bytes())


def test_unreadable_pages_are_reported_as_corrupt(ledger_path: Path) -> None:
    data = _write_passages_and_load_file(ledger_path)
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size : 4 * page_size] = b"\xa5" * (3 * page_size)  # keep the header page intact
    ledger_path.write_bytes(bytes(data))

    with pytest.raises(LedgerCorruptError) as caught:
        Ledger.open(ledger_path)

    assert caught.value.path == ledger_path
    assert "malformed" in caught.value.message


def test_problems_listed_by_quick_check_are_reported(ledger_path: Path) -> None:
    data = _write_passages_and_load_file(ledger_path)
    page_size = int.from_bytes(data[16:18], "big")
    data[len(data) - page_size + 7] += 5  # last page's fragmented-bytes count, now wrong
    ledger_path.write_bytes(bytes(data))

    with pytest.raises(LedgerCorruptError) as caught:
        Ledger.open(ledger_path)

    assert "Fragmentation" in caught.value.message


def test_new_ledger_creates_missing_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "ledger.sqlite3"
    with Ledger.open(path) as ledger:
        assert ledger.path == path.resolve()
        assert ledger.count() == 0
    assert path.is_file()
