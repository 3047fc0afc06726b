"""Progress and cancellation for long report jobs, without Qt: the desk cancels from the GUI
thread a job that runs in a worker thread or a child process (``export_process``); a command
line can do the same with a signal handler.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

# (rows done, rows in total); total is 0 when not known.
ProgressCallback = Callable[[int, int], None]


class JobCancelledError(Exception):
    """The job was cancelled; whatever it had written is gone."""


class Flag(Protocol):
    """``threading.Event`` or a ``multiprocessing`` Event shared with a child process."""

    def set(self) -> None: ...

    def is_set(self) -> bool: ...


class CancelToken:
    """Set from any thread (or, over a shared event, any process); the job checks it between
    batches and raises ``JobCancelledError``."""

    def __init__(self, event: Flag | None = None) -> None:
        self._event: Flag = event if event is not None else threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise JobCancelledError("cancelled")


def no_progress(_done: int, _total: int) -> None:
    """For callers that do not show progress."""
