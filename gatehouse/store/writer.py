"""Every write to a ledger file goes through one thread owning one connection.

Python 3.11's bundled SQLite has a WAL-reset bug when two connections write to the same
file, so the process never has a second writing connection: jobs are queued to a single
``SerialWriter`` and run one at a time, each in its own ``BEGIN IMMEDIATE`` transaction
(IMMEDIATE takes the write lock up front, so a transaction never fails half-way on a lock
upgrade).

A job submitted from a thread other than the main (GUI) thread while the writer is idle runs
on the submitting thread itself, under the same lock and in the same kind of transaction: the
caller would only wait for it anyway, and the hand-off (queue, wake-up, future) cost a
guard's commit as much as its INSERTs. The main thread always queues, so the GUI never waits
on a disk.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlite_utils import Database

from gatehouse.store.records import forget_head
from gatehouse.supervision import SUPERVISOR, Supervisor

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000
_MAIN_THREAD = threading.main_thread()

# Set on the write connection at open, before it switches to WAL. synchronous=FULL is the
# only setting that kept every acknowledged commit through a power cut in our measurements.
_PRAGMAS = (
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    # Deleted or overwritten content is zeroed, so a retention purge leaves no copy in the file.
    "PRAGMA secure_delete=ON",
)
_REPORTED_PRAGMAS = (
    "journal_mode",
    "synchronous",
    "foreign_keys",
    "busy_timeout",
    "secure_delete",
)


class WriterClosedError(RuntimeError):
    """Raised by ``submit`` after ``close``: the job would never run, so it is refused."""


@dataclass(frozen=True)
class _Job(Generic[T]):
    fn: Callable[[Database], T]
    future: Future[T]
    transaction: bool


class SerialWriter:
    """Runs write jobs one at a time on a dedicated daemon thread with its own connection."""

    def __init__(self, path: Path, supervisor: Supervisor = SUPERVISOR) -> None:
        """Open ``path`` on the writer thread; a failure to open is raised here, not later."""
        self._supervisor = supervisor
        self._jobs: queue.SimpleQueue[_Job[Any] | None] = queue.SimpleQueue()
        self._lock = threading.Lock()  # guards _closed and _unfinished
        self._closed = False
        self._db: Database  # set on the writer thread before the constructor returns
        self._unfinished = 0  # jobs submitted and not yet settled, queued or running
        self._running = threading.Lock()  # held by whichever thread runs a job or closes db
        opened: Future[None] = Future()
        self._thread = threading.Thread(
            target=self._run, args=(path, opened), name="gatehouse-writer", daemon=True
        )
        self._thread.start()
        error = opened.exception()
        if error is not None:
            self._thread.join()
            raise error

    def submit(self, fn: Callable[[Database], T], *, transaction: bool = True) -> Future[T]:
        """Queue ``fn`` to run inside ``BEGIN IMMEDIATE`` … ``COMMIT`` on the writer thread.

        The future resolves with ``fn``'s result only once COMMIT has returned, i.e. the
        change is durable. If ``fn`` (or the COMMIT) raises, the transaction is rolled back
        and the exception is set on the future; the writer carries on with the next job.
        ``fn`` must not commit or roll back itself (``db.atomic()`` nests safely).
        ``transaction=False`` runs ``fn`` outside any transaction, for the statements SQLite
        refuses inside one (``wal_checkpoint``, ``VACUUM``); it must not write rows.
        From a thread other than the main one, with nothing queued or running, ``fn`` runs
        on the calling thread before this returns (the future already settled).
        """
        job: _Job[T] = _Job(fn, Future(), transaction)
        with self._lock:
            if self._closed:
                raise WriterClosedError("the ledger writer is closed; nothing more can be written")
            inline = self._unfinished == 0 and threading.current_thread() is not _MAIN_THREAD
            self._unfinished += 1
            if inline:
                # Nothing is queued or running, so the order of jobs is kept; the lock
                # stays ours until the job has settled.
                self._running.acquire()
            else:
                self._jobs.put(job)
        if inline:
            self._settle(job)
        return job.future

    def close(self) -> None:
        """Run every job already submitted, then stop and join the thread. Safe to repeat."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._jobs.put(None)
        self._thread.join()

    def _run(self, path: Path, opened: Future[None]) -> None:
        try:
            db = _open(path)
        except BaseException as exc:
            opened.set_exception(exc)
            return
        self._db = db
        opened.set_result(None)
        try:  # the loop restarts after anything unexpected outside a job (never the jobs')
            self._supervisor.run_forever("writer", self._drain, threading.Event())
        finally:
            with self._running:  # a job running on its caller's thread ends first
                db.close()

    def _drain(self) -> None:
        while (job := self._jobs.get()) is not None:
            self._running.acquire()
            self._settle(job)
            self._supervisor.recovered("writer")

    def _settle(self, job: _Job[Any]) -> None:
        """Run ``job`` (``_running`` already held, released here) and count it finished."""
        try:
            _execute(self._db, job)
        finally:
            with self._lock:
                self._unfinished -= 1
            self._running.release()


def writer_pragmas(db: Database) -> dict[str, Any]:
    """The durability settings in force on ``db``, so tests can check the writer's own."""
    return {name: db.execute(f"PRAGMA {name}").fetchone()[0] for name in _REPORTED_PRAGMAS}


def _open(path: Path) -> Database:
    """Connect in autocommit mode (transactions are ours to begin) and set the pragmas."""
    # Used by one thread at a time under the writer's lock, not only by the one that opened it.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        for pragma in _PRAGMAS:
            conn.execute(pragma)
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode != "wal":
            raise sqlite3.OperationalError(f"{path}: SQLite refused WAL mode (left in {mode!r})")
        return Database(conn, execute_plugins=False)
    except BaseException:
        conn.close()
        raise


def _execute(db: Database, job: _Job[T]) -> None:
    """Run one job (in its own transaction unless asked not to) and settle its future."""
    if not job.future.set_running_or_notify_cancel():
        return
    try:
        result = _in_transaction(db, job.fn) if job.transaction else job.fn(db)
    except BaseException as exc:
        job.future.set_exception(exc)
    else:
        job.future.set_result(result)


def _in_transaction(db: Database, fn: Callable[[Database], T]) -> T:
    # On the connection itself: ``Database.execute`` re-reads each statement's first keyword
    # to manage transactions of its own, which every commit a guard waits for would pay.
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        result = fn(db)
        db.conn.execute("COMMIT")
    except BaseException:
        db.rollback()  # no-op when the error has already ended the transaction
        forget_head(db)  # the head kept for appends may be one that was rolled back
        raise
    return result
