"""Writing rows through columns to a CSV or XLSX file: the part of an export that needs no ledger.

The booth's exports (``export.py``) and the hub's downloads share it, so a spreadsheet from the
office is neutralised and masked exactly as one from a booth. The file appears only when
complete: rows go to ``<name>.part`` and it is renamed at the end, so a cancelled or failed
export leaves nothing a supervisor could mistake for the whole search.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from gatehouse.reports.cells import Cell, safe_cell, safe_text
from gatehouse.reports.columns import Column, Row
from gatehouse.reports.progress import CancelToken, ProgressCallback, no_progress
from gatehouse.reports.sinks import SHEET_TITLE, WRITERS

PROGRESS_EVERY = 2000  # rows between progress reports: often enough for a bar, cheap for signals


def partial_path(path: Path) -> Path:
    """Where ``write_table`` writes until the file is complete."""
    return path.with_name(path.name + ".part")


def write_table(
    rows: Iterable[Row],
    columns: Sequence[Column],
    path: Path,
    format: str,
    *,
    total: int = 0,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    progress_every: int = PROGRESS_EVERY,
    title: str = SHEET_TITLE,
    caption: str = "",
) -> int:
    """Write ``rows`` through ``columns`` to ``path``; returns the number of rows written.

    ``caption``, when given, is a first row above the header (what, where, which period).
    Raises ``JobCancelledError`` (after removing the partial file) when ``cancel`` is set.
    """
    return write_cells(
        ([safe_cell(column.value(row)) for column in columns] for row in rows),
        [safe_text(c.header) for c in columns],
        path,
        format,
        total=total,
        progress=progress,
        cancel=cancel,
        progress_every=progress_every,
        title=title,
        caption=safe_text(caption),
    )


def write_cells(
    rows: Iterable[Sequence[Cell]],
    header: Sequence[str],
    path: Path,
    format: str,
    *,
    total: int = 0,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    progress_every: int = PROGRESS_EVERY,
    title: str = SHEET_TITLE,
    caption: str = "",
) -> int:
    """``write_table`` for rows already made into safe cells (``header`` and ``caption`` too)."""
    if format not in WRITERS:
        raise ValueError(f"unknown export format {format!r}; choose one of {sorted(WRITERS)}")
    partial = partial_path(path)
    sink = WRITERS[format][1](partial, header, title, caption)
    counted = _Counted(progress, cancel, progress_every, total)
    try:
        try:
            sink.write_all(counted.rows(rows))
            if cancel is not None:
                cancel.check()
        finally:
            sink.close()
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    progress(counted.written, max(total, counted.written))
    return counted.written


class _Counted:
    """Passes rows on to a writer, counting them, reporting progress and checking for a cancel
    every ``every`` rows (a writer that pulls rows gets the same as one they are pushed to)."""

    def __init__(
        self, progress: ProgressCallback, cancel: CancelToken | None, every: int, total: int
    ) -> None:
        self._progress = progress
        self._cancel = cancel
        self._every = every
        self._total = total
        self.written = 0

    def rows(self, rows: Iterable[Sequence[Cell]]) -> Iterator[Sequence[Cell]]:
        """The rows, ``every`` at a time: counted and checked once per batch, each row passed
        on at C speed (``chain``), not through a Python frame (the CSV fast paths' cost)."""
        return itertools.chain.from_iterable(self._batches(iter(rows)))

    def _batches(self, rows: Iterator[Sequence[Cell]]) -> Iterator[list[Sequence[Cell]]]:
        while batch := list(itertools.islice(rows, self._every)):
            self.written += len(batch)
            if len(batch) == self._every:
                if self._cancel is not None:
                    self._cancel.check()
                self._progress(self.written, self._total)
            yield batch
