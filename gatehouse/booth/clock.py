"""Clocks the booth can run on. The core never reads time itself; the booth passes one of these.

The demo clock exists because the demo media carry passes with fixed dates: replaying them at the
moment they were made keeps the demo's verdicts the same on any day, and the screen says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    source: str

    def now(self) -> datetime: ...


class SystemClock:
    source = "system"

    def now(self) -> datetime:
        return datetime.now(UTC)


class DemoClock:
    """Starts at a fixed instant and advances with real elapsed time."""

    source = "demo"

    def __init__(self, start: datetime, monotonic: Callable[[], float] = time.monotonic) -> None:
        if start.tzinfo is None:
            raise ValueError("demo clock start must be timezone-aware")
        self._start = start
        self._monotonic = monotonic
        self._origin = monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._monotonic() - self._origin)
