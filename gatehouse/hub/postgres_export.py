"""The hub's all-booth CSV on PostgreSQL, at the csv module's pace: the columns computed in SQL.

One query, streamed (flat memory at any size): each stored record is read as jsonb once
(``OFFSET 0`` keeps that subquery whole, or PostgreSQL parses the record again for every
field), tested once in a second, and the outer one computes the cells, the local time and the
outcome's words, as ``hub.sqlite_export`` does on SQLite. A record SQL cannot read or compute
safely is flagged careful and written through the columns in Python, as before: jsonb refuses
what Python's ``json`` takes (``\\u0000``, NaN), PostgreSQL 15 has no check of a date that
does not raise, and a number's text may differ from Python's (``-0.0``, ``1e+16``). The output
never depends on the shortcut (``tests/hub/test_postgres_export.py`` holds the two together).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import closing
from datetime import timezone
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, Engine, literal_column, select

from gatehouse.hub.passage_pages import PassageQuery, query_filtered, stored_record
from gatehouse.hub.tables import passages
from gatehouse.reports.cells import FORMULA_TRIGGERS, Cell
from gatehouse.reports.columns import OUTCOME_WORDS
from gatehouse.reports.plain_rows import (
    TEXT_KEYS,
    cells_select,
    offset_seconds,
    quoted,
    selected_cells,
)

if TYPE_CHECKING:
    import psycopg  # imported when streaming: an export on SQLite never needs it

# Text jsonb refuses and Python's ``json`` takes, as the hub stores records (``canonical_json``:
# Python's ``json``, so no exponent numeric cannot hold): an escape (``\u0000``, control
# characters), NaN and ±Infinity. Such a record is careful unread (a name that merely contains
# "NaN" too: careful is only slower). Three substring searches: a pattern costs 3x as much.
_UNREADABLE = ("\\u", "NaN", "Infinity")
# A time both read alike, in years 1000–9998 (no overflow at +14:00), a real time of day to
# the second, no fraction or one of 3 or 6 digits, then +00:00; days 29–31 are then checked
# against their month (``_past_month_end``).
_YEAR = "(1[0-9]{3}|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])"
_TIME_SHAPE = (
    rf"^{_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{3}|\.[0-9]{6})?\+00:00$"
)
# A temperature ``round(float(t), 1)`` leaves as its text: at most one decimal, not zero
# (numeric has no -0.0), under 1000 (others are careful).
_TEMPERATURE_SHAPE = r"^-?(0\.[1-9]|[1-9][0-9]{0,2}(\.[0-9])?)$"


def _field(name: str) -> str:
    return f"(j->>{quoted(name)})"


def _kind(name: str) -> str:
    return f"coalesce(jsonb_typeof(j->{quoted(name)}), 'null')"


def _past_month_end(time: str) -> str:
    """SQL: whether ``time`` (in ``_TIME_SHAPE``) is on a day its month does not have, in
    comparisons that cannot raise (PostgreSQL 15 has no date check that does not)."""
    year, month, day = f"substr({time}, 1, 4)", f"substr({time}, 6, 2)", f"substr({time}, 9, 2)"
    number = f"{year}::int"  # no % operator: the driver reads % as a parameter
    leap = f"(mod({number}, 4) = 0 AND (mod({number}, 100) <> 0 OR mod({number}, 400) = 0))"
    last_day = f"CASE {month} WHEN '02' THEN CASE WHEN {leap} THEN '29' ELSE '28' END "
    last_day += "WHEN '04' THEN '30' WHEN '06' THEN '30' WHEN '09' THEN '30' WHEN '11' THEN '30' "
    last_day += "ELSE '31' END"
    return f"{day} > '28' AND {day} > {last_day}"


def _careful() -> str:
    """SQL over ``j``: true when SQL cannot read the record safely or the columns or
    ``safe_cell`` could show it differently. A CASE, so each test may rely on those before
    it (a year is digits before ``_past_month_end`` casts it)."""
    triggers = ", ".join(str(ord(c)) for c in sorted(FORMULA_TRIGGERS))
    words = ", ".join(map(quoted, OUTCOME_WORDS))
    id_number, decided = _field("id_masked"), _field("decided_at")
    tests = [
        "j IS NULL",
        "jsonb_typeof(j) <> 'object'",
        f"{_kind('overrides')} <> 'null'",
        f"coalesce({_field('outcome')} NOT IN ({words}), true)",
        f"{_kind('reasons')} NOT IN ('string', 'null')",
        *(f"{_kind(name)} NOT IN ('string', 'null')" for name in TEXT_KEYS),
        *(f"coalesce(ascii({_field(name)}) IN ({triggers}), false)" for name in TEXT_KEYS),
        # a full number stored: masked by ``id_number_cell``
        f"{id_number} IS NOT NULL AND strpos({id_number}, '*') = 0 AND length({id_number}) >= 9",
        f"{_kind('temperature_c')} NOT IN ('number', 'null')",
        f"{_field('temperature_c')} !~ {quoted(_TEMPERATURE_SHAPE)}",
        f"{_kind('decided_at')} <> 'string'",
        f"{decided} !~ {quoted(_TIME_SHAPE)}",
        _past_month_end(decided),
    ]
    return "CASE " + " ".join(f"WHEN {test} THEN true" for test in tests) + " ELSE false END"


def _statement(conn: Connection, query: PassageQuery, zone: timezone) -> tuple[str, Any]:
    """The export's query and its parameters: each record read as jsonb once, then tested
    once (both kept whole by ``OFFSET 0``), in (time, id) order."""
    readable = " AND ".join(f"strpos(record, {quoted(text)}) = 0" for text in _UNREADABLE)
    read: Any = literal_column(f"CASE WHEN {readable} THEN record::jsonb END").label("j")
    inner = query_filtered(
        select(read, passages.c.decided_at, passages.c.passage_id), query, "postgresql"
    ).order_by(passages.c.decided_at, passages.c.passage_id)
    # a list (``booth_ids``) expanded into its parameters here, not by SQLAlchemy's execute
    compiled = inner.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    tested = (
        f"SELECT j, {_careful()} AS careful, decided_at, passage_id "
        f"FROM ({compiled} OFFSET 0) AS stored OFFSET 0"
    )

    def when_plain(sql: str) -> str:
        return f"CASE WHEN careful THEN NULL ELSE {sql} END"

    when = when_plain(
        f"to_char(substr({_field('decided_at')}, 1, 19)::timestamp "
        f"+ interval '{offset_seconds(zone)} seconds', 'YYYY-MM-DD HH24:MI:SS')"
    )
    temperature = when_plain(f"{_field('temperature_c')}::float8")
    cells = cells_select(when, temperature, _field, "careful")
    # no ORDER BY again: the subqueries are scanned whole in their order, and sorting the
    # computed rows would cost a sort of the whole export
    return f"SELECT {', '.join(cells)}, passage_id FROM ({tested}) AS tested", compiled.params


def postgres_cells(
    engine: Engine,
    query: PassageQuery,
    zone: timezone,
    careful_cells: Callable[[Mapping[str, Any]], Sequence[Cell]],
    batch: int,
) -> Iterator[Sequence[Cell]]:
    """The cells of every passage ``query`` matches, oldest first, streamed ``batch`` rows at
    a time; a careful record's are ``careful_cells(record)``, read on a second connection
    (the first is busy streaming).

    Streamed, not fetched from a named cursor: the server computes the next rows while these
    are written (a cursor's FETCH leaves one side idle while the other works), and it waits
    when the socket is full, so memory stays flat at any size."""
    with engine.connect() as conn, engine.connect() as lookups:
        sql, params = _statement(conn, query, zone)

        def careful(row: tuple[Any, ...]) -> Sequence[Cell]:
            return careful_cells(stored_record(lookups, row[-1]))  # each row ends with its key

        dbapi = cast("psycopg.Connection[Any]", conn.connection.dbapi_connection)
        with dbapi.cursor() as cursor:
            stream = cursor.stream(sql, params, size=_chunk(batch))
            # closed first on any error: a stream left open keeps the connection busy
            with closing(cast("Generator[tuple[Any, ...], None, None]", stream)) as rows:
                yield from selected_cells(rows, careful)


def _chunk(batch: int) -> int:
    """Rows per chunk of a stream: ``batch`` where libpq streams chunks (17 and later), else
    one at a time."""
    import psycopg

    return batch if psycopg.pq.version() >= 170000 else 1
