"""``verify-ledger``: re-walk the hash chain and re-digest every record it covers.

Reads through its own read-only connection, so it can run beside a running booth, and leaves
nothing beside a file it checks: without a write-ahead log the file is opened immutable (a
read-only connection to a WAL database would otherwise create ``-wal`` and ``-shm``).
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
    RecordDigesters,
)
from gatehouse.core.passage import PERSONAL_FIELDS
from gatehouse.store.audit import AuditKind
from gatehouse.store.integrity import is_corruption
from gatehouse.store.records import RECORD_TABLES, chain_head, iter_links, link_at, read_record

TAIL_LINKS = 1000
"""How many of the newest links a booth re-checks before it starts (the rest in background)."""


@dataclass(frozen=True)
class LedgerVerdict:
    """What was checked and the first broken link (``None``: the ledger is intact).

    ``unreadable``: SQLite's words when the file itself is damaged past the ``links`` read.
    """

    links: int
    head: ChainLink | None
    first_break: ChainBreak | None
    unreadable: str | None = None

    @property
    def intact(self) -> bool:
        return self.first_break is None and self.unreadable is None

    def problem(self) -> str | None:
        """The first problem in words, or ``None``."""
        if self.first_break is not None:
            return str(self.first_break)
        if self.unreadable is not None:
            return f"the file is damaged after link {self.links}: {self.unreadable}"
        return None


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


class NotALedgerError(ValueError):
    """The file is an SQLite database without a hash chain (new, or not a Gatehouse ledger)."""


def read_only_uri(path: Path) -> str:
    """A URI that reads ``path`` without creating anything beside it."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    return uri if wal.exists() else f"{uri}&immutable=1"


def verify_ledger(path: Path, *, tail: int | None = None) -> LedgerVerdict:
    """Check the ledger at ``path`` (only its newest ``tail`` links when given).

    Raises ``FileNotFoundError`` if there is none and ``NotALedgerError`` if the file has no
    chain; a damaged file is a verdict, not an error.
    """
    if not path.is_file():
        raise FileNotFoundError(f"no ledger at {path}")
    with closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
        walked = [0]
        try:
            return _verify(conn, tail, walked)
        except sqlite3.DatabaseError as exc:
            if not is_corruption(exc):
                raise
            return LedgerVerdict(walked[0], None, None, str(exc))


def _verify(conn: sqlite3.Connection, tail: int | None, walked: list[int]) -> LedgerVerdict:
    """The walk itself; ``walked[0]`` counts the links found sound, for a damaged file."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'chain'").fetchone() is None:
        raise NotALedgerError("the file holds no hash chain: not a Gatehouse ledger")
    head = chain_head(conn)
    start = 0 if tail is None or head is None else max(0, head.seq - tail)
    after = link_at(conn, start) if start else None
    if start and after is None:
        missing = ChainBreak(start, "?", "?", "the link before the checked tail is missing")
        return LedgerVerdict(0, head, missing)
    walk, purges = ChainWalk(after), _PurgeCheck(_purge_cutoff(conn) if start else "")
    digests = RecordDigesters()
    found: ChainBreak | None = None
    for link in iter_links(conn, start):
        found = walk.check(link) or _check_record(conn, link, purges, digests)
        if found is not None:
            break
        walked[0] += 1
    found = _earliest(found, purges.first_uncovered())
    if found is None and tail is None:
        found = _unchained_record(conn)
    return LedgerVerdict(walked[0], head, found)


def _purge_cutoff(conn: sqlite3.Connection) -> str:
    """The latest purge's cutoff, for a tail check that starts after the purge's own link."""
    rows = conn.execute("SELECT details FROM audit_events WHERE kind = ?", (AuditKind.PURGE,))
    return max((json.loads(row[0])["cutoff"] for row in rows), default="")


def _earliest(*breaks: ChainBreak | None) -> ChainBreak | None:
    present = [b for b in breaks if b is not None]
    return min(present, key=lambda b: b.seq or 0) if present else None


def _check_record(
    conn: sqlite3.Connection, link: ChainLink, purges: _PurgeCheck, digests: RecordDigesters
) -> ChainBreak | None:
    record = read_record(conn, link.kind, link.record_id)
    if record is None:
        return ChainBreak(link.seq, link.kind, link.record_id, "the record was deleted")
    public, personal = digests(link.kind, record)
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
