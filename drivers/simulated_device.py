"""What every simulated serial device shares: a virtual cable (pty, or TCP on Windows) that can
be pulled and plugged back, a thread that serves it, and a wire that may be faulty."""

from __future__ import annotations

import threading

from drivers.virtual_serial import Transport, VirtualPort, open_virtual_port
from drivers.wire_faults import Faults, FaultyWire


class SimulatedDevice:
    """Subclasses serve the port in ``_run`` until ``_stop`` is set, writing through ``_wire``."""

    name = "simulated device"

    def __init__(self, transport: Transport = "auto", faults: Faults | None = None) -> None:
        self._transport: Transport = transport
        self._port: VirtualPort | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._wire = FaultyWire(faults or Faults(), self._stop)

    def start(self) -> str:
        """Plug in and start serving; returns the URL for serial.serial_for_url."""
        if self._port is not None:
            raise RuntimeError("simulator already started")
        self._port = open_virtual_port(self._transport)
        self._thread = threading.Thread(
            target=self._run, args=(self._port,), name=self.name, daemon=True
        )
        self._thread.start()
        return self._port.url

    def stop(self) -> None:
        """Stop and remove the port."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._port is not None:
            self._port.close()

    def unplug(self) -> None:
        """Simulate pulling the cable: the host's port fails and cannot be reopened."""
        self._started_port().unplug()

    def replug(self) -> None:
        """Simulate plugging the cable back in at the same URL."""
        self._started_port().replug()

    def _run(self, port: VirtualPort) -> None:
        raise NotImplementedError

    def _started_port(self) -> VirtualPort:
        if self._port is None:
            raise RuntimeError("simulator not started")
        return self._port
