"""A simulated serial thermometer speaking the ASCII line protocol, for demos and tests.

It talks through a real virtual port (pty, or TCP on Windows), so the code under test opens it
with pyserial exactly like hardware, and cable pulls can be simulated.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from drivers.thermometer.ascii_protocol import format_line
from drivers.thermometer.reading import RawReading
from drivers.virtual_serial import Transport, VirtualPort, open_virtual_port


class SimulatedThermometer:
    """Sends one ``T:<celsius>[,A:<ambient>]`` line every `interval_s`, the first one at start.

    `readings` is either a function of the reading index (0, 1, 2, ...) or a sequence that is
    cycled, so output is deterministic. The index keeps counting while unplugged, as a device
    that keeps measuring would.
    """

    def __init__(
        self,
        readings: Callable[[int], float] | Sequence[float],
        interval_s: float = 0.5,
        ambient: float | None = None,
        transport: Transport = "auto",
    ) -> None:
        if not callable(readings) and len(readings) == 0:
            raise ValueError("readings must not be empty")
        self._readings = readings
        self._interval_s = interval_s
        self._ambient = ambient
        self._transport: Transport = transport
        self._port: VirtualPort | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def start(self) -> str:
        """Plug in and start sending; returns the URL for serial.serial_for_url."""
        if self._port is not None:
            raise RuntimeError("simulator already started")
        self._port = open_virtual_port(self._transport)
        self._thread = threading.Thread(
            target=self._run, args=(self._port,), name="simulated thermometer", daemon=True
        )
        self._thread.start()
        return self._port.url

    def stop(self) -> None:
        """Stop sending and remove the port."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._port is not None:
            self._port.close()

    def unplug(self) -> None:
        """Simulate pulling the cable: the reader's port fails and cannot be reopened."""
        self._started_port().unplug()

    def replug(self) -> None:
        """Simulate plugging the cable back in at the same URL."""
        self._started_port().replug()

    def reading(self, index: int) -> RawReading:
        """What the device sends as its `index`-th line."""
        if callable(self._readings):
            celsius = self._readings(index)
        else:
            celsius = self._readings[index % len(self._readings)]
        return RawReading(celsius, self._ambient)

    def _run(self, port: VirtualPort) -> None:
        index = 0
        while not self._stop.is_set():
            port.write(format_line(self.reading(index)))
            index += 1
            self._stop.wait(self._interval_s)

    def _started_port(self) -> VirtualPort:
        if self._port is None:
            raise RuntimeError("simulator not started")
        return self._port
