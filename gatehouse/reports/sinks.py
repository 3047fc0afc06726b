"""Table files written row by row in constant memory: CSV and two XLSX writers.

Both XLSX writers stream rows to disk (openpyxl ``write_only``, XlsxWriter ``constant_memory``)
so a year of passages never sits in memory; ``bench/bench_exports.py`` compares their speed.
Cells arrive already neutralised (``cells.safe_cell``); the writers are also configured never to
turn text into formulas, numbers or links on their own.

A spreadsheet opens ready to read: an optional caption row (what, where, which period), a bold
header that stays in view, a filter on it, times as real date-times with a format, and columns
as wide as their content. XlsxWriter (the desk's writer) fits widths to every row; openpyxl's
write-only mode fixes widths before the first row, so it fits them to the header only.
"""

from __future__ import annotations

import csv
import itertools
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Protocol

from gatehouse.reports.cells import DATETIME_TEXT, Cell

# Excel's sheet limit is 1,048,576 rows; a longer export continues on a new sheet.
SHEET_ROWS = 1_048_576
SHEET_TITLE = "通行记录 Passages"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATETIME_SHOWN = "2024-03-01 08:00:00"  # as DATETIME_FORMAT shows a time
MAX_WIDTH = 60  # characters: longer text (all the reasons) wraps in the cell instead


def display_width(cell: Cell) -> int:
    """How many narrow characters ``cell`` takes on screen (Chinese characters take two)."""
    if cell is None:
        return 0
    if isinstance(cell, datetime):
        return len(DATETIME_SHOWN)
    text = cell if isinstance(cell, str) else str(cell)
    if text.isascii():  # most cells: counted without looking at each character
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


class _Widths:
    """The widest cell seen per column, capped, plus a margin for the filter button."""

    def __init__(self, header: Sequence[str]) -> None:
        self._widest = [display_width(name) for name in header]

    def see(self, cells: Sequence[Cell]) -> None:
        for index, cell in enumerate(cells[: len(self._widest)]):
            width = display_width(cell)
            if width > self._widest[index]:
                self._widest[index] = width

    def columns(self) -> list[float]:
        return [min(width, MAX_WIDTH) + 3 for width in self._widest]


# Rows that may be logged between counting an export and reading it (the Rust writer's one sheet).
ROOM_FOR_NEW_ROWS = 10_000
WIDTH_SAMPLE = 1000  # rows the Rust writer's column widths are fitted to


class TableSink(Protocol):
    """Receives the header when made, then every row through ``write_all``; ``close``
    finishes the file."""

    def write_all(self, rows: Iterable[Sequence[Cell]]) -> None: ...

    def close(self) -> None: ...


class CsvSink:
    """UTF-8 with a byte-order mark, so Excel on a Chinese Windows opens it without mojibake.

    A CSV file has no sheets: ``title`` is accepted like the XLSX writers' and not used.
    """

    def __init__(
        self, path: Path, header: Sequence[str], title: str = SHEET_TITLE, caption: str = ""
    ) -> None:
        self._file: IO[str] = path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._file)
        if caption:
            self._writer.writerow([caption])
        self._writer.writerow(header)

    def write_all(self, rows: Iterable[Sequence[Cell]]) -> None:
        self._writer.writerows(map(csv_cells, rows))  # the csv module writes None as empty

    def close(self) -> None:
        self._file.close()


class TextCsvSink(CsvSink):
    """The CSV of rows that hold no time (the fast paths' rows, their careful ones through
    ``csv_cells``): handed to the csv module as they come, nothing looked at per row."""

    def write_all(self, rows: Iterable[Sequence[Cell]]) -> None:
        self._writer.writerows(rows)


def csv_cells(cells: Sequence[Cell]) -> Sequence[Cell]:
    """A row's times as DATETIME_TEXT; a row without one (most) as it is.

    The test runs at C speed (``map`` and ``any``, no Python frame per cell): ``CsvSink`` pays
    it on every row of the export."""
    if any(map(isinstance, cells, _DATETIMES)):
        return [c.strftime(DATETIME_TEXT) if isinstance(c, datetime) else c for c in cells]
    return cells


_DATETIMES = itertools.repeat(datetime)  # ``isinstance``'s second argument, for any number of cells


