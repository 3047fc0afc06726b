"""From a stream of readings to the one value a guard would read after the beep.

IR thermometers report several times a second while a forehead approaches, holds still and
leaves; only the plateau in the middle is the person's temperature. Pure logic, no clock: the
caller feeds readings in the order they arrived.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from drivers.thermometer.reading import RawReading

PLAUSIBLE_BODY_C = (30.0, 45.0)
"""Outside this a reading is no human forehead (air, a wall, a hot lamp) or a sensor fault. The
policy's own "too low, re-measure" threshold (35 °C after wind) lies inside it, on purpose."""


@dataclass(frozen=True)
class Measurement:
    """A stable reading: the last of `window` readings that agreed within the tolerance."""

    celsius: float
    ambient_celsius: float | None
    plausible: bool


def is_plausible(celsius: float, body_range: tuple[float, float] = PLAUSIBLE_BODY_C) -> bool:
    low, high = body_range
    return low <= celsius <= high


class StableReadingDetector:
    """Reports one Measurement per plateau: when `window` consecutive readings lie within
    `tolerance_c` of each other. It re-arms once a reading leaves that band (the person
    stepped away or moved), so holding still reports once, not at every new reading."""

    def __init__(
        self,
        window: int = 3,
        tolerance_c: float = 0.2,
        body_range: tuple[float, float] = PLAUSIBLE_BODY_C,
    ) -> None:
        if window < 2:
            raise ValueError(f"window must be at least 2 readings, got {window}")
        if not tolerance_c >= 0:
            raise ValueError(f"tolerance must not be negative, got {tolerance_c}")
        self._recent: deque[float] = deque(maxlen=window)
        self._tolerance = tolerance_c
        self._body_range = body_range
        self._reported_band: tuple[float, float] | None = None

    def feed(self, reading: RawReading) -> Measurement | None:
        celsius = reading.celsius
        if self._reported_band is not None:
            low, high = self._reported_band
            if low <= celsius <= high:
                return None
            self._reported_band = None
            self._recent.clear()
        self._recent.append(celsius)
        if len(self._recent) < (self._recent.maxlen or 0):
            return None
        low, high = min(self._recent), max(self._recent)
        if high - low > self._tolerance + 1e-9:
            return None
        self._reported_band = (high - self._tolerance - 1e-9, low + self._tolerance + 1e-9)
        return Measurement(
            celsius, reading.ambient_celsius, is_plausible(celsius, self._body_range)
        )
