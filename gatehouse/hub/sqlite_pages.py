"""The hub's all-booth CSV pages on SQLite, read with the ``sqlite3`` module alone.

The hub compiles the page queries (``hub.sqlite_export``, with SQLAlchemy) and its export child
runs them here: the child imports no SQLAlchemy, a third of a second of every export's start.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gatehouse.reports.cells import Cell
from gatehouse.reports.plain_rows import selected_cells


@dataclass(frozen=True)
class SqlitePages:
    """One export's compiled queries: ``first`` reads the first page, ``then`` each page after
    the (time, id) key of the last row read, whose two parts go to the ``key_slots`` (one
    index per part) of ``then_params``; ``record`` reads a careful row's stored record."""

    first: str
    first_params: tuple[Any, ...]
    then: str
    then_params: tuple[Any, ...]
    key_slots: tuple[tuple[int, ...], tuple[int, ...]]
    record: str
    page: int


def page_cells(
    conn: sqlite3.Connection,
    pages: SqlitePages,
    careful_cells: Callable[[Mapping[str, Any]], Sequence[Cell]],
) -> Iterator[Sequence[Cell]]:
    """The cells of every row ``pages`` reads, oldest first; a careful record's are
    ``careful_cells(record)``. Each selected row ends with its (time, id) key."""

    def careful(row: tuple[Any, ...]) -> Sequence[Cell]:
        found = conn.execute(pages.record, (row[-1],)).fetchone()
        if found is None:  # a passage is never deleted: the database changed under the export
            raise LookupError(f"passage {row[-1]!r} vanished during the export")
        return careful_cells(json.loads(found[0]))

    rows = conn.execute(pages.first, pages.first_params).fetchall()
    while True:
        yield from selected_cells(rows, careful)
        if len(rows) < pages.page:
            return
        params = list(pages.then_params)
        for part, slots in enumerate(pages.key_slots):
            for slot in slots:
                params[slot] = rows[-1][part - 2]
        rows = conn.execute(pages.then, params).fetchall()
