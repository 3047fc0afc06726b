"""The booth's passage store: durable writes through the single writer, reads from any thread.

Every passage and audit event is stored with its hash-chain link and its outbox row in one
transaction (``records.passage_job``, ``records.chain_and_queue``), so what the guard saw
confirmed is provable and will reach the hub.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlite_utils import Database

from gatehouse.core.chain import ChainLink
from gatehouse.core.passage import Passage
from gatehouse.store import outbox
from gatehouse.store.audit import AuditKind, insert_event
from gatehouse.store.backup import backup_ledger, backups, default_backup_folder
from gatehouse.store.bundles import (
    StoredBundle,
    keep_document,
    read_bundle,
    read_kept,
    store_bundle,
)
from gatehouse.store.integrity import (
    LedgerCorruptError,
    LedgerMissingError,
    check_integrity,
    check_present,
    check_writable,
)
from gatehouse.store.records import PassageTable, chain_head, passage_job
from gatehouse.store.restore import adopt_links
from gatehouse.store.retention import purge_personal_data, truncate_wal
from gatehouse.store.rows import passage_to_row, row_to_passage, utc_text
from gatehouse.store.schema import migrate
from gatehouse.store.verify import TAIL_LINKS, LedgerVerdict, NotALedgerError, verify_ledger
from gatehouse.store.writer import SerialWriter, writer_pragmas


class Ledger:
    """Every passage at this booth, kept through power cuts. Create it with ``Ledger.open``.

    Writes go through one ``SerialWriter`` (run on a worker caller's own thread when the
    writer is idle, else queued). Reads open their own short-lived read-only
    connection, so any thread can read while the writer writes (WAL allows it) and a read
    never waits behind queued writes.
    """

    def __init__(self, path: Path, writer: SerialWriter, passages: PassageTable) -> None:
        """``passages``: the migrated table's shape, so a passage's digests can be taken
        before its write (``records.passage_job``)."""
        self.path = path
        self._writer = writer
        self._passages = passages
        self._read_uri = f"{path.as_uri()}?mode=ro"

    @classmethod
    def open(cls, path: Path, *, existing: bool = False) -> Ledger:
        """Check, open and migrate the ledger at ``path``, creating it and its folders if new.

        ``existing``: the booth already had this ledger (its configuration says so), so a
        missing or empty file raises ``LedgerMissingError`` instead of starting afresh.
        Raises ``LedgerCorruptError`` if an existing file is damaged or not a database, or
        the newest ``TAIL_LINKS`` links of its hash chain do not hold.
        """
        path = path.resolve()
        try:
            if existing:
                check_present(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            check_writable(path)
            check_integrity(path)
            if path.exists():
                _check_tail(path)
        except (LedgerCorruptError, LedgerMissingError) as exc:
            found = backups(path, default_backup_folder(path))
            exc.newest_backup = found[-1] if found else None
            raise
        writer = SerialWriter(path)
        try:
            passages = writer.submit(_migrate).result()
        except BaseException:
            writer.close()
            raise
        return cls(path, writer, passages)

    def record(self, passage: Passage) -> Future[None]:
        """Queue ``passage`` for writing; the future resolves once it is committed to disk.

        A duplicate ``passage_id`` rejects the future with ``sqlite3.IntegrityError``.
        Raises ``WriterClosedError`` after ``close``.
        """
        return self._writer.submit(
            passage_job(self._passages, passage_to_row(passage), datetime.now(UTC))
        )

    def record_many(self, passages: Iterable[Passage]) -> Future[None]:
        """Queue several passages as one transaction (all or none), chained in the given order.

        For bulk work (a backlog written back, a benchmark); a booth records each passage on
        its own with ``record`` so that each is durable the moment it is shown.
        """
        now = datetime.now(UTC)
        jobs = [passage_job(self._passages, passage_to_row(passage), now) for passage in passages]

        def insert(db: Database) -> None:
            for job in jobs:
                job(db)

        return self._writer.submit(insert)

    def record_event(
        self,
        kind: AuditKind,
        *,
        at: datetime,
        booth_id: str,
        actor: str,
        details: Mapping[str, Any],
    ) -> Future[str]:
        """Queue an audit event (chained like a passage); the future gives its event id."""
        utc_text(at)  # refuse a naive time here, not on the writer thread
        return self._writer.submit(
            lambda db: insert_event(
                db, kind, at=at, booth_id=booth_id, actor=actor, details=details
            )
        )

    def get(self, passage_id: str) -> Passage | None:
        """The passage with this id, or ``None`` if it was never recorded."""
        rows = self._read("SELECT * FROM passages WHERE passage_id = ?", (passage_id,))
        return row_to_passage(rows[0]) if rows else None

    def recent(self, limit: int = 50) -> list[Passage]:
        """Up to ``limit`` passages, latest ``decided_at`` first (ties: latest written first)."""
        rows = self._read(
            "SELECT * FROM passages ORDER BY decided_at DESC, rowid DESC LIMIT ?", (limit,)
        )
        return [row_to_passage(row) for row in rows]

    def count(self) -> int:
        """How many passages are recorded."""
        return int(self._read("SELECT count(*) AS n FROM passages", ())[0]["n"])

    def chain_head(self) -> ChainLink | None:
        """The newest link: what the hub is told, so a rewritten history shows at the office."""
        with self._reading() as conn:
            return chain_head(conn)

    def verify(self) -> LedgerVerdict:
        """Re-walk the chain and re-digest every record (see ``verify_ledger``)."""
        return verify_ledger(self.path)

    def adopt_links(self, items: Iterable[Mapping[str, Any]]) -> Future[int]:
        """Append links the hub holds from this booth (after a restore), as already synced;
        ``RecoveryError`` if one does not continue the chain exactly (see ``store.restore``)."""
        chosen = list(items)
        return self._writer.submit(lambda db: adopt_links(db, chosen, datetime.now(UTC)))

    def declare_restore(
        self, *, at: datetime, booth_id: str, actor: str, details: Mapping[str, Any]
    ) -> Future[str]:
        """Record the restore event that opens the restored ledger's next chain segment.

        Its ``segment_from`` is the head it follows, read in the same transaction, so the hub
        can accept the segment as declared (``core.chain.declared_restore``).
        """
        utc_text(at)

        def job(db: Database) -> str:
            head = chain_head(db)
            declared = {**details, "segment_from": head.seq if head else 0}
            return insert_event(
                db, AuditKind.RESTORE, at=at, booth_id=booth_id, actor=actor, details=declared
            )

        return self._writer.submit(job)

    def pending(self, limit: int) -> list[outbox.OutboxItem]:
        """Up to ``limit`` records the hub has not acknowledged yet, oldest link first."""
        with self._reading() as conn:
            return outbox.pending_items(conn, limit)

    def outbox_counts(self) -> outbox.OutboxCounts:
        with self._reading() as conn:
            return outbox.counts(conn)

    def mark_synced(self, seqs: Iterable[int]) -> Future[int]:
        """The hub acknowledged these links: they leave the outbox."""
        chosen = list(seqs)
        return self._writer.submit(
            lambda db: outbox.mark(db, chosen, outbox.SYNCED, datetime.now(UTC))
        )

    def mark_pending_from(self, first: int) -> Future[int]:
        """The hub lacks the links from ``first`` on: those it had acknowledged are sent again."""
        return self._writer.submit(lambda db: outbox.reopen_from(db, first, datetime.now(UTC)))

    def mark_rejected(self, rejections: Mapping[int, str]) -> Future[int]:
        """The hub refused (and quarantined) these links; kept, with its reason, for the office."""
        chosen = dict(rejections)

        def job(db: Database) -> int:
            now = datetime.now(UTC)
            return sum(
                outbox.mark(db, [seq], outbox.REJECTED, now, reason)
                for seq, reason in chosen.items()
            )

        return self._writer.submit(job)

    def mark_kept(self, seqs: Iterable[int], detail: str) -> Future[int]:
        """The hub acknowledged these links alone: their records, made under another booth id
        than the enrolled one, stay here under that id (``detail`` says why, for the office)."""
        chosen = list(seqs)
        return self._writer.submit(
            lambda db: outbox.mark(db, chosen, outbox.KEPT, datetime.now(UTC), detail)
        )

    def bundle(self, name: str) -> StoredBundle | None:
        """The newest bundle of this name the booth has accepted, or ``None``."""
        with self._reading() as conn:
            return read_bundle(conn, name)

    def store_bundle(self, bundle: StoredBundle, booth_id: str) -> Future[bool]:
        """Keep a verified bundle unless it is not newer than the one held (never roll back)."""
        return self._writer.submit(lambda db: store_bundle(db, bundle, booth_id))

    def kept_document(self, name: str) -> Any:
        """The last good copy of office document ``name`` kept by ``keep_document``, or None."""
        with self._reading() as conn:
            return read_kept(conn, name)

    def keep_document(self, name: str, content: Any, at: datetime) -> Future[None]:
        """Keep ``content`` as the last good copy of office document ``name``."""
        return self._writer.submit(lambda db: keep_document(db, name, content, at))

    def settings(self) -> dict[str, str]:
        """The sync settings kept in the ledger (hub address, booth token, hub key, …)."""
        with self._reading() as conn:
            return {
                key: value for key, value in conn.execute("SELECT key, value FROM sync_settings")
            }

    def save_settings(self, values: Mapping[str, str]) -> Future[None]:
        chosen = dict(values)

        def job(db: Database) -> None:
            for key, value in chosen.items():
                db.execute(
                    "INSERT OR REPLACE INTO sync_settings (key, value) VALUES (?, ?)", (key, value)
                )

        return self._writer.submit(job)

    def purge(self, cutoff: datetime, booth_id: str) -> Future[int]:
        """Erase personal data of acknowledged passages decided before ``cutoff``.

        The future resolves after the WAL has been emptied, so no erased value is left in
        either file.
        """
        utc_text(cutoff)
        erased = self._writer.submit(lambda db: purge_personal_data(db, cutoff, booth_id))
        truncated = self._writer.submit(truncate_wal, transaction=False)
        done: Future[int] = Future()

        def settle(_: Future[None]) -> None:
            error = erased.exception() or truncated.exception()
            if error is not None:
                done.set_exception(error)
            else:
                done.set_result(erased.result())

        truncated.add_done_callback(settle)
        return done

    def backup(self, folder: Path, *, keep: int = 7) -> Path:
        """An online, checked copy of the ledger in ``folder``; older copies beyond ``keep`` go."""
        return backup_ledger(self.path, folder, keep=keep, now=datetime.now(UTC))

    def pragmas(self) -> dict[str, Any]:
        """The writer connection's own settings (journal_mode, synchronous, ...), for checks."""
        return self._writer.submit(writer_pragmas).result()

    def close(self) -> None:
        """Finish writing everything already recorded, then release the file."""
        self._writer.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self._read_uri, uri=True)) as conn:
            yield conn

    def _read(self, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        with self._reading() as conn:
            conn.row_factory = sqlite3.Row
            return [dict(row) for row in conn.execute(sql, params)]


def _migrate(db: Database) -> PassageTable:
    migrate(db)
    return PassageTable.of(db.conn)


def _check_tail(path: Path) -> None:
    try:
        verdict = verify_ledger(path, tail=TAIL_LINKS)
    except NotALedgerError:
        return  # a new file: the migration creates the chain
    problem = verdict.problem()
    if problem is not None:
        raise LedgerCorruptError(path, f"hash chain: {problem}")
