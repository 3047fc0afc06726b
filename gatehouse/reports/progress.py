"""Progress and cancellation for long report jobs, without Qt: the desk runs jobs in a worker
thread and cancels from the GUI thread; a command line can do the same with a signal handler.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

# (rows done, rows in total); total is 0 when not known.
ProgressCallback = Callable[[int, int], None]


class JobCancelledError(Exception):
    """The job was cancelled; whatever it had written is gone."""


class CancelToken:
    """Set from any thread; the job checks it between batches and raises ``JobCancelledError``."""

    def __init__(self) -> None:
        self._event = threading.Event()

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
