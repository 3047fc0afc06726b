"""The passage export as CSV at the csv module's pace, byte for byte what ``write_table`` writes.

SQLite computes what it can exactly: the local time (text arithmetic on a fixed UTC offset), the
outcome's words, and whether a row holds anything ``safe_cell`` could change (a formula trigger
first, a control character, a cell too long, an ID number still to mask, an odd value). Rows
with nothing of the kind, nearly all, go straight to the csv module with only the reasons parsed
(once, and not at all when there are none). A row that could change is read whole and written
through the columns and ``safe_cell`` like before, so the output never depends on the shortcut.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from gatehouse.reports.cells import (
    Cell,
    IdNumbers,
    safe_cell,
    safe_text,
)
from gatehouse.reports.columns import Column, passage_columns
from gatehouse.reports.plain_rows import careful_sql, plain_select, selected_cells
from gatehouse.reports.progress import CancelToken, ProgressCallback
from gatehouse.reports.table import write_cells
from gatehouse.store.queries import PassageFilter, PassageQueries


def write_passages_csv(
    queries: PassageQueries,
    search: PassageFilter,
    path: Path,
    zone: timezone,
    id_numbers: IdNumbers,
    now: datetime,
    *,
    total: int,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    progress_every: int,
) -> int:
    """Write the passages matching ``search`` to the CSV file; the number of rows."""
    columns = passage_columns(zone, id_numbers, now)
    select = _select(zone, id_numbers, queries.stored_columns())
    rows = queries.iter_selected(search, select)
    return write_cells(
        _cells(rows, queries, columns, queries.overridden_ids()),
        [safe_text(c.header) for c in columns],
        path,
        "csv",
        total=total,
        progress=progress,
        cancel=cancel,
        progress_every=progress_every,
    )


def _select(zone: timezone, id_numbers: IdNumbers, stored: frozenset[str]) -> str:
    def column(name: str) -> str:
        return name if name in stored else "NULL"

    careful = careful_sql(id_numbers, column, (f"{column('decided_at')} NOT LIKE '%+00:00'",))
    return ", ".join(plain_select(zone, column, "decided_at", careful))


def _cells(
    rows: Iterator[tuple[Any, ...]],
    queries: PassageQueries,
    columns: Sequence[Column],
    overridden: frozenset[str],
) -> Iterator[Sequence[Cell]]:
    def careful(row: tuple[Any, ...]) -> list[Cell]:
        stored = queries.row_at(row[-1])  # each row ends with its rowid
        return [safe_cell(column.value(stored)) for column in columns]

    return selected_cells(rows, careful, overridden)
