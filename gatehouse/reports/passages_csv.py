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
    DATETIME_TEXT,
    FORMULA_TRIGGERS,
    Cell,
    IdNumbers,
    safe_cell,
    safe_text,
)
from gatehouse.reports.columns import OUTCOME_WORDS, Column, passage_columns
from gatehouse.reports.plain_rows import TEXT_KEYS, plain_cells, plain_text
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

    offset = zone.utcoffset(None)
    seconds = int(offset.total_seconds()) if offset is not None else 0
    when = f"strftime('{DATETIME_TEXT}', decided_at, '{seconds:+d} seconds')"
    outcome = "CASE outcome {} END".format(
        " ".join(
            f"WHEN {_quoted(name)} THEN {_quoted(f'{zh} {en}')}"
            for name, (zh, en) in OUTCOME_WORDS.items()
        )
    )
    text = [column(name) for name in TEXT_KEYS]
    return ", ".join(
        (
            when,
            text[0],
            text[1],
            outcome,
            column("outcome"),
            column("reasons"),
            text[2],
            text[3],
            text[4],
            text[5],
            column("temperature_c"),
            text[6],
            text[7],
            text[8],
            text[9],
            _careful(text, id_numbers, column("temperature_c")),
        )
    )


def _careful(text: Sequence[str], id_numbers: IdNumbers, temperature: str) -> str:
    """1 when ``safe_cell`` or the columns could show the row differently than SQL has it
    (control characters and lengths are left to ``_cells``: SQLite is slow at those)."""
    triggers = ", ".join(str(ord(c)) for c in sorted(FORMULA_TRIGGERS))
    checks = [
        "decided_at NOT LIKE '%+00:00'",
        f"coalesce(outcome NOT IN ({', '.join(map(_quoted, OUTCOME_WORDS))}), 1)",
        f"typeof({temperature}) NOT IN ('real', 'integer', 'null')",
        *(f"typeof({name}) NOT IN ('text', 'null')" for name in text),
        *(f"coalesce(unicode({name}) IN ({triggers}), 0)" for name in text),
    ]
    if id_numbers is IdNumbers.MASKED:  # a full number stored: masked by ``id_number_cell``
        checks.append(
            f"({text[3]} IS NOT NULL AND instr({text[3]}, '*') = 0 AND length({text[3]}) >= 9)"
        )
    return f"({' OR '.join(checks)})"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _cells(
    rows: Iterator[tuple[Any, ...]],
    queries: PassageQueries,
    columns: Sequence[Column],
    overridden: frozenset[str],
) -> Iterator[Sequence[Cell]]:
    for (
        when,
        booth,
        checkpoint,
        outcome,
        stored_outcome,
        reasons,
        name,
        id_number,
        role,
        pass_id,
        temperature,
        source,
        guard,
        policy,
        passage_id,
        careful,
        _,
        rowid,
    ) in rows:
        texts = (
            booth,
            checkpoint,
            name,
            id_number,
            role,
            pass_id,
            source,
            guard,
            policy,
            passage_id,
        )
        # Formula triggers, types and ID numbers were tested in SQL (``careful``).
        if careful or passage_id in overridden or not plain_text(texts):
            row = queries.row_at(rowid)
            yield [safe_cell(column.value(row)) for column in columns]
            continue
        yield plain_cells(when, outcome, stored_outcome, reasons, temperature, texts)
