"""``verify-ledger``: re-walk the hash chain and re-digest every record it covers.

Reads through its own read-only connection, so it can run beside a running booth.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from gatehouse.core.chain import (
    AUDIT_KIND,
    PASSAGE_KIND,
    ChainBreak,
    ChainLink,
    ChainWalk,
    record_digests,
)
from gatehouse.core.passage import PERSONAL_FIELDS
from gatehouse.store.audit import AuditKind
from gatehouse.store.records import RECORD_TABLES, chain_head, iter_links, read_record


@dataclass(frozen=True)
class LedgerVerdict:
    """What was checked and the first broken link (``None``: the ledger is intact)."""

    links: int
    head: ChainLink | None
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


@dataclass
class _PurgeCheck:
    """Passages whose personal digest no longer matches because a purge erased them; they are
    accepted only if a chained purge event covers them (checked once every event is known)."""

    latest_cutoff: str = ""
    erased: list[tuple[ChainLink, str]] = field(default_factory=list)

    def first_uncovered(self) -> ChainBreak | None:
        for link, decided_at in self.erased:
            if not decided_at < self.latest_cutoff:
                return ChainBreak(
                    link.seq,
                    link.kind,
                    link.record_id,
                    "personal data was changed (no purge covers this passage)",
                )
        return None


def verify_ledger(path: Path) -> LedgerVerdict:
    """Check the ledger at ``path``; raises ``FileNotFoundError`` if there is none."""
    if not path.is_file():
        raise FileNotFoundError(f"no ledger at {path}")
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        walk, purges, links = ChainWalk(), _PurgeCheck(), 0
        found: ChainBreak | None = None
        for link in iter_links(conn):
            found = walk.check(link) or _check_record(conn, link, purges)
            if found is not None:
                break
            links += 1
        found = _earliest(found, purges.first_uncovered())
        if found is None:
            found = _unchained_record(conn)
        return LedgerVerdict(links, chain_head(conn), found)


def _earliest(*breaks: ChainBreak | None) -> ChainBreak | None:
    present = [b for b in breaks if b is not None]
    return min(present, key=lambda b: b.seq or 0) if present else None


def _check_record(
    conn: sqlite3.Connection, link: ChainLink, purges: _PurgeCheck
) -> ChainBreak | None:
    record = read_record(conn, link.kind, link.record_id)
    if record is None:
        return ChainBreak(link.seq, link.kind, link.record_id, "the record was deleted")
    public, personal = record_digests(link.kind, record)
    if public != link.public_digest:
        return ChainBreak(link.seq, link.kind, link.record_id, "the record was changed")
    if personal != link.personal_digest:
        if not _was_erased(conn, link, record):
            return ChainBreak(link.seq, link.kind, link.record_id, "personal data was changed")
        purges.erased.append((link, record["decided_at"]))
    if link.kind == AUDIT_KIND and record["kind"] == AuditKind.PURGE:
        purges.latest_cutoff = max(purges.latest_cutoff, json.loads(record["details"])["cutoff"])
    return None


def _was_erased(conn: sqlite3.Connection, link: ChainLink, record: dict[str, object]) -> bool:
    if link.kind != PASSAGE_KIND or any(record[name] for name in PERSONAL_FIELDS):
        return False
    row = conn.execute(
        "SELECT purged_at FROM passages WHERE passage_id = ?", (link.record_id,)
    ).fetchone()
    return row is not None and row[0] is not None


def _unchained_record(conn: sqlite3.Connection) -> ChainBreak | None:
    """A record with no link was written around the ledger (or its link was deleted)."""
    for kind, table in RECORD_TABLES.items():
        row = conn.execute(
            f"SELECT {table.key} FROM {table.table} WHERE {table.key} NOT IN "
            "(SELECT record_id FROM chain WHERE kind = ?) LIMIT 1",
            (kind,),
        ).fetchone()
        if row is not None:
            return ChainBreak(None, kind, row[0], "the record has no link in the chain")
    return None
