"""The hub's all-booth CSV on SQLite, at the csv module's pace: the columns computed in SQL.

The stored records are JSON; SQLite reads their fields (``json_extract``), computes the local
time and the outcome's words, and flags any record the columns or ``safe_cell`` could show
differently (``reports.plain_rows``), so Python parses no JSON for a plain row. On top of the
booth's checks a hub record is careful when it holds a ``\\u`` escape (control characters, lone
surrogates), any overrides, or a time not in the shape both SQLite and Python read alike. A
careful record is read whole and written through the columns, as before: the output never
depends on the shortcut (``tests/hub/test_exports.py`` holds the two together).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import timezone
from typing import Any

from sqlalchemy import Connection, Engine, Select, literal_column, select

from gatehouse.hub.passage_pages import PageKey, PassageQuery, page_statement, stored_record
from gatehouse.reports.cells import Cell, IdNumbers
from gatehouse.reports.plain_rows import TEXT_KEYS, careful_sql, plain_select, selected_cells

_DIGITS = "[0-9]"
_SECONDS = f"{_DIGITS * 4}-{_DIGITS * 2}-{_DIGITS * 2}T{_DIGITS * 2}:{_DIGITS * 2}:{_DIGITS * 2}"
# The times Python's ``fromisoformat`` and SQLite's ``strftime`` read alike (whole seconds
# taken, the fraction dropped by both).
_TIME_SHAPES = tuple(
    f"{_SECONDS}{fraction}+00:00" for fraction in ("", "." + _DIGITS * 3, "." + _DIGITS * 6)
)


# Read from the record once each (into a materialised page: SQLite would otherwise read the
# record again for every test), then tested.
_STORED = (*TEXT_KEYS, "decided_at", "outcome", "reasons", "temperature_c", "overrides")


def _stored() -> list[Any]:
    return [
        *(
            literal_column(f"json_extract(record, '$.{name}')").label(f"v_{name}")
            for name in _STORED
        ),
        literal_column("instr(record, '\\u') > 0").label("v_escaped"),
    ]


def _select(zone: timezone) -> list[Any]:
    def column(name: str) -> str:
        return f"stored.v_{name}"

    decided = column("decided_at")
    whole = f"substr({decided}, 1, 19)"
    fraction = f"substr({decided}, 21, length({decided}) - 26)"
    checks = (
        column("escaped"),
        f"{column('overrides')} IS NOT NULL",
        f"typeof({column('reasons')}) NOT IN ('text', 'null')",
        f"coalesce(unicode({column('reasons')}) = 123, 0)",
        # a time both read alike: a real date to the second (strftime gives it back), a year
        # Python writes with four digits, no fraction or one of 3 or 6 digits, then +00:00
        f"strftime('%Y-%m-%dT%H:%M:%S', {whole}) IS NOT {whole}",
        f"{decided} NOT BETWEEN '1000' AND '9998'",
        f"length({decided}) NOT IN (25, 29, 32)",
        f"(length({decided}) > 25 AND (substr({decided}, 20, 1) <> '.' "
        f"OR ltrim({fraction}, '0123456789') <> ''))",
    )
    careful = careful_sql(IdNumbers.MASKED, column, checks, leading="[{")
    return [literal_column(e) for e in plain_select(zone, column, whole, careful)]


def sqlite_cells(
    engine: Engine,
    query: PassageQuery,
    zone: timezone,
    careful_cells: Callable[[Mapping[str, Any]], Sequence[Cell]],
    page: int,
) -> Iterator[Sequence[Cell]]:
    """The cells of every passage ``query`` matches, oldest first, ``page`` rows per query
    after the (time, id) key of the last, like ``exports.all_passages``; a careful record's
    are ``careful_cells(record)``."""
    chosen, paged = _select(zone), replace(query, limit=page)
    with engine.connect() as conn:

        def careful(row: tuple[Any, ...]) -> Sequence[Cell]:
            return careful_cells(stored_record(conn, row[-1]))  # each row ends with its key

        after: PageKey | None = None
        while True:
            stored = page_statement(_stored(), paged, after, "sqlite").cte("stored")
            stored = stored.prefix_with("MATERIALIZED")
            statement = select(*chosen, stored.c.decided_at, stored.c.passage_id).order_by(
                stored.c.decided_at, stored.c.passage_id
            )
            rows = _fetched(conn, statement)
            yield from selected_cells(rows, careful)
            if len(rows) < page:
                return
            after = (rows[-1][-2], rows[-1][-1])


def _fetched(conn: Connection, statement: Select[Any]) -> list[tuple[Any, ...]]:
    """The page's rows as the driver's own tuples: SQLAlchemy's result rows cost a fetch call
    and a conversion per row, a third of the export's time on top of the csv module's."""
    compiled = statement.compile(dialect=conn.dialect)
    names = compiled.positiontup or []  # SQLite's parameters are positional
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), [compiled.params[name] for name in names])
        return list(cursor.fetchall())
    finally:
        cursor.close()
