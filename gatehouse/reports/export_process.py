"""Exports written by a child process, so a year of passages never competes with the desk's GUI
thread for the interpreter lock (on a worker thread the GUI stalled up to 0.6 s: BENCHMARKS.md).

The child is started with the "spawn" context: the same on Linux and Windows and in the frozen
build (whose entry script calls ``multiprocessing.freeze_support()``). It is handed the ledger's
path, not the Ledger, and only reads it; it writes the file complete or not at all
(``table.write_table``) and reports over a one-way pipe: ``("progress", done, total)`` messages,
then one of ``("done", rows)``, ``("cancelled",)`` or ``("failed", plain words)``.

Cancelling sets an event the child checks between chunks of rows; a child that has not stopped
within ``CANCEL_GRACE_S`` (stuck writing to a dead network share, say) is terminated and its
partial file removed. Whatever must be written to the ledger, the audit event above all, is
written by the parent before the child starts (``run_export``).
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from contextlib import closing
from datetime import datetime
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path

from gatehouse.reports.export import AuditLog, ExportDone, TableExport, record_export
from gatehouse.reports.failures import ReportFailedError, plain_words
from gatehouse.reports.progress import (
    CancelToken,
    JobCancelledError,
    ProgressCallback,
    no_progress,
)
from gatehouse.reports.table import PROGRESS_EVERY, partial_path
from gatehouse.store.queries import PassageQueries

CANCEL_GRACE_S = 5.0  # a cancelled child gets this long to stop by itself
POLL_S = 0.1  # how often the waiting thread looks at the cancel token between messages
_SPAWN = multiprocessing.get_context("spawn")


class ExportProcess:
    """One export being written by a child process. Wait for it from one thread (``wait``);
    ``cancel`` may be called from any."""

    def __init__(
        self,
        database: Path,
        export: TableExport,
        *,
        now: datetime,
        progress_every: int = PROGRESS_EVERY,
    ) -> None:
        self.export = export
        self._cancel: Event = _SPAWN.Event()
        self._cancelled_at: float | None = None
        self._messages, send = _SPAWN.Pipe(duplex=False)
        self._process = _SPAWN.Process(
            target=_write_in_child,
            args=(database, export, now, progress_every, send, self._cancel),
            name="gatehouse-export",
            daemon=True,  # never outlives the desk
        )
        self._process.start()
        send.close()  # the child now holds the only sending end: its exit ends the pipe

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    @property
    def exitcode(self) -> int | None:
        """0 when the child ended by itself; -15 when it had to be terminated (POSIX)."""
        return self._process.exitcode

    def cancel(self) -> None:
        """Ask the child to stop; ``wait`` terminates it if it has not within the grace time."""
        if self._cancelled_at is None:
            self._cancel.set()
            self._cancelled_at = time.monotonic()

    def wait(
        self,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        grace_s: float = CANCEL_GRACE_S,
    ) -> int:
        """Relay the child's progress until it ends; the number of rows written.

        Raises ``JobCancelledError`` when cancelled (here or through ``cancel``) and
        ``ReportFailedError`` with the child's error in plain words. The child is gone, and
        any partial file with it, when this returns or raises.
        """
        try:
            while True:
                if cancel is not None and cancel.cancelled:
                    self.cancel()
                if self._cancelled_at is not None and (
                    time.monotonic() - self._cancelled_at > grace_s
                ):
                    raise JobCancelledError("cancelled; the export process was stopped")
                if not self._messages.poll(POLL_S):  # waits without holding the GIL
                    continue
                try:
                    message = self._messages.recv()
                except EOFError:
                    self._process.join()
                    raise ReportFailedError(
                        "导出进程意外退出,文件未保存 · The export process stopped unexpectedly"
                        f" (exit code {self._process.exitcode}): no file was saved"
                    ) from None
                if message[0] == "progress":
                    progress(message[1], message[2])
                elif message[0] == "done":
                    return int(message[1])
                elif message[0] == "cancelled":
                    raise JobCancelledError("cancelled")
                else:
                    raise ReportFailedError(str(message[1]))
        finally:
            self._end()

    def _end(self) -> None:
        """Join the child, terminating it if it is still running, and drop any partial file."""
        self._process.join(timeout=1.0)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5.0)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._messages.close()
        partial_path(self.export.path).unlink(missing_ok=True)


def run_export(
    database: Path,
    export: TableExport,
    *,
    audit: AuditLog | None,
    booth_id: str,
    actor: str,
    now: datetime,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    progress_every: int = PROGRESS_EVERY,
    started: Callable[[ExportProcess], None] | None = None,
) -> ExportDone:
    """Record ``export`` in the audit chain here, then have a child process write it.

    Call it from a worker thread: it blocks until the file is written (waiting on the pipe
    releases the GIL, so the GUI thread runs meanwhile). ``started`` is handed the child's
    process once it runs, for callers that show or watch it.
    """
    event_id = record_export(audit, export, booth_id=booth_id, actor=actor, now=now)
    if cancel is not None:
        cancel.check()
    process = ExportProcess(database, export, now=now, progress_every=progress_every)
    if started is not None:
        started(process)
    rows = process.wait(progress, cancel)
    return ExportDone(export.path, rows, event_id)


def _write_in_child(
    database: Path,
    export: TableExport,
    now: datetime,
    progress_every: int,
    send: Connection,
    cancel_event: Event,
) -> None:
    """The child's whole life: write the file, then say how it went."""
    with closing(send):
        cancel = CancelToken(cancel_event)

        def report(done: int, total: int) -> None:
            send.send(("progress", done, total))

        try:
            rows = export.write(
                PassageQueries(database),
                now=now,
                progress=report,
                cancel=cancel,
                progress_every=progress_every,
            )
        except JobCancelledError:
            send.send(("cancelled",))
        except Exception as exc:
            send.send(("failed", plain_words(exc)))
        else:
            send.send(("done", rows))
