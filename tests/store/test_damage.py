"""A damaged ledger is found and named: missing or emptied when the booth had one, bytes
flipped inside a record, a truncated file; ``verify-ledger`` reads it without leaving anything
beside it, never prints a traceback and exits 3 naming the first damaged link."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gatehouse.booth.ledger_check import ChainCheck
from gatehouse.store import Ledger, LedgerCorruptError
from gatehouse.store.integrity import LedgerMissingError
from gatehouse.store.verify import TAIL_LINKS
from tests.factories import make_passage
from tests.gatehouse_process import run_gatehouse

MARK = "Flipme-Holder-%05d"


def _filled(path: Path, count: int) -> Path:
    """``count`` passages, each holder's name unique so a test can find its bytes."""
    with Ledger.open(path) as ledger:
        passages = [make_passage(holder_name=MARK % n) for n in range(count)]
        ledger.record_many(passages).result()
    assert not path.with_name(path.name + "-wal").exists()  # all in the main file
    return path


def _flip_inside_record(path: Path, n: int) -> None:
    """Change one letter of passage ``n``'s holder name in the file: SQLite still reads it."""
    data = bytearray(path.read_bytes())
    at = data.index((MARK % n).encode())
    data[at] = ord("G")
    path.write_bytes(bytes(data))


def _verify_command(path: Path) -> subprocess.CompletedProcess[str]:
    return run_gatehouse("verify-ledger", "--database", str(path), home=path.parent / "home")


def test_ledger_the_booth_had_is_refused_when_missing(ledger_path: Path) -> None:
    with pytest.raises(LedgerMissingError) as caught:
        Ledger.open(ledger_path, existing=True)

    assert caught.value.problem == "missing"
    assert "gatehouse restore" in str(caught.value)
    assert not ledger_path.exists()  # not silently recreated


def test_ledger_truncated_to_nothing_is_refused_not_reopened_empty(ledger_path: Path) -> None:
    _filled(ledger_path, 3)
    ledger_path.write_bytes(b"")

    with pytest.raises(LedgerMissingError) as caught:
        Ledger.open(ledger_path, existing=True)

    assert caught.value.problem == "empty"
    assert ledger_path.stat().st_size == 0


def test_bytes_flipped_in_a_recent_record_stop_the_start(ledger_path: Path) -> None:
    _filled(ledger_path, 20)
    _flip_inside_record(ledger_path, 12)

    with pytest.raises(LedgerCorruptError) as caught:
        Ledger.open(ledger_path)

    assert "link 13" in caught.value.message
    assert "changed" in caught.value.message


def test_older_damage_is_found_by_the_full_check_in_the_background(ledger_path: Path) -> None:
    _filled(ledger_path, TAIL_LINKS + 20)
    _flip_inside_record(ledger_path, 4)

    with Ledger.open(ledger_path) as ledger:  # the tail holds: the booth starts
        check = ChainCheck(ledger)
        check.start()
        check.join(60)

    assert check.problem is not None
    assert "link 5" in check.problem.en
    assert "gatehouse restore" in check.problem.en
    assert "信息部门" in check.problem.zh


def test_verify_ledger_names_the_flipped_record_and_exits_3(ledger_path: Path) -> None:
    _filled(ledger_path, 20)
    _flip_inside_record(ledger_path, 6)

    done = _verify_command(ledger_path)

    assert done.returncode == 3
    assert "link 7" in done.stdout
    assert "Traceback" not in done.stderr + done.stdout
    assert sorted(p.name for p in ledger_path.parent.iterdir()) == [ledger_path.name]


@pytest.mark.parametrize("keep", [0, 4096, 20_000])
def test_verify_ledger_on_a_truncated_file_exits_3_without_a_traceback(
    ledger_path: Path, keep: int
) -> None:
    _filled(ledger_path, 300)
    data = ledger_path.read_bytes()
    ledger_path.write_bytes(data[:keep])

    done = _verify_command(ledger_path)

    assert done.returncode == 3, done.stdout + done.stderr
    assert "DAMAGED" in done.stdout or "TAMPERED" in done.stdout
    assert "Traceback" not in done.stderr + done.stdout
    assert sorted(p.name for p in ledger_path.parent.iterdir()) == [ledger_path.name]


def test_verify_ledger_on_a_missing_file_exits_3(tmp_path: Path) -> None:
    done = _verify_command(tmp_path / "nowhere.sqlite3")

    assert done.returncode == 3
    assert "missing" in done.stdout
    assert not (tmp_path / "nowhere.sqlite3").exists()


def test_verify_ledger_on_an_intact_ledger_leaves_no_files_beside_it(ledger_path: Path) -> None:
    _filled(ledger_path, 5)
    before = ledger_path.stat().st_mtime_ns

    done = _verify_command(ledger_path)

    assert done.returncode == 0, done.stdout
    assert "links: 5" in done.stdout
    assert sorted(p.name for p in ledger_path.parent.iterdir()) == [ledger_path.name]
    assert ledger_path.stat().st_mtime_ns == before


def test_a_damaged_ledger_is_not_backed_up_over_the_good_backups(ledger_path: Path) -> None:
    from gatehouse.store.backup import backups, default_backup_folder

    folder = default_backup_folder(ledger_path)
    _filled(ledger_path, TAIL_LINKS + 20)
    with Ledger.open(ledger_path) as ledger:
        good = ledger.backup(folder, keep=1)
    _flip_inside_record(ledger_path, 3)  # older than any tail: only a full walk sees it

    with Ledger.open(ledger_path) as ledger, pytest.raises(LedgerCorruptError) as caught:
        ledger.backup(folder, keep=1)

    assert "link 4" in str(caught.value)
    assert backups(ledger_path, folder) == [good]  # the last good one stays
    assert sorted(p.name for p in folder.iterdir()) == [good.name]
