"""Handing freed heap back to the system once a recovery storm is over.

After a storm of uploads the hub's RSS stays at its peak: glibc keeps the freed heap for the
next allocation instead of returning it (15–30 MB measured, see docs/deploy-hub.md). Calling
``malloc_trim(0)`` once ingest has gone quiet gives it back. It is rate-limited and only done
after enough was ingested, so the steady trickle of small uploads never pays for it.
"""

from __future__ import annotations

import ctypes
import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

Trimmer = Callable[[], bool]  # True when memory was returned to the system
TRIM_AFTER_BYTES = 32 * 1024 * 1024  # uploads' bodies since the last trim
TRIM_QUIET_S = 2.0  # no upload ingested or waiting for so long: the burst is over
TRIM_EVERY_S = 30.0  # at most one trim per so many seconds


def malloc_trim() -> Trimmer:
    """glibc's ``malloc_trim(0)``; a no-op (logged at debug level) where there is no glibc."""
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library this process already runs on
    except (OSError, AttributeError):
        log.debug("no glibc malloc_trim here: freed heap stays with the allocator")
        return lambda: False
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return lambda: bool(trim(0))


class TrimAfterBurst:
    """Decides when a trim is worth it: enough ingested since the last one, not too often."""

    def __init__(
        self,
        trim: Trimmer,
        after_bytes: int = TRIM_AFTER_BYTES,
        quiet_s: float = TRIM_QUIET_S,
        every_s: float = TRIM_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet_s = quiet_s
        self._trim = trim
        self._after_bytes = after_bytes
        self._every_s = every_s
        self._clock = clock
        self._ingested = 0
        self._last: float | None = None

    def ingested(self, size: int) -> None:
        """An upload of ``size`` bytes was admitted."""
        self._ingested += size

    def claim(self) -> bool:
        """True (and counting starts afresh) when enough was ingested since the last trim
        and that trim is long enough ago; the caller then runs ``trim``."""
        now = self._clock()
        if self._ingested < self._after_bytes:
            return False
        if self._last is not None and now - self._last < self._every_s:
            return False
        self._ingested, self._last = 0, now
        return True

    def trim(self) -> None:
        """Trim now (in a worker thread: it walks the whole heap)."""
        started = time.perf_counter()
        returned = self._trim()
        log.info(
            "ingest went quiet: malloc_trim %s in %.0f ms",
            "returned memory" if returned else "found nothing to return",
            (time.perf_counter() - started) * 1000,
        )
