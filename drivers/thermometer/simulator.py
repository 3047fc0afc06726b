"""A simulated serial thermometer speaking any of the real protocols, for demos and tests.

It talks through a real virtual port (pty, or TCP on Windows), so the code under test opens it
with pyserial exactly like hardware. Faults seen on real cables can be injected: line noise,
frames split into pieces, corrupted bytes, and cable pulls.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence

from drivers.simulated_device import SimulatedDevice
from drivers.thermometer.protocols import PROTOCOLS, ProtocolName
from drivers.thermometer.reading import RawReading
from drivers.thermometer.registers import RegisterMap
from drivers.virtual_serial import Transport, VirtualPort
from drivers.wire_faults import Faults

__all__ = ["Faults", "SimulatedThermometer"]

POLLED_TICK_S = 0.005
"""How often a polled device (Modbus) looks for a request: far below any host's timeout."""

MEASURED_KEPT = 10_000


class SimulatedThermometer(SimulatedDevice):
    """Measures every `interval_s` (the first at start) and sends or serves the reading.

    ASCII and binary devices send each reading unsolicited; a Modbus device keeps the newest one
    in its registers and answers the host's reads. `readings` is either a function of the reading
    index (0, 1, 2, ...) or a sequence that is cycled, so output is deterministic. The index keeps
    counting while unplugged, as a device that keeps measuring would.
    """

    name = "simulated thermometer"

    def __init__(
        self,
        readings: Callable[[int], float] | Sequence[float],
        interval_s: float = 0.5,
        ambient: float | None = None,
        transport: Transport = "auto",
        protocol: ProtocolName = "ascii",
        faults: Faults | None = None,
        registers: RegisterMap | None = None,
    ) -> None:
        if not callable(readings) and len(readings) == 0:
            raise ValueError("readings must not be empty")
        self._readings = readings
        self._interval_s = interval_s
        self._ambient = ambient
        super().__init__(transport, faults)
        spoken = PROTOCOLS.get(protocol)
        if spoken is None:
            raise ValueError(f"no thermometer protocol {protocol!r}; choose {', '.join(PROTOCOLS)}")
        self._device = spoken.device(registers or RegisterMap())
        self._polled = spoken.polled
        self._answering = threading.Event()
        self._answering.set()
        self.measured: deque[RawReading] = deque(maxlen=MEASURED_KEPT)
        """The latest readings measured, oldest first: what a reader may legitimately receive."""

    def go_quiet(self) -> None:
        """The sensor dies behind a cable that stays plugged in: it measures on, says nothing."""
        self._answering.clear()

    def speak_again(self) -> None:
        self._answering.set()

    def reading(self, index: int) -> RawReading:
        """What the device measures as its `index`-th reading."""
        if callable(self._readings):
            celsius = self._readings(index)
        else:
            celsius = self._readings[index % len(self._readings)]
        return RawReading(celsius, self._ambient)

    def _run(self, port: VirtualPort) -> None:
        index = 0
        due = time.monotonic()
        current = self.reading(0)
        while not self._stop.is_set():
            now = time.monotonic()
            if now >= due:
                current = self.reading(index)
                self.measured.append(current)
                index += 1
                due = max(due + self._interval_s, now)
                self._send(port, self._device.measured(current))
            if self._polled:
                request = port.read()
                if request:
                    self._send(port, self._device.requested(request, current))
                self._stop.wait(POLLED_TICK_S)
            else:
                self._stop.wait(max(0.0, due - time.monotonic()))

    def _send(self, port: VirtualPort, frame: bytes) -> None:
        if not frame or not self._answering.is_set():
            return
        self._wire.send(port, frame)
