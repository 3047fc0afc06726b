"""What the hub's export child needs to write a file, without SQLAlchemy.

A child is spawned per export (``hub.export_process``) and what it imports is time the office
waits: SQLAlchemy alone is a fifth of a second. The SQLite CSV (``sqlite_csv``) reads pages the
hub compiled (``hub.sqlite_pages``) with the ``sqlite3`` module; other exports still open an
engine in the child. The import contract in ``pyproject.toml`` keeps this module light.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from gatehouse.hub.sqlite_pages import SqlitePages, page_cells
from gatehouse.reports.cells import Cell, IdNumbers, safe_cell, safe_text
from gatehouse.reports.columns import Column, Row, passage_columns
from gatehouse.reports.sinks import csv_cells
from gatehouse.reports.table import write_cells

log = logging.getLogger(__name__)
EXPORT_NICENESS = 10  # added to the hub's where there is no SCHED_IDLE

# format the office asks for -> (writer in sinks.WRITERS, media type)
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@dataclass(frozen=True)
class ExportFile:
    path: Path  # inside ``folder``; remove the folder once the file is sent
    folder: Path
    filename: str
    media_type: str
    rows: int


def lower_priority() -> None:
    """In the child, first thing: yield the CPU to the hub's ingest."""
    if hasattr(os, "SCHED_IDLE"):  # Linux
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            return
        except OSError as exc:  # a sandbox refusing it: niceness still yields most
            log.warning("the export runs niced, not idle: %s", exc)
    os.nice(EXPORT_NICENESS)


def as_row(record: Mapping[str, Any]) -> Row:
    """A stored record as the export columns read it: ``reasons`` and ``evidence`` as JSON text.

    Booths upload their ledger rows, where both are already text; a record whose values
    arrived as JSON lists or objects is encoded, so every upload the hub accepted exports.
    """
    row = dict(record)
    for key in ("reasons", "evidence"):
        if row.get(key) is not None and not isinstance(row[key], str):
            row[key] = json.dumps(row[key], ensure_ascii=False)
    return row


def through_columns(columns: list[Column]) -> Callable[[Mapping[str, Any]], Sequence[Cell]]:
    """A record's CSV cells through the export's columns and ``safe_cell``: the careful rows'
    (the time as text, like the fast path's, so ``write_csv`` looks at no row)."""

    def cells(record: Mapping[str, Any]) -> Sequence[Cell]:
        return csv_cells([safe_cell(c.value(as_row(record))) for c in columns])

    return cells


def written(
    format: str, zone: tzinfo, now: datetime, write: Callable[[Path, str], int]
) -> ExportFile:
    """A new temporary file ``write(path, writer)`` fills, returning its row count; the folder
    is removed if it fails. Raises ``ValueError`` for a format other than those in ``FORMATS``.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}; choose one of {sorted(FORMATS)}")
    writer, media_type = FORMATS[format]
    filename = f"passages-{now.astimezone(zone):%Y%m%d-%H%M%S}.{format}"
    folder = Path(tempfile.mkdtemp(prefix="gatehouse-export-"))
    try:
        path = folder / filename
        rows = write(path, writer)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return ExportFile(path, folder, filename, media_type, rows)


def sqlite_csv(database: str, pages: SqlitePages, zone: tzinfo, now: datetime) -> ExportFile:
    """In the child: the CSV of the SQLite ``database``'s ``pages`` (compiled on a fixed offset
    ``zone`` keeps over them), read without SQLAlchemy."""
    uri = f"{Path(database).resolve().as_uri()}?mode=rw"  # never creates a missing database

    def write(path: Path, _: str) -> int:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            return write_csv(
                path, zone, now, lambda columns: page_cells(conn, pages, through_columns(columns))
            )

    return written("csv", zone, now, write)


def write_csv(
    path: Path,
    zone: tzinfo,
    now: datetime,
    cells: Callable[[list[Column]], Iterable[Sequence[Cell]]],
) -> int:
    """The CSV of ``cells(columns)`` under the export's header: the fast paths' rows, which
    hold no time (a careful row's through ``through_columns``, in ``zone`` itself)."""
    columns = passage_columns(zone, IdNumbers.MASKED, now)
    header = [safe_text(column.header) for column in columns]
    return write_cells(cells(columns), header, path, "csv-text")
