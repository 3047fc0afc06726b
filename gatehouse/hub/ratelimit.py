"""Attempts per client in a sliding window: enrolment needs no token, so guessing codes is
slowed to a handful a minute per address instead of as fast as the network allows."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class RateLimit:
    """At most ``attempts`` per ``window_s`` seconds per key; thread-safe."""

    MAX_KEYS = 100_000  # beyond, the oldest keys are forgotten (memory stays bounded)

    def __init__(
        self, attempts: int, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._attempts = attempts
        self._window_s = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: dict[str, deque[float]] = {}

    def retry_after(self, key: str) -> float | None:
        """Count one attempt by ``key``; None if allowed, else seconds until one would be."""
        now = self._clock()
        with self._lock:
            times = self._seen.pop(key, None) or deque()
            while times and times[0] <= now - self._window_s:
                times.popleft()
            self._seen[key] = times  # re-inserted: the dict stays in order of last use
            if len(self._seen) > self.MAX_KEYS:
                del self._seen[next(iter(self._seen))]
            if len(times) >= self._attempts:
                return max(0.0, times[0] + self._window_s - now)
            times.append(now)
            return None
