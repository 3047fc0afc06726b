"""``gatehouse export`` as IT runs it: a real process on a real ledger, which it only reads."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from gatehouse.core.china_time import CHINA_TIME
from gatehouse.reports.export import ExportRequest
from gatehouse.store import Ledger
from gatehouse.store.queries import PassageFilter, PassageQueries
from tests.factories import make_passage

FIRST = datetime(2026, 11, 30, 16, tzinfo=UTC)  # 2026-12-01 00:00 China time


def _export(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": "Asia/Shanghai"}  # the booth PC's clock
    return subprocess.run(
        [sys.executable, "-m", "gatehouse", "export", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.sqlite3"
    with Ledger.open(path) as ledger:
        passages = [
            make_passage(decided_at=FIRST + timedelta(hours=6 * i), holder_name=f"=name{i}")
            for i in range(20)  # five days, four a day
        ]
        ledger.record_many(passages).result()
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_csv_of_two_days_is_the_desks_export_and_the_ledger_is_untouched(
    ledger_path: Path, tmp_path: Path
) -> None:
    before = _digest(ledger_path)
    out = tmp_path / "days.csv"
    done = _export(
        "--database", ledger_path, "--from", "2026-12-02", "--to", "2026-12-03", "--out", out
    )
    assert done.returncode == 0, done.stderr
    assert "exported 8 passages" in done.stdout

    desk = tmp_path / "desk.csv"
    search = PassageFilter(
        start=datetime(2026, 12, 2, tzinfo=CHINA_TIME), end=datetime(2026, 12, 4, tzinfo=CHINA_TIME)
    )
    ExportRequest(search, desk, "csv", zone=CHINA_TIME).write(
        PassageQueries(ledger_path), now=datetime.now(UTC)
    )
    assert out.read_bytes() == desk.read_bytes()
    assert _digest(ledger_path) == before
    wal = ledger_path.with_name(ledger_path.name + "-wal")  # a reader may leave it, empty
    assert not wal.exists() or wal.stat().st_size == 0


def test_xlsx_holds_the_rows_as_text(ledger_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "days.xlsx"
    done = _export(
        "--database",
        ledger_path,
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-05",
        "--format",
        "xlsx",
        "--out",
        out,
    )
    assert done.returncode == 0, done.stderr
    rows = list(openpyxl.load_workbook(out, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 21
    assert rows[1][rows[0].index("姓名 Name")] == "'=name0"  # neutralised, never a formula


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--from", "2026-12-03", "--to", "2026-12-02"), "is before --from"),
        (("--from", "2026-12-32", "--to", "2026-12-02"), "is not a day"),
    ],
)
def test_bad_days_are_refused(
    ledger_path: Path, tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    done = _export("--database", ledger_path, *args, "--out", tmp_path / "x.csv")
    assert done.returncode != 0
    assert words in done.stderr
    assert not (tmp_path / "x.csv").exists()


def test_a_missing_or_foreign_file_is_named(tmp_path: Path) -> None:
    missing = _export(
        "--database",
        tmp_path / "none.sqlite3",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-01",
        "--out",
        tmp_path / "x.csv",
    )
    assert missing.returncode == 1
    assert "no ledger file there" in missing.stderr
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database")
    refused = _export(
        "--database",
        foreign,
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-01",
        "--out",
        tmp_path / "x.csv",
    )
    assert refused.returncode == 1
    assert "cannot read the ledger" in refused.stderr
    assert not (tmp_path / "x.csv").exists()
