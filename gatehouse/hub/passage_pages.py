"""Pages of the hub's passages in (time, id) order: the query, its SQL and the reader.

Apart from the hub's service so an export's child process (``hub.export_process``) imports
only these, SQLAlchemy and the export, not the whole hub (ingest, bundles, keys): a child is
spawned per export, and what it imports is time the office waits.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import BindParameter, Connection, Engine, Select, and_, func, or_, select

from gatehouse.hub.person_search import person_condition
from gatehouse.hub.tables import passages

MAX_QUERY_ROWS = 5000
PageKey = tuple[str, str]  # (decided_at as stored, passage id): the order of every listing
# A key to compile into a statement ahead of its values (``hub.sqlite_export``).
PageKeyParams = tuple[BindParameter[str], BindParameter[str]]


@dataclass(frozen=True)
class PassageQuery:
    booth_id: str | None = None
    since: str | None = None  # ISO 8601 UTC, inclusive
    until: str | None = None  # exclusive
    outcome: str | None = None
    pass_id: str | None = None
    limit: int = 1000
    # The console's search (None: no condition). ``booth_ids`` limits to these booths (a mine);
    # ``person`` matches the start of a name, a masked ID number or a pass id (``person_search``);
    # ``reason`` is a reason code; ``before`` pages newest first from a (decided_at, passage_id)
    # key.
    booth_ids: tuple[str, ...] | None = None
    person: str | None = None
    role: str | None = None
    reason: str | None = None
    before: PageKey | None = None


@dataclass(frozen=True)
class PassageReader:
    """Pages of passages from the hub's database: all an export needs, so an export process
    can read with its own engine and no hub keys."""

    engine: Engine

    def passage_page(
        self, query: PassageQuery, after: PageKey | None = None
    ) -> list[tuple[PageKey, dict[str, Any]]]:
        """Up to ``query.limit`` passages in (time, id) order, each with its key, starting
        after the key ``after``: a page never repeats or skips one, however many share a time.
        """
        statement = page_statement((passages.c.record,), query, after, self.engine.dialect.name)
        with self.engine.connect() as conn:
            return [
                ((row.decided_at, row.passage_id), json.loads(row.record))
                for row in conn.execute(statement)
            ]


def stored_record(conn: Connection, passage_id: str) -> dict[str, Any]:
    """The stored record of one passage: an export's careful row, read whole."""
    found = conn.execute(select(passages.c.record).where(passages.c.passage_id == passage_id))
    record: dict[str, Any] = json.loads(found.scalar_one())
    return record


def page_statement(
    columns: Sequence[Any],
    query: PassageQuery,
    after: PageKey | PageKeyParams | None,
    dialect: str,
) -> Select[Any]:
    """``columns`` then each passage's (time, id) key, for one page of ``query`` in key order
    starting after ``after``: a page never repeats or skips one, however many share a time."""
    statement: Select[Any] = select(*columns, passages.c.decided_at, passages.c.passage_id)
    # SQLite seeks the time index to one lower bound, the first it finds: a query's ``since``
    # would be it on every page, each page then stepping over all the pages before it (a
    # million-row export's last pages read the whole index). One bound, the later of the two.
    merged = after is not None and query.since is not None and dialect == "sqlite"
    statement = query_filtered(statement, replace(query, since=None) if merged else query, dialect)
    statement = statement.order_by(passages.c.decided_at, passages.c.passage_id)
    if after is not None:
        start: Any = func.max(after[0], query.since) if merged else after[0]  # SQLite's max
        statement = statement.where(
            passages.c.decided_at >= start,  # the same rows, but the index seeks to them
            or_(
                passages.c.decided_at > after[0],
                and_(passages.c.decided_at == after[0], passages.c.passage_id > after[1]),
            ),
        )
    return statement.limit(max(1, min(query.limit, MAX_QUERY_ROWS)))


def query_filtered(statement: Select[Any], query: PassageQuery, dialect: str) -> Select[Any]:
    """``statement`` limited to the passages ``query`` asks for (its conditions, not its order)."""
    for column, value in (
        (passages.c.booth_id, query.booth_id),
        (passages.c.outcome, query.outcome),
        (passages.c.pass_id, query.pass_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    if query.since is not None:
        statement = statement.where(passages.c.decided_at >= query.since)
    if query.until is not None:
        statement = statement.where(passages.c.decided_at < query.until)
    if query.booth_ids is not None:
        statement = statement.where(passages.c.booth_id.in_(query.booth_ids))
    if query.person:
        statement = statement.where(person_condition(query.person, dialect))
    # Role and reasons live only in the stored record (canonical JSON: no spaces between
    # keys and values); a booth's ledger row carries its reasons as JSON text within it.
    if query.role:
        role = '"role":' + json.dumps(query.role, ensure_ascii=False)
        statement = statement.where(passages.c.record.contains(role, autoescape=True))
    if query.reason:
        code = json.dumps(query.reason, ensure_ascii=False)
        in_text = json.dumps(f'"code": {code}', ensure_ascii=False)[1:-1]
        statement = statement.where(
            or_(
                passages.c.record.contains(in_text, autoescape=True),
                passages.c.record.contains(f'"code":{code}', autoescape=True),
            )
        )
    return statement
