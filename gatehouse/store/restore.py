"""Putting the newest good backup in place of a damaged ledger, and taking back into it the
links the hub still holds from after the backup.

Nothing is deleted: the damaged file (and its write-ahead log) is renamed beside the ledger for
IT. A backup counts as good only if it passes SQLite's full integrity check (indexes too) and its
whole hash chain holds.
Links taken back from the hub must continue the restored chain exactly and match their records'
digests; the first that does not ends the recovery there.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gatehouse.core.chain import ChainLink, ChainWalk, RecordDigesters
from gatehouse.store import outbox
from gatehouse.store.integrity import LedgerCorruptError, check_integrity
from gatehouse.store.records import RECORD_TABLES, Executes, chain_head, dict_rows, insert_link
from gatehouse.store.verify import NotALedgerError, verify_ledger

_LEDGER_FILES = ("", "-wal", "-shm")


@dataclass(frozen=True)
class GoodBackup:
    path: Path
    links: int  # the backup's chain head (0: an empty chain)


@dataclass(frozen=True)
class RejectedBackup:
    path: Path
    problem: str


def newest_good_backup(
    candidates: Iterable[Path],
) -> tuple[GoodBackup | None, list[RejectedBackup]]:
    """The newest of ``candidates`` (oldest first, as ``backups`` lists them) that is whole,
    and why each newer one was passed over."""
    rejected: list[RejectedBackup] = []
    for path in reversed(list(candidates)):
        try:
            check_integrity(path, thorough=True)
            verdict = verify_ledger(path)
        except (LedgerCorruptError, NotALedgerError, sqlite3.Error, OSError) as exc:
            rejected.append(RejectedBackup(path, str(exc)))
            continue
        problem = verdict.problem()
        if problem is not None:
            rejected.append(RejectedBackup(path, problem))
            continue
        return GoodBackup(path, verdict.head.seq if verdict.head else 0), rejected
    return None, rejected


def put_in_place(backup: Path, ledger: Path, now: datetime) -> Path | None:
    """Copy ``backup`` to ``ledger``; what was there is renamed aside (returned), not deleted."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept: Path | None = None
    for suffix in _LEDGER_FILES:
        current = ledger.with_name(ledger.name + suffix)
        if current.exists():
            aside = ledger.with_name(f"{ledger.name}.damaged-{stamp}{suffix}")
            current.replace(aside)
            kept = kept or aside
    ledger.parent.mkdir(parents=True, exist_ok=True)
    partial = ledger.with_name(ledger.name + ".restoring")
    shutil.copyfile(backup, partial)
    with partial.open("rb") as copied:
        os.fsync(copied.fileno())
    partial.replace(ledger)
    return kept


class RecoveryError(ValueError):
    """A link from the hub that cannot join the restored chain; the message says why."""


def adopt_links(db: Executes, items: Iterable[Mapping[str, Any]], now: datetime) -> int:
    """Append the hub's ``items`` ({link, record}) to the chain as already synced.

    Runs inside one writer transaction: a page is taken whole or not at all.
    """
    walk, digests = ChainWalk(chain_head(db)), RecordDigesters()
    adopted = 0
    for item in items:
        link, record = _parse(item)
        problem = walk.check(link)
        if problem is not None:
            raise RecoveryError(f"the hub's {problem}")
        if digests(link.kind, record) != (link.public_digest, link.personal_digest):
            raise RecoveryError(f"the hub's record at link {link.seq} does not match its link")
        _insert_record(db, link, record)
        insert_link(db, link, outbox.SYNCED, now)
        adopted += 1
    return adopted


def _parse(item: Mapping[str, Any]) -> tuple[ChainLink, dict[str, Any]]:
    try:
        link = ChainLink.from_mapping(item["link"])
        record = dict(item["record"])
    except (KeyError, TypeError, ValueError) as exc:
        raise RecoveryError(f"the hub sent a malformed link: {exc}") from None
    if link.kind not in RECORD_TABLES:
        raise RecoveryError(f"the hub sent a link of unknown kind {link.kind!r}")
    if not isinstance(link.seq, int) or record.get(RECORD_TABLES[link.kind].key) != link.record_id:
        raise RecoveryError(f"the hub's link {link.seq} does not name its record")
    return link, record


def _insert_record(db: Executes, link: ChainLink, record: dict[str, Any]) -> None:
    table = RECORD_TABLES[link.kind].table
    columns = {row["name"] for row in dict_rows(db.execute(f"PRAGMA table_info({table})"))}
    unknown = sorted(set(record) - columns)
    if unknown:
        raise RecoveryError(f"the hub's record at link {link.seq} has unknown fields {unknown}")
    names = sorted(record)
    db.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [record[name] for name in names],
    )
