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

    def feed(self, raw: RawReading) -> TemperatureReading | None:
        """A raw reading from the device; the new measurement when it completed a plateau."""
        if self._detector is None:
            return self.update(raw)
        measurement = self._detector.feed(raw)
        if measurement is None:
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
        return reading

    def latest(self) -> TemperatureReading | None:
        with self._lock:
            return self._reading

    def measured_within(self, seconds: float) -> bool:
        """Whether a measurement completed in the last ``seconds`` (someone measured anew)."""
        with self._lock:
            measured_at = self._measured_at
        return measured_at is not None and self._monotonic() - measured_at <= seconds
