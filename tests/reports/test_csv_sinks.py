"""The CSV writers: the fast paths' writer (``csv-text``, no per-row look) writes what the
general one writes once times are text, and rows are counted in batches as one by one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from gatehouse.reports.cells import Cell
from gatehouse.reports.sinks import csv_cells
from gatehouse.reports.table import write_cells

ROWS: list[list[Cell]] = [
    [datetime(2024, 3, 1, 8, 0, 5, tzinfo=UTC), "张三", None, 36.5, 7],
    ["2024-03-01 08:00:06", 'say "hi"', "two\nlines", None, -1],
    [datetime(1999, 12, 31, 23, 59, 59), "", "a,b", 0.1, None],
]


def test_the_text_writer_writes_what_the_csv_writer_does_once_times_are_text(
    tmp_path: Path,
) -> None:
    general, text = tmp_path / "general.csv", tmp_path / "text.csv"
    assert write_cells(ROWS, ["t", "n", "x", "c", "i"], general, "csv") == 3
    assert write_cells(map(csv_cells, ROWS), ["t", "n", "x", "c", "i"], text, "csv-text") == 3
    assert text.read_bytes() == general.read_bytes()
    assert "2024-03-01 08:00:05" in general.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [(0, [(0, 0)]), (6, [(3, 0), (6, 0), (6, 6)]), (7, [(3, 0), (6, 0), (7, 7)])],
)
def test_rows_are_counted_every_few_and_at_the_end(
    tmp_path: Path, rows: int, expected: list[tuple[int, int]]
) -> None:
    seen: list[tuple[int, int]] = []
    written = write_cells(
        ([str(n)] for n in range(rows)),
        ["n"],
        tmp_path / "n.csv",
        "csv-text",
        progress=lambda done, total: seen.append((done, total)),
        progress_every=3,
    )
    assert written == rows and seen == expected
    lines = (tmp_path / "n.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["n", *map(str, range(rows))]
