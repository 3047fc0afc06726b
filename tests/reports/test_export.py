"""Passage exports: what lands in each file format, masking, the audit, progress, cancelling."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest

from gatehouse.core.rules.persons import check_character
from gatehouse.reports import sinks
from gatehouse.reports.cells import IdNumbers
from gatehouse.reports.export import ExportRequest, export_passages
from gatehouse.reports.progress import CancelToken, JobCancelledError
from gatehouse.store import Ledger
from gatehouse.store.queries import PassageFilter, PassageQueries
from tests.factories import make_passage

EVIL_NAME = '=HYPERLINK("http://evil.example","点我")'
CST = timezone(timedelta(hours=8))
ID_NUMBER = "11010519491231002" + check_character("11010519491231002")


def _fill(ledger: Ledger, count: int, **fields: object) -> None:
    start = datetime(2024, 3, 1, tzinfo=UTC)
    futures = [
        ledger.record(make_passage(decided_at=start + timedelta(seconds=i), **fields))
        for i in range(count)
    ]
    for future in futures:
        future.result()


def _read(path: Path) -> list[list[object]]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [list(row) for row in csv.reader(handle)]
    book = openpyxl.load_workbook(path)
    return [[cell.value for cell in row] for sheet in book.worksheets for row in sheet.iter_rows()]


def _audit_events(ledger: Ledger) -> list[dict[str, object]]:
    with sqlite3.connect(ledger.path) as conn:
        rows = conn.execute("SELECT kind, actor, details FROM audit_events").fetchall()
    return [{"kind": k, "actor": a, "details": json.loads(d)} for k, a, d in rows]


@pytest.mark.parametrize("format", ["csv", "xlsx", "xlsx-openpyxl"])
def test_a_formula_in_a_name_is_exported_as_text(
    ledger: Ledger, queries: PassageQueries, tmp_path: Path, format: str
) -> None:
    _fill(ledger, 1, holder_name=EVIL_NAME, temperature_c=36.54)
    path = tmp_path / f"out.{format.split('-')[0]}"
    done = export_passages(
        queries,
        ExportRequest(PassageFilter(), path, format, zone=CST),
        audit=None,
        booth_id="b",
        actor="supervisor",
    )
    assert done.rows == 1
    header, row = _read(path)
    assert header[0] == "时间 Time (UTC+08:00)"
    assert str(row[0]) == "2024-03-01 08:00:00"  # a date-time in a spreadsheet, text in CSV
    assert row[header.index("姓名 Name")] == "'" + EVIL_NAME
    temperature = row[header.index("体温 Temperature °C")]
    assert float(str(temperature)) == 36.5
    if path.suffix == ".xlsx":
        cell = openpyxl.load_workbook(path).active.cell(row=2, column=header.index("姓名 Name") + 1)
        assert cell.data_type == "s"  # a string, not a formula
        assert isinstance(temperature, float)  # numbers stay numbers
        assert isinstance(row[0], datetime)  # times are real date-times


def test_a_masked_export_is_audited_and_full_numbers_need_the_audit(
    ledger: Ledger, queries: PassageQueries, tmp_path: Path
) -> None:
    _fill(ledger, 2)
    path = tmp_path / "full.csv"
    request = ExportRequest(PassageFilter(person=ID_NUMBER), path, "csv", IdNumbers.FULL)
    with pytest.raises(PermissionError, match="audited"):
        export_passages(queries, request, audit=None, booth_id="b", actor="supervisor")
    assert not path.exists()

    done = export_passages(queries, request, audit=ledger, booth_id="gate-1", actor="supervisor")
    assert done.audit_event is not None
    (event,) = _audit_events(ledger)
    assert event["kind"] == "export" and event["actor"] == "supervisor"
    details = event["details"]
    assert isinstance(details, dict)
    assert details["id_numbers"] == "full" and details["file"] == "full.csv"
    assert (
        details["person"] == "1101**********" + ID_NUMBER[-4:]
    )  # never a full number in the trail


def test_progress_rises_to_the_total(
    ledger: Ledger, queries: PassageQueries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gatehouse.reports.export.PROGRESS_EVERY", 4)
    _fill(ledger, 10)
    seen: list[tuple[int, int]] = []
    export_passages(
        queries,
        ExportRequest(PassageFilter(), tmp_path / "p.csv", "csv"),
        audit=None,
        booth_id="b",
        actor="s",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(4, 10), (8, 10), (10, 10)]


def test_cancelling_leaves_no_file(
    ledger: Ledger, queries: PassageQueries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gatehouse.reports.export.PROGRESS_EVERY", 2)
    _fill(ledger, 10)
    token = CancelToken()
    path = tmp_path / "cancelled.xlsx"

    def cancel_midway(done: int, _total: int) -> None:
        if done >= 4:
            token.cancel()

    with pytest.raises(JobCancelledError):
        export_passages(
            queries,
            ExportRequest(PassageFilter(), path, "xlsx"),
            audit=None,
            booth_id="b",
            actor="s",
            progress=cancel_midway,
            cancel=token,
        )
    assert list(tmp_path.glob("cancelled*")) == []


@pytest.mark.parametrize("format", ["xlsx", "xlsx-openpyxl"])
def test_a_full_sheet_continues_on_a_new_one_with_its_header(
    ledger: Ledger,
    queries: PassageQueries,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    format: str,
) -> None:
    monkeypatch.setattr(sinks, "SHEET_ROWS", 3)  # header + 2 rows per sheet
    _fill(ledger, 5)
    path = tmp_path / "many.xlsx"
    export_passages(
        queries,
        ExportRequest(PassageFilter(), path, format),
        audit=None,
        booth_id="b",
        actor="s",
    )
    book = openpyxl.load_workbook(path)
    assert [sheet.max_row for sheet in book.worksheets] == [3, 3, 2]
    assert {sheet.cell(1, 2).value for sheet in book.worksheets} == {"岗亭 Booth"}


def test_an_empty_search_gives_a_file_with_only_the_header(
    queries: PassageQueries, tmp_path: Path
) -> None:
    for format, name in (("csv", "e.csv"), ("xlsx", "e.xlsx"), ("xlsx-openpyxl", "o.xlsx")):
        export_passages(
            queries,
            ExportRequest(PassageFilter(), tmp_path / name, format),
            audit=None,
            booth_id="b",
            actor="s",
        )
        assert len(_read(tmp_path / name)) == 1


def test_an_unknown_format_is_refused_before_anything_is_written(
    queries: PassageQueries, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="unknown export format 'ods'"):
        export_passages(
            queries,
            ExportRequest(PassageFilter(), tmp_path / "x.ods", "ods"),
            audit=None,
            booth_id="b",
            actor="s",
        )
    assert list(tmp_path.glob("x.ods*")) == []


@pytest.mark.parametrize(
    ("format", "rust"), [("xlsx", True), ("xlsx", False), ("xlsx-openpyxl", False)]
)
def test_a_spreadsheet_opens_ready_to_read(
    ledger: Ledger,
    queries: PassageQueries,
    tmp_path: Path,
    format: str,
    rust: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bold header that stays in view, a filter on it, date-times, columns fitted: by the
    Rust writer (an export that fits one sheet) as by XlsxWriter (one that may not)."""
    if not rust:
        monkeypatch.setattr(sinks, "ROOM_FOR_NEW_ROWS", sinks.SHEET_ROWS)
    _fill(ledger, 3, id_masked="110105**********1234")
    path = tmp_path / "out.xlsx"
    export_passages(
        queries,
        ExportRequest(PassageFilter(), path, format, zone=CST),
        audit=None,
        booth_id="b",
        actor="supervisor",
    )
    sheet = openpyxl.load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(len(header))
    assert sheet.auto_filter.ref == f"A1:{last}4"
    when = sheet.cell(row=2, column=1)
    assert when.is_date and when.number_format == "yyyy-mm-dd hh:mm:ss"
    id_column = openpyxl.utils.get_column_letter(header.index("证件号 ID number") + 1)
    width = sheet.column_dimensions[id_column].width
    assert width >= len("证件号 ID number") + 3 + 3  # the header's Chinese counts double
    if format == "xlsx":  # XlsxWriter and Rust fit the rows; openpyxl's write-only mode the header
        time_width = sheet.column_dimensions["A"].width
        assert width >= len("110105**********1234") and time_width >= 19
