"""Table files written row by row in constant memory: CSV and two XLSX writers.

Both XLSX writers stream rows to disk (openpyxl ``write_only``, XlsxWriter ``constant_memory``)
so a year of passages never sits in memory; ``bench/bench_exports.py`` compares their speed.
Cells arrive already neutralised (``cells.safe_cell``); the writers are also configured never to
turn text into formulas, numbers or links on their own.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from gatehouse.reports.cells import Cell

# Excel's sheet limit is 1,048,576 rows; a longer export continues on a new sheet.
SHEET_ROWS = 1_048_576
SHEET_TITLE = "通行记录 Passages"
# Rows that may be logged between counting an export and reading it (the Rust writer's one sheet).
ROOM_FOR_NEW_ROWS = 10_000


class TableSink(Protocol):
    """Receives the header when made, then every row through ``write_all``; ``close``
    finishes the file."""

    def write_all(self, rows: Iterable[Sequence[Cell]]) -> None: ...

    def close(self) -> None: ...


class CsvSink:
    """UTF-8 with a byte-order mark, so Excel on a Chinese Windows opens it without mojibake.

    A CSV file has no sheets: ``title`` is accepted like the XLSX writers' and not used.
    """

    def __init__(self, path: Path, header: Sequence[str], title: str = SHEET_TITLE) -> None:
        self._file: IO[str] = path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._file)
        self._writer.writerow(header)

    def write_all(self, rows: Iterable[Sequence[Cell]]) -> None:
        self._writer.writerows(rows)  # the csv module writes None as an empty field

    def close(self) -> None:
        self._file.close()


class _SheetRows:
    """Counts rows per sheet and asks for a new sheet (header repeated) when one is full."""

    def __init__(self, header: Sequence[str], new_sheet: Callable[[int], None]) -> None:
        self._header = list(header)
        self._new_sheet = new_sheet
        self._sheets = 0
        self.row = SHEET_ROWS  # forces the first sheet

    def next_row(self) -> int:
        if self.row >= SHEET_ROWS:
            self._sheets += 1
            self._new_sheet(self._sheets)
            self.row = 1
        self.row += 1
        return self.row - 1

    @property
    def header(self) -> list[str]:
        return self._header


def sheet_title(number: int, title: str = SHEET_TITLE) -> str:
    """The sheet's name in the workbook (Excel keeps at most 31 characters)."""
    return (title if number == 1 else f"{title} {number}")[:31]


class OpenpyxlSink:
    """openpyxl in write-only mode: rows are serialised to a temporary file as they come."""

    def __init__(self, path: Path, header: Sequence[str], title: str = SHEET_TITLE) -> None:
        from openpyxl import Workbook  # imported here: only this writer needs it

        self._path = path
        self._title = title
        self._book = Workbook(write_only=True)
        self._sheet: Any = None
        self._rows = _SheetRows(header, self._new_sheet)

    def _new_sheet(self, number: int) -> None:
        self._sheet = self._book.create_sheet(sheet_title(number, self._title))
        self._sheet.append(self._rows.header)

    def write_all(self, rows: Iterable[Sequence[Cell]]) -> None:
        for cells in rows:
            self.write_row(cells)

    def write_row(self, cells: Sequence[Cell]) -> None:
        self._rows.next_row()
        assert self._sheet is not None
        self._sheet.append(list(cells))

    def close(self) -> None:
        if self._sheet is None:
            self._new_sheet(1)
        self._book.save(self._path)


class XlsxWriterSink:
    """XlsxWriter in constant-memory mode: each row is flushed once the next one starts."""

    def __init__(self, path: Path, header: Sequence[str], title: str = SHEET_TITLE) -> None:
        import xlsxwriter

        self._title = title
        self._book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self._sheet: Any = None
        self._rows = _SheetRows(header, self._new_sheet)

    def _new_sheet(self, number: int) -> None:
        self._sheet = self._book.add_worksheet(sheet_title(number, self._title))
        self._sheet.write_row(0, 0, self._rows.header)

    def write_all(self, rows: Iterable[Sequence[Cell]]) -> None:
        for cells in rows:
            self.write_row(cells)

    def write_row(self, cells: Sequence[Cell]) -> None:
        row = self._rows.next_row()
        assert self._sheet is not None
        self._sheet.write_row(row, 0, list(cells))

    def close(self) -> None:
        if self._sheet is None:
            self._new_sheet(1)
        self._book.close()


class TooManyRowsError(RuntimeError):
    """More rows came than the one-sheet writer was chosen for; nothing is kept."""


class RustXlsxSink:
    """rustpy-xlsxwriter: a Rust writer streaming rows it pulls from an iterator, many times
    faster than the Python writers (``bench/bench_exports_speed.py``).

    It takes every row at once (``write_all``) and one sheet only, since its sheets are named
    before it pulls the first row: the export chooses it when the rows are counted to fit.
    """

    def __init__(self, path: Path, header: Sequence[str], title: str = SHEET_TITLE) -> None:
        self._path = path
        self._header = list(header)
        self._given_title = title
        self._title = sheet_title(1, title)

    def write_all(self, rows: Iterable[Sequence[Cell]]) -> None:
        from rustpy_xlsxwriter import FastExcel  # imported here: only this writer needs it

        header = self._header
        room = SHEET_ROWS - 1
        source = iter(rows)
        first = next(source, None)
        if first is None:  # without a row the Rust writer writes no header either
            XlsxWriterSink(self._path, header, self._given_title).close()
            return
        records = (
            dict(zip(header, cells, strict=True))
            for cells in itertools.chain([first], itertools.islice(source, room - 1))
        )
        FastExcel(str(self._path), columns=header).sheet(self._title, records).save()
        if next(source, None) is not None:
            raise TooManyRowsError(f"more than {room:,} rows for one sheet")

    def close(self) -> None:
        """Nothing left to do: ``write_all`` wrote the file."""


def writer_for(format: str, rows: int) -> str:
    """The writer for ``rows`` counted rows: "xlsx" is the Rust writer when they fit one sheet
    with room for passages logged meanwhile, else XlsxWriter, which goes on to new sheets."""
    if format == "xlsx" and rows + ROOM_FOR_NEW_ROWS < SHEET_ROWS:
        return "xlsx-rust"
    return format


SinkFactory = Callable[[Path, Sequence[str], str], TableSink]

# format name -> (file suffix, writer)
WRITERS: dict[str, tuple[str, SinkFactory]] = {
    "csv": (".csv", CsvSink),
    "xlsx": (".xlsx", XlsxWriterSink),
    "xlsx-openpyxl": (".xlsx", OpenpyxlSink),
    "xlsx-rust": (".xlsx", RustXlsxSink),
}
