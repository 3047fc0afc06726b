"""Frame pacing: lets recorded video play at camera speed instead of as fast as it decodes."""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class FramePacer:
    """Spaces calls to `wait()` at a fixed rate.

    The schedule is absolute (frame n is due at start + n/rate), so sleep jitter does not
    accumulate. If the caller falls more than `max_lag_s` behind (a stalled consumer), the
    schedule restarts from now instead of bursting frames to catch up, as a live camera would.
    Clock and sleep are injectable so the logic is testable without real time.
    """

    def __init__(
        self,
        rate_hz: float,
        *,
        max_lag_s: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not (math.isfinite(rate_hz) and rate_hz > 0):
            raise ValueError(f"rate_hz must be a positive number, got {rate_hz}")
        self._period = 1.0 / rate_hz
        self._max_lag = max_lag_s
        self._clock = clock
        self._sleep = sleep
        self._due: float | None = None

    def wait(self) -> None:
        """Block until the next slot is due."""
        now = self._clock()
        if self._due is None or now - self._due > self._max_lag:
            self._due = now
        elif now < self._due:
            self._sleep(self._due - now)
        self._due += self._period