class _SheetRows:
    """Counts rows per sheet and asks for a new sheet (header repeated) when one is full.

    ``row`` is the next row to write (0-based); the first rows of each sheet are the caption
    (when there is one) and the header, which ``header_row`` locates."""

    def __init__(
        self, header: Sequence[str], new_sheet: Callable[[int], None], caption: str = ""
    ) -> None:
        self._header = list(header)
        self._new_sheet = new_sheet
        self.caption = caption
        self.header_row = 1 if caption else 0
        self._sheets = 0
        self.row = SHEET_ROWS  # forces the first sheet

    def next_row(self) -> int:
        if self.row >= SHEET_ROWS:
            self._sheets += 1
            self._new_sheet(self._sheets)
            self.row = self.header_row + 1
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

    def __init__(
        self, path: Path, header: Sequence[str], title: str = SHEET_TITLE, caption: str = ""
    ) -> None:
        from openpyxl import Workbook  # imported here: only this writer needs it

        self._path = path
        self._title = title
        self._book = Workbook(write_only=True)
        self._sheet: Any = None
        self._sheets: list[tuple[Any, int]] = []  # each sheet and its last row (1-based)
        self._rows = _SheetRows(header, self._new_sheet, caption)

    def _new_sheet(self, number: int) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self._end_sheet()
        sheet = self._book.create_sheet(sheet_title(number, self._title))
        for index, width in enumerate(_Widths(self._rows.header).columns(), 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = f"A{self._rows.header_row + 2}"
        if self._rows.caption:
            caption = WriteOnlyCell(sheet, self._rows.caption)
            caption.font = Font(bold=True, size=12)
            sheet.append([caption])
        header = []
        for name in self._rows.header:
            cell = WriteOnlyCell(sheet, name)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        self._sheet = sheet

    def _end_sheet(self) -> None:
        """The filter covers the header and every row the sheet got."""
        from openpyxl.utils import get_column_letter

        if self._sheet is not None:
            first = self._rows.header_row + 1
            last = min(self._rows.row, SHEET_ROWS)
            right = get_column_letter(max(len(self._rows.header), 1))
            self._sheet.auto_filter.ref = f"A{first}:{right}{max(last, first)}"

    def write_all(self, rows: Iterable[Sequence[Cell]]) -> None:
        for cells in rows:
            self.write_row(cells)

    def write_row(self, cells: Sequence[Cell]) -> None:
        self._rows.next_row()
        assert self._sheet is not None
        self._sheet.append([self._dated(cell) for cell in cells])

    def _dated(self, cell: Cell) -> Any:
        """A time gets the same number format as XlsxWriter's (openpyxl's omits the hour's 0)."""
        if not isinstance(cell, datetime):
            return cell
        from openpyxl.cell import WriteOnlyCell

        dated = WriteOnlyCell(self._sheet, cell)
        dated.number_format = DATETIME_FORMAT
        return dated

    def close(self) -> None:
        if self._sheet is None:
            self._new_sheet(1)
        self._end_sheet()
        self._book.save(self._path)


class XlsxWriterSink:
    """XlsxWriter in constant-memory mode: each row is flushed once the next one starts."""

    def __init__(
        self, path: Path, header: Sequence[str], title: str = SHEET_TITLE, caption: str = ""
    ) -> None:
        import xlsxwriter

        self._title = title
        self._book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "default_date_format": DATETIME_FORMAT,
            },
        )
        self._bold = self._book.add_format({"bold": True, "bottom": 1, "bg_color": "#EDEDED"})
        self._caption = self._book.add_format({"bold": True, "font_size": 12})
        self._sheet: Any = None
        self._widths = _Widths(header)
        self._rows = _SheetRows(header, self._new_sheet, caption)

    def _new_sheet(self, number: int) -> None:
        self._end_sheet()
        self._sheet = self._book.add_worksheet(sheet_title(number, self._title))
        if self._rows.caption:
            self._sheet.write_string(0, 0, self._rows.caption, self._caption)
        self._sheet.write_row(self._rows.header_row, 0, self._rows.header, self._bold)
        self._sheet.freeze_panes(self._rows.header_row + 1, 0)

    def _end_sheet(self) -> None:
        """Widths fitted to every row so far; the filter over the header and the sheet's rows."""
        if self._sheet is None:
            return
        for index, width in enumerate(self._widths.columns()):
            self._sheet.set_column(index, index, width)
        last = max(self._rows.row - 1, self._rows.header_row)
        columns = max(len(self._rows.header) - 1, 0)
        self._sheet.autofilter(self._rows.header_row, 0, last, columns)

    def write_all(self, rows: Iterable[Sequence[Cell]]) -> None:
        for cells in rows:
            self.write_row(cells)

    def write_row(self, cells: Sequence[Cell]) -> None:
        row = self._rows.next_row()
        assert self._sheet is not None
        self._widths.see(cells)
        self._sheet.write_row(row, 0, list(cells))

    def close(self) -> None:
        if self._sheet is None:
            self._new_sheet(1)
        self._end_sheet()
        self._book.close()


