"""The office's passage downloads: the booth's CSV/XLSX export, over every booth's passages.

Rows go through the same columns, masking and formula neutralisation as at a booth
(``gatehouse.reports.table``); the hub holds only masked ID numbers anyway. The search pages
through ``Hub.passage_page`` so an export is never cut at the JSON endpoint's row limit.
A CSV in a zone whose offset is fixed over the exported times (``hub.export_zone``) takes
the booth's fast path (``reports.plain_rows``): a record
nothing could change is written from its stored values, any other through the columns. On
SQLite and PostgreSQL the database reads and tests the stored values (``hub.sqlite_export``,
``hub.postgres_export``); elsewhere, and in the hub's export process on PostgreSQL (whose
server is not at its low priority), each record is parsed and tested here.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gatehouse.hub.export_child import FORMATS as FORMATS  # the office's formats, here as before
from gatehouse.hub.export_child import ExportFile as ExportFile
from gatehouse.hub.export_child import as_row as as_row
from gatehouse.hub.export_child import through_columns, write_csv, written
from gatehouse.hub.export_zone import export_offset
from gatehouse.hub.passage_pages import MAX_QUERY_ROWS, PageKey, PassageQuery, PassageReader
from gatehouse.hub.postgres_export import postgres_cells
from gatehouse.hub.sqlite_export import sqlite_cells
from gatehouse.reports.cells import DATETIME_TEXT, Cell, IdNumbers
from gatehouse.reports.columns import OUTCOME_WORDS, Column, Row, passage_columns
from gatehouse.reports.plain_rows import TEXT_KEYS, masked_or_short, plain_cells, plain_text
from gatehouse.reports.table import write_table

if TYPE_CHECKING:
    from starlette.responses import FileResponse

    from gatehouse.hub.service import Hub


def all_passages(
    hub: Hub | PassageReader, query: PassageQuery, page: int = MAX_QUERY_ROWS
) -> Iterator[Row]:
    """Every passage ``query`` matches (its ``limit`` ignored), oldest first, ``page`` at a time.

    Pages follow the (time, id) key of the last row sent, so any number of passages sharing
    one time page through like any others.
    """
    return (as_row(record) for record in _records(hub, query, page))


def _records(hub: Hub | PassageReader, query: PassageQuery, page: int) -> Iterator[dict[str, Any]]:
    after: PageKey | None = None
    while True:
        found = hub.passage_page(replace(query, limit=page), after)
        for _, record in found:
            yield record
        if len(found) < page:
            return
        after = found[-1][0]


def _csv_cells(
    hub: Hub | PassageReader,
    query: PassageQuery,
    columns: list[Column],
    zone: timezone,
    server_cells: bool,
) -> Iterator[Sequence[Cell]]:
    """Each record's cells: plain ones straight from the record, others through the columns
    (on SQLite and, with ``server_cells``, PostgreSQL the database computes them:
    ``hub.sqlite_export``, ``hub.postgres_export``)."""

    careful = through_columns(columns)
    if hub.engine.dialect.name == "sqlite":
        return sqlite_cells(hub.engine, query, zone, careful, MAX_QUERY_ROWS)
    if hub.engine.dialect.name == "postgresql" and server_cells:
        return postgres_cells(hub.engine, query, zone, careful, MAX_QUERY_ROWS)
    return _python_cells(_records(hub, query, MAX_QUERY_ROWS), careful, zone)


def _python_cells(
    records: Iterator[Mapping[str, Any]],
    through_columns: Callable[[Mapping[str, Any]], Sequence[Cell]],
    zone: timezone,
) -> Iterator[Sequence[Cell]]:
    offset = zone.utcoffset(None)
    for record in records:
        cells = plain_record_cells(record, offset)
        yield cells if cells is not None else through_columns(record)


def plain_record_cells(record: Mapping[str, Any], offset: timedelta) -> tuple[Cell, ...] | None:
    """The record's cells if nothing in it needs the columns' care, else ``None``."""
    texts = tuple(record.get(key) for key in TEXT_KEYS)
    decided_at, outcome = record.get("decided_at"), record.get("outcome")
    reasons, temperature = record.get("reasons"), record.get("temperature_c")
    if (
        record.get("overrides")
        or type(decided_at) is not str
        or not decided_at.endswith("+00:00")
        or outcome not in OUTCOME_WORDS
        or (reasons is not None and type(reasons) is not str)
        or (temperature is not None and type(temperature) not in (float, int))
        or not plain_text(texts)
        or not masked_or_short(texts[3])
    ):
        return None
    when = (datetime.fromisoformat(decided_at) + offset).strftime(DATETIME_TEXT)
    zh, en = OUTCOME_WORDS[outcome]
    return plain_cells(when, f"{zh} {en}", outcome, reasons, temperature, texts)


def download(done: ExportFile) -> FileResponse:
    """The response sending ``done``, its folder removed once sent (streamed from disk)."""
    from starlette.background import BackgroundTask  # the export's child never sends it
    from starlette.responses import FileResponse

    return FileResponse(
        done.path,
        media_type=done.media_type,
        filename=done.filename,
        background=BackgroundTask(shutil.rmtree, done.folder, ignore_errors=True),
    )


def export_passages(
    hub: Hub | PassageReader,
    query: PassageQuery,
    format: str,
    zone: tzinfo,
    now: datetime,
    *,
    server_cells: bool = True,
) -> ExportFile:
    """Write the passages ``query`` matches to a new temporary file (blocking: run in a thread).

    ``server_cells=False``: a database server only pages through the stored records and this
    process computes the cells (``export_process``: the server's backend is not at the
    export's low priority). Raises ``ValueError`` for a format other than those in ``FORMATS``.
    """

    def write(path: Path, writer: str) -> int:
        fixed = export_offset(hub.engine, query, zone, now) if writer == "csv" else None
        if fixed is not None:
            bounded, offset = fixed.query, fixed.zone
            return write_csv(
                path, zone, now, lambda c: _csv_cells(hub, bounded, c, offset, server_cells)
            )
        columns = passage_columns(zone, IdNumbers.MASKED, now)
        return write_table(all_passages(hub, query), columns, path, writer)

    return written(format, zone, now, write)
