"""Admission control for uploads: the hub says when it is busy instead of timing booths out.

At most ``limit`` uploads are ingested at once (the database pool and the worker threads are
sized to match, see ``gatehouse.hub.server``). A request waits at most ``queue_s`` for a slot
and is then told to come back (503 with ``Retry-After``), unparsed. One that finds
``max_waiting`` requests already waiting is told at once, before its body is read
(``refuse_when_full``), so a recovery storm costs the hub almost nothing for the requests it
cannot take now. (Requests still reading their bodies are not yet counted as waiting: a burst
arriving together is read whole, and those over ``max_waiting`` are refused once read.)
``Retry-After`` is the time the queue ahead needs at the recent pace of ingests, so booths
come back when there is room.

When ingest goes quiet after a burst (no upload ingested or waiting for ``trim.quiet_s``), the
freed heap is handed back to the system (``gatehouse.hub.memory``), in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from gatehouse.hub.memory import TrimAfterBurst, malloc_trim

log = logging.getLogger(__name__)

MIN_RETRY_S = 1
MAX_RETRY_S = 120


class BusyError(Exception):
    """No slot in time; ``retry_after_s`` is when the booth should try again."""

    def __init__(self, retry_after_s: int, waiting: int) -> None:
        super().__init__(
            f"the hub is busy ({waiting} uploads waiting): try again in {retry_after_s} s"
        )
        self.retry_after_s = retry_after_s


class Admission:
    """A bounded number of concurrent ingests with a queue-time budget (one event loop)."""

    def __init__(
        self,
        limit: int,
        queue_s: float = 5.0,
        max_waiting: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        trim: TrimAfterBurst | None = None,
    ) -> None:
        if limit < 1:
            raise ValueError("at least one upload must be admitted at a time")
        self.limit = limit
        self._queue_s = queue_s
        self._max_waiting = 8 * limit if max_waiting is None else max_waiting
        self._clock = clock
        self._slots = asyncio.Semaphore(limit)
        self._waiting = 0
        self._mean_s = 0.05  # recent mean ingest time, moving average
        self._trim = trim or TrimAfterBurst(malloc_trim())
        self._ingesting = 0
        self._admitted = 0  # uploads admitted so far: a quiet check sees if any came since

    @asynccontextmanager
    async def slot(self, size: int = 0) -> AsyncIterator[None]:
        """Hold one ingest slot for the block; ``BusyError`` if none comes within the budget.

        ``size``: the upload's body in bytes, counted towards the next trim."""
        self.refuse_when_full()
        self._waiting += 1
        try:
            await asyncio.wait_for(self._slots.acquire(), self._queue_s)
        except TimeoutError:
            raise BusyError(self.retry_after_s(), self._waiting) from None
        finally:
            self._waiting -= 1
        started = self._clock()
        self._ingesting += 1
        self._admitted += 1
        self._trim.ingested(size)
        try:
            yield
        finally:
            self._ingesting -= 1
            self._slots.release()
            self._mean_s += (self._clock() - started - self._mean_s) / 8
            self._when_quiet()

    def refuse_when_full(self) -> None:
        """``BusyError`` now when ``max_waiting`` requests already wait for a slot: called
        before a request's body is read, so one that cannot wait is not read at all."""
        if self._waiting >= self._max_waiting:
            raise BusyError(self.retry_after_s(), self._waiting)

    def _when_quiet(self) -> None:
        """After the last ingest of a burst, check back once the quiet time has passed."""
        if self._ingesting or self._waiting:
            return
        loop = asyncio.get_running_loop()
        loop.call_later(self._trim.quiet_s, self._trim_if_still_quiet, self._admitted)

    def _trim_if_still_quiet(self, admitted: int) -> None:
        quiet = self._admitted == admitted and not (self._ingesting or self._waiting)
        if quiet and self._trim.claim():
            done = asyncio.get_running_loop().run_in_executor(None, self._trim.trim)
            done.add_done_callback(_log_failure)

    def retry_after_s(self) -> int:
        """Seconds until the uploads now waiting (and one more round) have been ingested."""
        rounds = (self._waiting + self.limit) / self.limit
        return min(MAX_RETRY_S, max(MIN_RETRY_S, math.ceil(rounds * self._mean_s)))


def _log_failure(done: asyncio.Future[None]) -> None:
    if not done.cancelled() and done.exception() is not None:
        log.error("malloc_trim failed", exc_info=done.exception())
