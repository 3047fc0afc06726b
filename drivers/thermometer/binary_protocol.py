"""The binary frame protocol of the common UART infrared thermometer modules (GY-MCU90614 and
its clones, built on the MLX90614), carrying body (object) and ambient temperature.

Frame layout, 9 bytes, sent unsolicited several times a second::

    0x5A 0x5A   header
    0x45        frame type: temperature
    0x04        payload length
    TO_H TO_L   object (body) temperature, signed 16-bit big-endian, in 0.01 °C
    TA_H TA_L   ambient temperature, same encoding
    SUM         low byte of the sum of the 8 bytes before it

A frame whose checksum fails is counted in `rejected_frames` and the parser hunts for the next
header from the byte after the failed one, so one corrupt byte costs one frame, never the stream.
"""

from __future__ import annotations

import struct

from drivers.thermometer.reading import RawReading

HEADER = b"\x5a\x5a\x45\x04"
FRAME_BYTES = 9


def checksum(body: bytes) -> int:
    return sum(body) & 0xFF


def encode_frame(reading: RawReading) -> bytes:
    """The frame a module sends for `reading` (ambient 0 °C when the reading has none)."""
    ambient = reading.ambient_celsius if reading.ambient_celsius is not None else 0.0
    body = HEADER + struct.pack(">hh", _hundredths(reading.celsius), _hundredths(ambient))
    return body + bytes([checksum(body)])


class BinaryFrameParser:
    """Sans-IO parser of the frame stream; the result does not depend on how bytes are split."""

    def __init__(self) -> None:
        self._buffer = b""
        self.rejected_frames = 0

    @property
    def pending_bytes(self) -> int:
        """Bytes held back waiting for the rest of a frame; never more than one frame."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[RawReading]:
        buffer = self._buffer + data
        readings = []
        while True:
            start = buffer.find(HEADER)
            if start < 0:
                buffer = _longest_header_prefix_suffix(buffer)
                break
            frame = buffer[start : start + FRAME_BYTES]
            if len(frame) < FRAME_BYTES:
                buffer = buffer[start:]
                break
            if checksum(frame[:-1]) != frame[-1]:
                self.rejected_frames += 1
                buffer = buffer[start + 1 :]
                continue
            body, ambient = struct.unpack(">hh", frame[4:8])
            readings.append(RawReading(body / 100, ambient / 100))
            buffer = buffer[start + FRAME_BYTES :]
        self._buffer = buffer
        return readings


def _longest_header_prefix_suffix(buffer: bytes) -> bytes:
    """Keep only a tail of `buffer` that may be the start of a header split across feeds."""
    for size in range(min(len(HEADER) - 1, len(buffer)), 0, -1):
        if HEADER.startswith(buffer[-size:]):
            return buffer[-size:]
    return b""


def _hundredths(celsius: float) -> int:
    value = round(celsius * 100)
    if not -32768 <= value <= 32767:
        raise ValueError(f"{celsius} °C does not fit the frame's 16-bit field")
    return value
