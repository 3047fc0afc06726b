"""What the host says to an ID card reader, and when: find, select, read, over and over.

Sans-IO: the monitor feeds it the reader's bytes and writes what it asks to; the clock is
passed in.
Finding a card costs a 10-byte command every ``poll_interval`` (4 a second by default), not a
busy loop; a found card is selected and read at once. After a read the card stays in the field
but the SAM answers "no card" until it is taken away and placed again (a real reader's
behaviour, modelled by the simulator), so one tap gives one read.

A garbled answer, or the reader's own "bad checksum" (our command was garbled on the way), is
asked again, up to ``retries`` times; so is an answer that has not come after ``answer_timeout``
seconds of silence (counted from the last byte received, so a slow but flowing answer is not
cut off), which the monitor reports as the reader being silent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from drivers.id_card.card import CardDataError, IdCardText, parse_base_information
from drivers.id_card.protocol import (
    FIND,
    FOUND,
    NO_CARD,
    OK,
    READ_BASE,
    SELECT,
    Answer,
    FrameError,
    SamFramer,
    StatusCode,
    Trouble,
    command_frame,
    parse_answer,
    status_code,
)

POLL_INTERVAL_S = 0.25
ANSWER_TIMEOUT_S = 1.0
RETRIES = 2
_BAD_CHECKSUM_AT_READER = 0x10


@dataclass(frozen=True)
class ReaderProblem:
    """Something the reader could not do: ``trouble`` says who can act on it."""

    trouble: Trouble
    detail: str  # in English, for the log and the guard's prompt beside a translated summary
    code: int | None = None  # the SAM status byte, when the reader gave one

    @staticmethod
    def from_status(command: str, status: StatusCode) -> ReaderProblem:
        return ReaderProblem(
            status.trouble, f"{command}: {status.meaning} (status {status.code:#04x})", status.code
        )


GARBLED = ReaderProblem(Trouble.READER, "the reader's answers arrive garbled")

ReaderEvent = IdCardText | ReaderProblem

_NAMES = {FIND: "find card", SELECT: "select card", READ_BASE: "read card"}


class ReaderSession:
    def __init__(
        self,
        poll_interval: float = POLL_INTERVAL_S,
        answer_timeout: float = ANSWER_TIMEOUT_S,
        retries: int = RETRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._framer = SamFramer()
        self.answering = False  # the last frame was a good answer and no answer is overdue
        self.poll_interval = poll_interval
        self._answer_timeout = answer_timeout
        self._retries = retries
        self._next: tuple[int, int] | None = FIND
        self._next_at = 0.0
        self._waiting: tuple[int, int] | None = None
        self._heard_at = 0.0
        self._attempts = 0

    def due(self) -> bytes | None:
        """The command to write now, if any."""
        now = self._clock()
        if self._waiting is not None or self._next is None or now < self._next_at:
            return None
        self._waiting, self._next = self._next, None
        self._heard_at = now
        return command_frame(self._waiting)

    def feed(self, data: bytes) -> list[ReaderEvent]:
        """Bytes from the reader (any chunk): the cards read and the problems met."""
        now = self._clock()
        if data:
            self._heard_at = now
        events = []
        for body in self._framer.feed(data):
            self.answering = isinstance(body, bytes)
            event = self._take(body, now)
            if event is not None:
                events.append(event)
        return events

    def timed_out(self) -> bool:
        """True when an awaited answer has not come for answer_timeout seconds (the command
        is asked again, or finding starts over)."""
        now = self._clock()
        if self._waiting is None or now - self._heard_at < self._answer_timeout:
            return False
        self._framer = SamFramer()  # a half frame waiting for bytes that will never come
        self.answering = False
        self._retry(self._waiting, now)
        return True

    def _take(self, body: bytes | FrameError, now: float) -> ReaderEvent | None:
        """One frame (or framing error) from the reader; the card or a problem, if any."""
        command = self._waiting
        if command is None:
            return None  # a late answer to an exchange already given up
        answer = body if isinstance(body, FrameError) else parse_answer(body)
        if isinstance(answer, FrameError) or answer.status == _BAD_CHECKSUM_AT_READER:
            return None if self._retry(command, now) else GARBLED
        self._attempts = 0
        self._waiting = None
        return self._advance(command, answer, now)

    def _advance(self, command: tuple[int, int], answer: Answer, now: float) -> ReaderEvent | None:
        if command == FIND and answer.status == FOUND:
            self._then(SELECT, now)
            return None
        if command == SELECT and answer.status == OK:
            self._then(READ_BASE, now)
            return None
        self._then(FIND, now + self.poll_interval)
        if command == FIND and answer.status == NO_CARD:
            return None
        if command == READ_BASE and answer.status == OK:
            try:
                return parse_base_information(answer.data)
            except CardDataError as exc:
                return ReaderProblem(Trouble.CARD, f"read card: {exc}")
        return ReaderProblem.from_status(_NAMES[command], status_code(answer.status))

    def _then(self, command: tuple[int, int], at: float) -> None:
        self._next, self._next_at = command, at

    def _retry(self, command: tuple[int, int], now: float) -> bool:
        """Ask again (True), unless the retries are spent: then start over from finding a
        card (False)."""
        self._waiting = None
        if self._attempts < self._retries:
            self._attempts += 1
            self._then(command, now)
            return True
        self._attempts = 0
        self._then(FIND, now + self.poll_interval)
        return False
