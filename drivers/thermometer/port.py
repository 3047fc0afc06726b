"""Keeps a serial thermometer connected: reads it in the background and survives cable pulls."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, Literal, Protocol, TypeVar

import serial

from drivers.serial_discovery import PortLister, parse_usb_url, resolve_port
from drivers.thermometer.reading import PolledParser

PortState = Literal["connecting", "connected", "silent", "lost"]

READ_TIMEOUT_S = 0.2
"""How long one read blocks; bounds how quickly stop() is noticed."""

SILENT_AFTER_S = 2.0
"""A polled device that has not answered for this long is reported "silent" (several polls)."""

_log = logging.getLogger(__name__)
_T = TypeVar("_T")
_Item = TypeVar("_Item")


class ItemParser(Protocol[_Item]):
    """Sans-IO decoder of what a serial device sends: bytes in, items (readings, scans) out."""

    def feed(self, data: bytes) -> list[_Item]: ...


class SerialDeviceMonitor(Generic[_Item]):
    """Reads a serial device (a thermometer, a CDC scanner) on a background daemon thread and
    reconnects after unplugs.

    `url` is anything serial.serial_for_url accepts: "COM3", "/dev/ttyUSB0", "socket://host:port",
    or ``usb:VID:PID`` to find the adapter by its USB ids at every (re)connection. A polled
    protocol (Modbus) is sent its request every `poll_interval` seconds.

    States: "connecting" until the first open succeeds, "connected", then "lost" after an I/O
    error (pyserial raises SerialException on unplug while `is_open` stays True, so the port is
    closed and reopened every `reconnect_interval` seconds until that works). Only changes are
    reported. A polled device whose port stays open but that has not answered for
    `silent_after` seconds (an RS-485 adapter still plugged in, the sensor behind it dead or
    wired wrong) is "silent" until it answers again; devices that send on their own (IR
    thermometers, scanners) are never silent, as they legitimately say nothing between uses.
    Both callbacks run on the monitor thread: marshal to the UI thread yourself. An
    exception from a callback is logged and does not stop the monitor. Any other unexpected
    exception (a parser bug, a driver raising what it should not) does not end the thread
    either: it goes to `on_fault`, which returns the pause before reconnecting (without one,
    it is logged with its traceback and the monitor reconnects after `reconnect_interval`).
    """

    def __init__(
        self,
        url: str,
        parser_factory: Callable[[], ItemParser[_Item]],
        on_reading: Callable[[_Item], None],
        on_state: Callable[[PortState], None],
        baudrate: int = 9600,
        reconnect_interval: float = 0.5,
        poll_interval: float = 0.25,
        port_lister: PortLister | None = None,
        device: str = "thermometer",
        silent_after: float = SILENT_AFTER_S,
        on_fault: Callable[[BaseException], float] | None = None,
    ) -> None:
        # A malformed URL raises ValueError here, in the caller, not later in the thread.
        if parse_usb_url(url) is None:
            serial.serial_for_url(url, do_not_open=True)
        self._url = url
        self._port_lister = port_lister
        self._device = device
        self._poll_interval = poll_interval
        self._silent_after = silent_after
        self._on_fault = on_fault
        self._parser_factory = parser_factory
        self._on_reading = on_reading
        self._on_state = on_state
        self._baudrate = baudrate
        self._reconnect_interval = reconnect_interval
        self._state: PortState | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def state(self) -> PortState | None:
        """The last reported state; None before start()."""
        return self._state

    @property
    def running(self) -> bool:
        """True while the monitor thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the monitor thread; a monitor runs once, make a new one to start again."""
        if self._thread is not None:
            raise RuntimeError("monitor already started")
        self._thread = threading.Thread(
            target=self._run, name=f"{self._device} {self._url}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Ask the thread to finish and wait for it (it notices within READ_TIMEOUT_S)."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self) -> None:
        self._set_state("connecting")
        while not self._stop.is_set():
            try:
                self._connection()
            except Exception as exc:
                self._set_state("lost")
                self._stop.wait(self._fault(exc))

    def _fault(self, exc: Exception) -> float:
        if self._on_fault is None:
            _log.exception("%s on %s failed unexpectedly; reconnecting", self._device, self._url)
            return self._reconnect_interval
        return self._on_fault(exc)

    def _connection(self) -> None:
        """One connection: open, read until it fails, close (or wait before the next try)."""
        try:
            port = serial.serial_for_url(
                self._resolve(), baudrate=self._baudrate, timeout=READ_TIMEOUT_S
            )
        except OSError:  # SerialException and PortNotFound are OSErrors
            self._stop.wait(self._reconnect_interval)
            return
        self._set_state("connected")
        try:
            self._pump(port)
        except OSError as exc:
            _log.warning("%s on %s lost: %s", self._device, self._url, exc)
            self._set_state("lost")
            self._stop.wait(self._reconnect_interval)
        finally:
            with contextlib.suppress(OSError):
                port.close()

    def _pump(self, port: serial.SerialBase) -> None:
        """Read until stopped or the port fails; a fresh parser per connection."""
        parser = self._parser_factory()
        polled = parser if isinstance(parser, PolledParser) else None
        next_poll = answered_at = time.monotonic()
        while not self._stop.is_set():
            if polled is not None and time.monotonic() >= next_poll:
                port.write(polled.request())
                next_poll = time.monotonic() + self._poll_interval
            data = port.read(port.in_waiting or 1)
            items = parser.feed(data)
            if items:
                answered_at = time.monotonic()
                self._set_state("connected")
            elif polled is not None and time.monotonic() - answered_at > self._silent_after:
                self._set_state("silent")
            for item in items:
                self._notify(self._on_reading, item)

    def _resolve(self) -> str:
        if self._port_lister is None:
            return resolve_port(self._url)
        return resolve_port(self._url, self._port_lister)

    def _set_state(self, state: PortState) -> None:
        if state != self._state:
            self._state = state
            self._notify(self._on_state, state)

    def _notify(self, callback: Callable[[_T], None], value: _T) -> None:
        try:
            callback(value)
        except Exception:
            _log.exception("%s callback %r failed", self._device, callback)


ThermometerMonitor = SerialDeviceMonitor
"""The monitor under the name the thermometer code knows it by."""
