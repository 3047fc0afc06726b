"""Keeps an ID card reader connected and polled on a background thread; survives unplugs.

The port side (open by URL or ``usb:VID:PID``, reconnect every ``reconnect_interval`` after
an unplug, states reported on change) is the thermometer's ``SerialDeviceMonitor``; what is
said to the reader is a ``ReaderSession``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import serial

from drivers.id_card.protocol import OK, STATUS, FrameError, SamFramer, command_frame, parse_answer
from drivers.id_card.session import ReaderEvent, ReaderSession
from drivers.serial_discovery import PortLister
from drivers.thermometer.port import PortState, SerialDeviceMonitor

DEFAULT_BAUDRATE = 115200
TICK_S = 0.02
"""How long one read waits for bytes: bounds the delay before a due command goes out."""


class IdCardReaderMonitor(SerialDeviceMonitor[ReaderEvent]):
    """Reports each card placed on the reader (``IdCardText``) and each problem
    (``ReaderProblem``) through ``on_event``, and the port's state through ``on_state``:
    "silent" while the port is open but the reader does not answer. Callbacks run on the
    monitor thread."""

    def __init__(
        self,
        url: str,
        on_event: Callable[[ReaderEvent], None],
        on_state: Callable[[PortState], None],
        baudrate: int = DEFAULT_BAUDRATE,
        session_factory: Callable[[], ReaderSession] = ReaderSession,
        reconnect_interval: float = 0.5,
        port_lister: PortLister | None = None,
    ) -> None:
        super().__init__(
            url,
            session_factory,
            on_reading=on_event,
            on_state=on_state,
            baudrate=baudrate,
            reconnect_interval=reconnect_interval,
            port_lister=port_lister,
            device="ID card reader",
        )
        self._session_factory = session_factory

    def _pump(self, port: serial.SerialBase) -> None:
        """Poll until stopped or the port fails; a fresh session per connection."""
        port.timeout = TICK_S
        session = self._session_factory()
        while not self._stop.is_set():
            request = session.due()
            if request is not None:
                port.write(request)
            for event in session.feed(port.read(port.in_waiting or 1)):
                self._notify(self._on_reading, event)
            if session.timed_out():
                self._set_state("silent")
            elif session.answering:
                self._set_state("connected")


def probe_reader(url: str, baudrate: int = DEFAULT_BAUDRATE, timeout: float = 1.0) -> bool:
    """Whether an ID card reader answers the SAM status command on ``url`` (the setup wizard's
    search). OSError when the port cannot be opened."""
    with serial.serial_for_url(url, baudrate=baudrate, timeout=TICK_S) as port:
        port.reset_input_buffer()
        port.write(command_frame(STATUS))
        framer = SamFramer()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for body in framer.feed(port.read(port.in_waiting or 1)):
                answer = body if isinstance(body, FrameError) else parse_answer(body)
                if not isinstance(answer, FrameError):
                    return answer.status == OK
    return False
