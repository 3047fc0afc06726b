"""The XLSX export's Rust writer: the same cells as XlsxWriter, one sheet, never a cut file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from gatehouse.core.china_time import CHINA_TIME
from gatehouse.reports import sinks
from gatehouse.reports.cells import IdNumbers
from gatehouse.reports.columns import passage_columns
from gatehouse.reports.export import ExportRequest
from gatehouse.reports.table import write_cells, write_table
from gatehouse.store import Ledger
from gatehouse.store.queries import PassageFilter, PassageQueries
from tests.factories import make_passage

NOW = datetime(2025, 1, 1, tzinfo=UTC)
NAMES = ('=HYPERLINK("http://evil.example","点我")', "张伟", "-1", "tab\there", "")


def _cells(path: Path) -> list[list[object]]:
    book = openpyxl.load_workbook(path)
    return [[c.value for c in row] for sheet in book.worksheets for row in sheet.iter_rows()]


@pytest.fixture
def queries(tmp_path: Path) -> PassageQueries:
    path = tmp_path / "ledger.sqlite3"
    start = datetime(2024, 3, 1, tzinfo=UTC)
    with Ledger.open(path) as ledger:
        ledger.record_many(
            make_passage(
                decided_at=start + timedelta(minutes=i),
                holder_name=NAMES[i % len(NAMES)],
                temperature_c=None if i % 4 == 0 else 36.25 + i / 100,
                guard_id=None,
            )
            for i in range(40)
        ).result()
    return PassageQueries(path)


def test_an_xlsx_export_that_fits_one_sheet_is_written_in_rust_with_xlsxwriters_cells(
    queries: PassageQueries, tmp_path: Path
) -> None:
    assert sinks.writer_for("xlsx", 40) == "xlsx-rust"
    rust = tmp_path / "rust.xlsx"
    ExportRequest(PassageFilter(), rust, "xlsx", zone=CHINA_TIME).write(queries, now=NOW)
    python = tmp_path / "python.xlsx"
    columns = passage_columns(CHINA_TIME, IdNumbers.MASKED, NOW)
    write_table(queries.iter_rows(PassageFilter()), columns, python, "xlsx")  # XlsxWriter

    cells = _cells(rust)
    assert cells == _cells(python)
    assert len(cells) == 41
    assert cells[1][cells[0].index("姓名 Name")] == "'" + NAMES[0]  # text, never a formula


def test_near_the_sheet_limit_xlsx_stays_with_xlsxwriter_which_adds_sheets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sinks, "SHEET_ROWS", 100)
    monkeypatch.setattr(sinks, "ROOM_FOR_NEW_ROWS", 10)
    assert sinks.writer_for("xlsx", 89) == "xlsx-rust"
    assert sinks.writer_for("xlsx", 90) == "xlsx"
    assert sinks.writer_for("csv", 10) == "csv"


def test_more_rows_than_one_sheet_fail_and_leave_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sinks, "SHEET_ROWS", 3)  # header + 2 rows
    path = tmp_path / "over.xlsx"
    with pytest.raises(sinks.TooManyRowsError, match="more than 2 rows"):
        write_cells(([str(i)] for i in range(3)), ["n"], path, "xlsx-rust")
    assert list(tmp_path.iterdir()) == []


def test_an_empty_rust_export_still_has_its_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    assert write_cells(iter(()), ["时间 Time", "岗亭 Booth"], path, "xlsx-rust") == 0
    assert _cells(path) == [["时间 Time", "岗亭 Booth"]]
