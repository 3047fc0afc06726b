"""The SAM serial protocol of resident ID card readers: frames, commands and status codes.

Sans-IO: bytes in, frames out; nothing here touches a port. Checked against two public
descriptions that agree on everything used here (see docs/id-card-reader.md):

- HslCommunication (dathlin/HslCommunication, ``Profinet/IDCard/SAMSerial.cs`` and its
  ``StringResources``): frame packing, checksum, the reply's status byte at offset 9, the
  read-base-information layout (text at offset 14, 256 bytes; photo at 270, 1024 bytes), and
  the meaning of every status code below.
- Yangyuanxin/BearPi ``ZKT_SDK/IDReader.c``/``.h`` (an STM32 driver for an IDM20 reader): the
  preamble, the two-byte length 00 03 of a bare command, the XOR over length, command and
  parameter, and the commands 11 FF, 20 01, 20 02, 30 01. (It lists reset as 01 FF where the
  issue and GA 467 give 10 FF; the booth never resets the SAM, so nothing rests on either.)

A frame is ``AA AA AA 96 69``, a big-endian length counting every byte after it, the body and
an XOR checksum of the length and the body. A command's body is the command and its
parameter (and any data); an answer's body is three status bytes ``SW1 SW2 SW3`` (``00 00
SW3``), then data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import reduce

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
MAX_LENGTH = 4096
"""Longer than any answer (read base information is 1288): a larger length is line noise."""

RESET = (0x10, 0xFF)
STATUS = (0x11, 0xFF)
FIND = (0x20, 0x01)
SELECT = (0x20, 0x02)
READ_BASE = (0x30, 0x01)

OK = 0x90
FOUND = 0x9F
NO_CARD = 0x80


class Trouble(Enum):
    """Who can do something about a status: what the booth tells the guard depends on it."""

    NONE = "none"  # success, or no card on the reader: nothing to say
    CARD = "card"  # the card moved or could not be read: place it again and hold it still
    AUTHENTICATION = "authentication"  # the card failed the SAM's checks: a forged or damaged card
    READER = "reader"  # the reader (or the line to it) is at fault: the status bar says so


@dataclass(frozen=True)
class StatusCode:
    code: int
    meaning: str
    trouble: Trouble


STATUS_CODES: dict[int, StatusCode] = {
    status.code: status
    for status in (
        StatusCode(0x90, "operation succeeded", Trouble.NONE),
        StatusCode(0x9F, "card found", Trouble.NONE),
        StatusCode(0x80, "no card found", Trouble.NONE),
        StatusCode(0x81, "selecting the card failed", Trouble.CARD),
        StatusCode(0x91, "the card holds no such content", Trouble.CARD),
        StatusCode(0x40, "unrecognised card type", Trouble.CARD),
        StatusCode(0x41, "reading the card failed", Trouble.CARD),
        StatusCode(0x47, "the card's random number failed", Trouble.CARD),
        StatusCode(0x31, "the card failed to authenticate the SAM", Trouble.AUTHENTICATION),
        StatusCode(0x32, "the SAM failed to authenticate the card", Trouble.AUTHENTICATION),
        StatusCode(0x33, "the card's information failed verification", Trouble.AUTHENTICATION),
        StatusCode(0x10, "the reader received a bad checksum", Trouble.READER),
        StatusCode(0x11, "the reader received a bad length", Trouble.READER),
        StatusCode(0x21, "the reader received an unknown command", Trouble.READER),
        StatusCode(0x23, "operation not authorised", Trouble.READER),
        StatusCode(0x24, "unrecognised error", Trouble.READER),
        StatusCode(0x60, "the SAM failed its self-test", Trouble.READER),
        StatusCode(0x66, "the SAM is not authorised", Trouble.READER),
    )
}


def status_code(code: int) -> StatusCode:
    """What a status byte means; an undocumented one is a reader fault named by its value."""
    return STATUS_CODES.get(code) or StatusCode(code, "undocumented status", Trouble.READER)


@dataclass(frozen=True)
class Answer:
    """A reader's reply: its status byte (SW3) and data."""

    status: int
    data: bytes = b""


@dataclass(frozen=True)
class FrameError:
    """Bytes that began like a frame but were not one; the framer resynchronises after it."""

    problem: str  # "checksum", "length"


def checksum(payload: bytes) -> int:
    return reduce(lambda acc, byte: acc ^ byte, payload, 0)


def frame(body: bytes) -> bytes:
    """``body`` framed: preamble, length, body, checksum."""
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([checksum(length + body)])


def command_frame(command: tuple[int, int], data: bytes = b"") -> bytes:
    return frame(bytes(command) + data)


def answer_frame(status: int, data: bytes = b"") -> bytes:
    return frame(bytes([0, 0, status]) + data)


def parse_answer(body: bytes) -> Answer | FrameError:
    if len(body) < 3:
        return FrameError("length")
    return Answer(body[2], body[3:])


def parse_command(body: bytes) -> tuple[tuple[int, int], bytes] | FrameError:
    if len(body) < 2:
        return FrameError("length")
    return (body[0], body[1]), body[2:]


class SamFramer:
    """Splits a byte stream into frame bodies, whatever the chunking.

    Noise between frames is skipped; a frame whose checksum fails, or whose length is
    impossible, is reported once as a FrameError and the search resumes one byte after its
    preamble, so a good frame hidden behind a damaged one is still found. Memory is bounded
    by the longest frame.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[bytes | FrameError]:
        self._buffer += data
        found: list[bytes | FrameError] = []
        while True:
            start = self._buffer.find(PREAMBLE)
            if start < 0:
                del self._buffer[: max(0, len(self._buffer) - len(PREAMBLE) + 1)]
                return found
            del self._buffer[:start]
            if len(self._buffer) < len(PREAMBLE) + 2:
                return found
            length = int.from_bytes(self._buffer[5:7], "big")
            if not 2 <= length <= MAX_LENGTH:
                found.append(FrameError("length"))
                del self._buffer[:1]
                continue
            end = len(PREAMBLE) + 2 + length
            if len(self._buffer) < end:
                return found
            payload = bytes(self._buffer[5 : end - 1])
            if checksum(payload) != self._buffer[end - 1]:
                found.append(FrameError("checksum"))
                del self._buffer[:1]
                continue
            found.append(payload[2:])
            del self._buffer[:end]
