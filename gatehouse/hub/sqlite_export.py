"""The hub's all-booth CSV on SQLite, at the csv module's pace: the columns computed in SQL.

The stored records are JSON; SQLite reads their fields (``json_extract``), computes the local
time and the outcome's words, and flags any record the columns or ``safe_cell`` could show
differently (``reports.plain_rows``), so Python parses no JSON for a plain row. On top of the
booth's checks a hub record is careful when it holds a ``\\u`` escape (control characters, lone
surrogates), any overrides, or a time not in the shape both SQLite and Python read alike. A
careful record is read whole and written through the columns, as before: the output never
depends on the shortcut (``tests/hub/test_exports.py`` holds the two together).

The statements are compiled here, in the hub's process; its export child runs them with the
``sqlite3`` module (``hub.sqlite_pages``) and so never imports SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import timezone
from typing import Any

from sqlalchemy import Engine, Select, bindparam, literal_column, select
from sqlalchemy.dialects import sqlite

from gatehouse.hub.passage_pages import PageKeyParams, PassageQuery, page_statement
from gatehouse.hub.sqlite_pages import SqlitePages, page_cells
from gatehouse.hub.tables import passages
from gatehouse.reports.cells import Cell, IdNumbers
from gatehouse.reports.plain_rows import TEXT_KEYS, careful_sql, plain_select

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
    tail, digits = f"substr({decided}, 20)", "[0-9]"
    checks = (
        column("escaped"),
        f"{column('overrides')} IS NOT NULL",
        f"typeof({column('reasons')}) NOT IN ('text', 'null')",
        f"{column('reasons')} GLOB '{{*'",  # a JSON object, not a list
        # a time both read alike: a real date to the second (strftime gives it back), a year
        # Python writes with four digits, no fraction or one of 3 or 6 digits, then +00:00
        f"strftime('%Y-%m-%dT%H:%M:%S', {whole}) IS NOT {whole}",
        f"{decided} NOT BETWEEN '1000' AND '9998'",
        f"CASE length({decided}) WHEN 32 THEN {tail} NOT GLOB '.{digits * 6}+00:00' "
        f"WHEN 25 THEN {tail} <> '+00:00' "
        f"WHEN 29 THEN {tail} NOT GLOB '.{digits * 3}+00:00' ELSE 1 END",
    )
    careful = careful_sql(IdNumbers.MASKED, column, checks, leading="[{")
    return [literal_column(e) for e in plain_select(zone, column, whole, careful)]


def sqlite_pages(query: PassageQuery, zone: timezone, page: int) -> SqlitePages:
    """``query``'s pages of ``page`` rows in (time, id) order, compiled to SQL here so the
    export's child reads them with ``sqlite3`` alone (``hub.sqlite_pages``)."""
    chosen, paged = _select(zone), replace(query, limit=page)
    after: PageKeyParams = (bindparam("after_time", ""), bindparam("after_id", ""))  # per page
    first, _, first_params = _compiled(_page(chosen, paged, None))
    then, names, then_params = _compiled(_page(chosen, paged, after))
    time_slots, id_slots = (
        tuple(slot for slot, name in enumerate(names) if name == part)
        for part in ("after_time", "after_id")
    )
    record = select(passages.c.record).where(passages.c.passage_id == bindparam("passage_id"))
    return SqlitePages(
        first, first_params, then, then_params, (time_slots, id_slots), _compiled(record)[0], page
    )


def _page(chosen: list[Any], query: PassageQuery, after: PageKeyParams | None) -> Select[Any]:
    """One page's statement: the record read once into a materialised page (SQLite would
    otherwise read it again for every test), then its cells computed and tested."""
    stored = page_statement(_stored(), query, after, "sqlite").cte("stored")
    stored = stored.prefix_with("MATERIALIZED")
    return select(*chosen, stored.c.decided_at, stored.c.passage_id).order_by(
        stored.c.decided_at, stored.c.passage_id
    )


def _compiled(statement: Select[Any]) -> tuple[str, list[str], tuple[Any, ...]]:
    """The statement's SQL for the ``sqlite3`` module, its parameters' names and values in
    order (an ``IN`` list rendered as one parameter per value)."""
    compiled = statement.compile(
        dialect=sqlite.dialect(), compile_kwargs={"render_postcompile": True}
    )
    names = list(compiled.positiontup or [])  # SQLite's parameters are positional
    return str(compiled), names, tuple(compiled.params[name] for name in names)


def sqlite_cells(
    engine: Engine,
    query: PassageQuery,
    zone: timezone,
    careful_cells: Callable[[Mapping[str, Any]], Sequence[Cell]],
    page: int,
) -> Iterator[Sequence[Cell]]:
    """The cells of every passage ``query`` matches, oldest first, ``page`` rows per query
    after the (time, id) key of the last, like ``exports.all_passages``; a careful record's
    are ``careful_cells(record)``. The hub's own connection: its child reads the same pages
    with ``sqlite3`` alone (``hub.export_child``)."""
    pages = sqlite_pages(query, zone, page)
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        yield from page_cells(raw, pages, careful_cells)  # type: ignore[arg-type]
