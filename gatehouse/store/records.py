"""Chained records: every passage and audit event joins the hash chain and the outbox in the
same transaction that stores it, so none can be committed without its link or its sync row.
"""

from __future__ import annotations

import functools
import sqlite3
import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from gatehouse.core.chain import (
    AUDIT_KIND,
    PASSAGE_KIND,
    ChainLink,
    RecordDigester,
    next_link,
    record_digests,
)
from gatehouse.store.affinity import StoredShape
from gatehouse.store.rows import utc_text


class Executes(Protocol):
    """An ``sqlite3.Connection`` or the writer's ``sqlite_utils.Database``."""

    def execute(self, sql: str, parameters: Any = ..., /) -> sqlite3.Cursor: ...


@dataclass(frozen=True)
class RecordTable:
    table: str
    key: str


RECORD_TABLES = {
    PASSAGE_KIND: RecordTable("passages", "passage_id"),
    AUDIT_KIND: RecordTable("audit_events", "event_id"),
}
# Bookkeeping columns that change after a record is written: outside its digests.
BOOKKEEPING_COLUMNS = frozenset({"purged_at"})
_LINK_COLUMNS = "seq, kind, record_id, public_digest, personal_digest, prev_hash, hash"


def dict_rows(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def read_record(conn: Executes, kind: str, record_id: str) -> dict[str, Any] | None:
    """The record as stored and chained (bookkeeping columns left out), or ``None``."""
    table = RECORD_TABLES[kind]
    rows = dict_rows(
        conn.execute(f"SELECT * FROM {table.table} WHERE {table.key} = ?", (record_id,))
    )
    if not rows:
        return None
    return {k: v for k, v in rows[0].items() if k not in BOOKKEEPING_COLUMNS}


def link_from_row(row: Mapping[str, Any]) -> ChainLink:
    return ChainLink.from_mapping(row)


def link_at(conn: Executes, seq: int) -> ChainLink | None:
    rows = dict_rows(conn.execute(f"SELECT {_LINK_COLUMNS} FROM chain WHERE seq = ?", (seq,)))
    return link_from_row(rows[0]) if rows else None


def chain_head(conn: Executes) -> ChainLink | None:
    rows = dict_rows(conn.execute(f"SELECT {_LINK_COLUMNS} FROM chain ORDER BY seq DESC LIMIT 1"))
    return link_from_row(rows[0]) if rows else None


# The newest link each writer connection has written, so appending a record costs no query for
# it. Only the writer appends, one job at a time; ``forget_head`` runs whenever its
# transaction rolls back, and a connection opened afresh starts without an entry.
_WRITTEN_HEADS: weakref.WeakKeyDictionary[Executes, ChainLink | None] = weakref.WeakKeyDictionary()


def written_head(db: Executes) -> ChainLink | None:
    """``chain_head`` for the writer: read once per connection, then kept by ``insert_link``."""
    try:
        return _WRITTEN_HEADS[db]
    except KeyError:
        head = _WRITTEN_HEADS[db] = chain_head(db)
        return head
    except TypeError:  # a bare sqlite3.Connection cannot be weakly keyed: nothing is kept
        return chain_head(db)


def forget_head(db: Executes) -> None:
    """Drop the kept head (its transaction rolled back): the next append reads it again."""
    _WRITTEN_HEADS.pop(db, None)


def iter_links(conn: sqlite3.Connection, after: int = 0) -> Iterator[ChainLink]:
    """Every link past ``after`` in ``seq`` order, streamed (a year of passages need not fit
    in memory)."""
    cursor = conn.execute(f"SELECT {_LINK_COLUMNS} FROM chain WHERE seq > ? ORDER BY seq", (after,))
    names = [column[0] for column in cursor.description]
    for row in cursor:
        yield link_from_row(dict(zip(names, row, strict=True)))


@dataclass(frozen=True)
class PassageTable:
    """What writing a passage needs to know of the ``passages`` table, read once at open."""

    shape: StoredShape
    digests: RecordDigester

    @classmethod
    def of(cls, conn: sqlite3.Connection) -> PassageTable:
        shape = StoredShape.of(conn, "passages", BOOKKEEPING_COLUMNS)
        return cls(shape, RecordDigester(PASSAGE_KIND, shape.affinities))


def passage_job(
    table: PassageTable, row: Mapping[str, Any], now: datetime
) -> Callable[[Executes], None]:
    """The writer job that stores ``row`` (from ``rows.passage_to_row``) as recorded at ``now``,
    with its chain link and outbox row.

    Everything that needs no lock is done here, on the caller's thread: the values, and the
    digests when the table's shape tells what SQLite will store (``affinity``); otherwise the job
    reads the stored row back for them. The INSERT is a fixed statement per column set, which
    sqlite3 prepares once and keeps: sqlite-utils' ``insert`` inspects the table on every call,
    too slow for the commit a guard waits for.
    """
    stored = {**row, "recorded_at": utc_text(now)}
    record = table.shape.predict(stored)
    digests = None if record is None else table.digests(record)
    sql = _insert_sql(table.shape.table, tuple(stored))
    values = tuple(stored.values())
    record_id = stored["passage_id"]

    def job(db: Executes) -> None:
        db.execute(sql, values)
        append_link(
            db, PASSAGE_KIND, record_id, digests or stored_digests(db, PASSAGE_KIND, record_id), now
        )

    return job


@functools.cache
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"


def chain_and_queue(db: Executes, kind: str, record_id: str, now: datetime) -> ChainLink:
    """Link the record just inserted into the chain and queue it for the hub.

    Call inside the writer's transaction, after the INSERT: the digests are taken from the
    row as SQLite stored it, so they match what ``verify`` and the hub will read back.
    """
    return append_link(db, kind, record_id, stored_digests(db, kind, record_id), now)


def stored_digests(db: Executes, kind: str, record_id: str) -> tuple[str, str]:
    """The (public, personal) digests of the record as stored, read back in the transaction."""
    record = read_record(db, kind, record_id)
    if record is None:
        raise LookupError(f"{kind} {record_id} was not stored, cannot chain it")
    return record_digests(kind, record)


def append_link(
    db: Executes, kind: str, record_id: str, digests: tuple[str, str], now: datetime
) -> ChainLink:
    """Chain the record just inserted, whose ``digests`` are those of its stored row, after the
    head and queue it for the hub (inside the writer's transaction)."""
    link = next_link(written_head(db), kind, record_id, *digests)
    insert_link(db, link, "pending", now)
    return link


def insert_link(db: Executes, link: ChainLink, state: str, now: datetime) -> None:
    """Store ``link`` and its outbox row in ``state`` (pending, or synced for a link the hub
    gave back after a restore)."""
    db.execute(
        f"INSERT INTO chain ({_LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            link.seq,
            link.kind,
            link.record_id,
            link.public_digest,
            link.personal_digest,
            link.prev_hash,
            link.hash,
        ),
    )
    db.execute(
        "INSERT INTO outbox (seq, state, updated_at) VALUES (?, ?, ?)",
        (link.seq, state, utc_text(now)),
    )
    if db in _WRITTEN_HEADS:
        _WRITTEN_HEADS[db] = link
