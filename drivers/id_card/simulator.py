"""A simulated ID card reader speaking the SAM protocol on a real virtual port.

Cards are placed and taken away; the next answer can be forced to any status (an
authentication failure, a read failure, a reader fault); the wire can be noisy, split or
corrupt frames (``drivers.wire_faults``); the cable can be pulled and plugged back. Like a
real reader, a card that was read answers "no card" to find until it is placed again.
"""

from __future__ import annotations

import threading
from collections import deque

from drivers.id_card.card import IdCardText, base_information
from drivers.id_card.protocol import (
    FIND,
    FOUND,
    NO_CARD,
    OK,
    READ_BASE,
    RESET,
    SELECT,
    STATUS,
    FrameError,
    SamFramer,
    answer_frame,
    parse_command,
)
from drivers.simulated_device import SimulatedDevice
from drivers.virtual_serial import Transport, VirtualPort
from drivers.wire_faults import Faults

TICK_S = 0.002
COMMANDS_KEPT = 10_000
_BAD_CHECKSUM, _BAD_COMMAND, _READ_FAILED, _SELECT_FAILED = 0x10, 0x21, 0x41, 0x81


class SimulatedIdReader(SimulatedDevice):
    """Answers the host's commands from its own thread; ``commands`` records what it heard."""

    name = "simulated ID card reader"

    def __init__(self, transport: Transport = "auto", faults: Faults | None = None) -> None:
        super().__init__(transport, faults)
        self._lock = threading.Lock()
        self._card: IdCardText | None = None
        self._halted = False  # read already: find says "no card" until placed again
        self._selected = False
        self._forced: deque[int] = deque()
        self.commands: deque[tuple[int, int]] = deque(maxlen=COMMANDS_KEPT)

    def place(self, card: IdCardText) -> None:
        """A card laid on the reader (replacing any card there)."""
        with self._lock:
            self._card, self._halted, self._selected = card, False, False

    def remove(self) -> None:
        with self._lock:
            self._card, self._halted, self._selected = None, False, False

    def answer_next(self, *statuses: int) -> None:
        """The next commands are answered with these status bytes (and no data), whatever
        they ask; the card is found, selected or read as if they had succeeded."""
        with self._lock:
            self._forced.extend(statuses)

    def _run(self, port: VirtualPort) -> None:
        framer = SamFramer()
        while not self._stop.is_set():
            for body in framer.feed(port.read()):
                self._wire.send(port, self._answer(body))
            self._stop.wait(TICK_S)

    def _answer(self, body: bytes | FrameError) -> bytes:
        command = body if isinstance(body, FrameError) else parse_command(body)
        if isinstance(command, FrameError):
            return answer_frame(_BAD_CHECKSUM)
        self.commands.append(command[0])
        with self._lock:
            served = self._serve(command[0])  # a forced status still moves the card along
            return answer_frame(self._forced.popleft()) if self._forced else served

    def _serve(self, command: tuple[int, int]) -> bytes:
        card = self._card
        if command in (RESET, STATUS):
            return answer_frame(OK, bytes(4) if command == STATUS else b"")
        if command == FIND:
            self._selected = False
            return answer_frame(FOUND if card is not None and not self._halted else NO_CARD)
        if command == SELECT:
            self._selected = card is not None and not self._halted
            return answer_frame(OK, bytes(8)) if self._selected else answer_frame(_SELECT_FAILED)
        if command == READ_BASE:
            if card is None or not (self._selected or self._halted):
                return answer_frame(_READ_FAILED)
            self._halted = True  # a garbled answer may be asked for again while it lies there
            return answer_frame(OK, base_information(card))
        return answer_frame(_BAD_COMMAND)
