"""One slow job on a worker thread, with progress, cancellation and the result as Qt signals:
how the guard's flows, the setup wizard and the supervisor's desk keep the GUI thread free.

Exports use it too: their worker thread only records the audit event and then waits on the
export's child process (``gatehouse.reports.export_process``), which does the heavy work.

The job object lives in the GUI thread; its signals are emitted from the worker, so Qt queues
each delivery to the GUI thread. ``wait`` joins the thread (windows call it when they close, so
no job outlives its window).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from gatehouse.reports.failures import plain_words
from gatehouse.reports.progress import CancelToken, JobCancelledError, ProgressCallback

log = logging.getLogger(__name__)

Work = Callable[[ProgressCallback, CancelToken], Any]


class BackgroundJob(QObject):
    progressed = Signal(int, int)  # done, total (0: unknown)
    succeeded = Signal(object)
    failed = Signal(str)  # the error in plain words
    cancelled = Signal()
    ended = Signal()  # after any of the three above

    def __init__(self, work: Work, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._name = name
        self._token = CancelToken()
        self._thread = threading.Thread(target=self._run, name=f"gatehouse-{name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._token.cancel()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Join the worker; True once it has finished."""
        if self._thread.ident is not None:
            self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def _run(self) -> None:
        try:
            result = self._work(self._progressed, self._token)
        except JobCancelledError:
            self._tell(self.cancelled)
        except Exception as exc:  # shown to the supervisor, never lost in a thread
            log.exception("background job %s failed", self._name)  # the traceback, for IT
            self._tell(self.failed, plain_words(exc))
        else:
            self._tell(self.succeeded, result)
        self._tell(self.ended)

    def _progressed(self, done: int, total: int) -> None:
        self._tell(self.progressed, done, total)

    def _tell(self, signal: Any, *args: Any) -> None:
        """Emit, unless the window that started the job was destroyed without waiting for
        it (Qt: "Signal source has been deleted"): nobody is left to tell, which is logged."""
        try:
            signal.emit(*args)
        except RuntimeError:
            log.info("background job %s ended after the window that started it", self._name)
