"""The booth's latest body-temperature reading, shared between the thermometer and scan threads."""

from __future__ import annotations

import threading

from drivers.thermometer.reading import RawReading
from gatehouse.booth.clock import Clock
from gatehouse.core.models import TemperatureReading


class LatestTemperature:
    """Holds the newest reading stamped with the booth clock; thread-safe."""

    def __init__(self, clock: Clock, source: str) -> None:
        self._clock = clock
        self._source = source
        self._lock = threading.Lock()
        self._reading: TemperatureReading | None = None

    def update(self, raw: RawReading) -> TemperatureReading:
        reading = TemperatureReading(
            celsius=raw.celsius,
            taken_at=self._clock.now(),
            source=self._source,
            ambient_celsius=raw.ambient_celsius,
        )
        with self._lock:
            self._reading = reading
        return reading

    def latest(self) -> TemperatureReading | None:
        with self._lock:
            return self._reading
