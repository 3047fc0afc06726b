"""The booth's body temperature: the value a guard would read after the beep.

The thermometer reports several times a second while a forehead approaches, holds still and
leaves; only a stable plateau is a measurement (drivers.thermometer.stability). Implausible
measurements (no forehead: air, a wall, a lamp) are kept as they are, so the decision asks
to re-measure, and flagged for the screen by ``is_plausible``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from drivers.thermometer.reading import RawReading
from drivers.thermometer.stability import StableReadingDetector
from drivers.thermometer.stability import is_plausible as plausible_celsius
from gatehouse.booth.clock import Clock
from gatehouse.core.models import TemperatureReading

# A temperature the guard typed (F6) stands for this long, or until a passage used it, whatever
# the thermometer measures meanwhile: a streaming (or, in demo mode, simulated) device must not
# overwrite the value the guard took by hand before the person in front is decided on it.
MANUAL_HOLD_S = 120.0


def is_plausible(reading: TemperatureReading) -> bool:
    """False for a value no human forehead gives: the screen says so beside the number."""
    return plausible_celsius(reading.celsius)


class LatestTemperature:
    """Holds the newest stable measurement stamped with the booth clock; thread-safe.

    ``feed`` runs on the thermometer's thread; ``latest`` and ``measured_within`` on the
    scan worker.
    """

    def __init__(
        self,
        clock: Clock,
        source: str,
        detector: StableReadingDetector | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._source = source
        self._detector = detector  # None: the device sends one value per measurement
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._reading: TemperatureReading | None = None
        self._measured_at: float | None = None
        self._manual_until: float | None = None  # a typed value is held until then

    def feed(self, raw: RawReading) -> TemperatureReading | None:
        """A raw reading from the device; the new measurement when it completed a plateau."""
        if self._detector is None:
            return None if self._holding_manual() else self.update(raw)
        measurement = self._detector.feed(raw)
        if measurement is None or self._holding_manual():
            return None
        return self.update(RawReading(measurement.celsius, measurement.ambient_celsius))

    def update(self, raw: RawReading, source: str | None = None) -> TemperatureReading:
        """Records a finished measurement as the latest (``feed`` for a device's raw stream);
        ``source="manual"`` for a value the guard typed while the thermometer is down."""
        reading = TemperatureReading(
            celsius=raw.celsius,
            taken_at=self._clock.now(),
            source=source or self._source,
            ambient_celsius=raw.ambient_celsius,
        )
        with self._lock:
            self._reading = reading
            self._measured_at = self._monotonic()
            held = source == "manual"
            self._manual_until = self._measured_at + MANUAL_HOLD_S if held else None
        return reading

    def used(self, reading: TemperatureReading | None) -> None:
        """A passage was decided on ``reading``: a typed value no longer holds off the device
        (it was one person's)."""
        with self._lock:
            if reading is not None and reading is self._reading:
                self._manual_until = None

    def _holding_manual(self) -> bool:
        with self._lock:
            until = self._manual_until
        return until is not None and self._monotonic() < until

    def latest(self) -> TemperatureReading | None:
        with self._lock:
            return self._reading

    def measured_within(self, seconds: float) -> bool:
        """Whether a measurement completed in the last ``seconds`` (someone measured anew)."""
        with self._lock:
            measured_at = self._measured_at
        return measured_at is not None and self._monotonic() - measured_at <= seconds