class TooManyRowsError(RuntimeError):
    """More rows came than the one-sheet writer was chosen for; nothing is kept."""


class RustXlsxSink:
    """rustpy-xlsxwriter: a Rust writer streaming rows it pulls from an iterator, many times
    faster than the Python writers (``bench/bench_exports_speed.py``).

    It takes every row at once (``write_all``) and one sheet only, since its sheets are named
    before it pulls the first row: the export chooses it when the rows are counted to fit. The
    sheet looks like XlsxWriter's (caption, bold frozen header, filter, date-time format); its
    widths are set before the rows stream, so they are fitted to the first ``WIDTH_SAMPLE``.
    """

    def __init__(
        self, path: Path, header: Sequence[str], title: str = SHEET_TITLE, caption: str = ""
    ) -> None:
        self._path = path
        self._header = list(header)
        self._given_title = title
        self._title = sheet_title(1, title)
        self._caption = caption

    def write_all(self, rows: Iterable[Sequence[Cell]]) -> None:
        from rustpy_xlsxwriter import FastExcel, Format  # only this writer needs it

        header = self._header
        header_row = 1 if self._caption else 0
        room = SHEET_ROWS - header_row - 1
        source = iter(rows)
        sampled = list(itertools.islice(source, min(WIDTH_SAMPLE, room)))
        if not sampled:  # without a row the Rust writer writes no header either
            XlsxWriterSink(self._path, header, self._given_title, self._caption).close()
            return
        widths = _Widths(header)
        for cells in sampled:
            widths.see(cells)
        records = (
            dict(zip(header, cells, strict=True))
            for cells in itertools.chain(sampled, itertools.islice(source, room - len(sampled)))
        )
        book = FastExcel(str(self._path))
        book.format(datetime_format=DATETIME_FORMAT).freeze(row=header_row + 1, col=0)
        book.sheet(
            self._title,
            records,
            column_widths=widths.columns(),
            header_format=Format()
            .set_bold()
            .set_border_bottom("thin")
            .set_background_color("#EDEDED"),
            header_row=header_row,
            merge_ranges=self._caption_cells(),
            autofilter=True,
        ).save()
        if next(source, None) is not None:
            raise TooManyRowsError(f"more than {room:,} rows for one sheet")

    def _caption_cells(self) -> list[tuple[Any, ...]] | None:
        """The caption across the top (Excel merges no single cell: at least two columns)."""
        if not self._caption:
            return None
        from rustpy_xlsxwriter import Format

        last = max(len(self._header) - 1, 1)
        return [(0, 0, 0, last, self._caption, Format().set_bold().set_font_size(12))]

    def close(self) -> None:
        """Nothing left to do: ``write_all`` wrote the file."""


def writer_for(format: str, rows: int) -> str:
    """The writer for ``rows`` counted rows: "xlsx" is the Rust writer when they fit one sheet
    with room for passages logged meanwhile, else XlsxWriter, which goes on to new sheets."""
    if format == "xlsx" and rows + ROOM_FOR_NEW_ROWS < SHEET_ROWS:
        return "xlsx-rust"
    return format


SinkFactory = Callable[[Path, Sequence[str], str, str], TableSink]

# format name -> (file suffix, writer)
WRITERS: dict[str, tuple[str, SinkFactory]] = {
    "csv": (".csv", CsvSink),
    "csv-text": (".csv", TextCsvSink),  # rows already without times: the fast paths'
    "xlsx": (".xlsx", XlsxWriterSink),
    "xlsx-openpyxl": (".xlsx", OpenpyxlSink),
    "xlsx-rust": (".xlsx", RustXlsxSink),
}
