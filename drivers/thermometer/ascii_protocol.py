"""The common ASCII line protocol of serial IR thermometers: one ``T:36.5`` or
``T:36.5,A:22.1`` (body, ambient) per line, terminated by CR, LF or CRLF."""

from __future__ import annotations

import math
import re

from drivers.lines import TOO_LONG, LineBuffer
from drivers.thermometer.reading import RawReading

# RawReading is re-exported: callers meet it as part of this protocol.
__all__ = ["DEFAULT_PATTERN", "MAX_LINE_BYTES", "AsciiLineParser", "RawReading", "format_line"]

_NUMBER = r"-?\d+(?:\.\d+)?"
DEFAULT_PATTERN = rf"T:\s*({_NUMBER})(?:\s*,\s*A:\s*({_NUMBER}))?"
"""Group 1 is the body temperature, optional group 2 the ambient temperature, both in °C."""

MAX_LINE_BYTES = 256
"""Longer lines are noise (wrong baud rate, another device); capping them bounds memory."""


class AsciiLineParser:
    """Sans-IO parser for line-based ASCII thermometers.

    A line must match `pattern` entirely (after trimming whitespace): a search would read "3"
    out of a garbled "T:3T:36.5", and a wrong temperature is worse than none. Empty lines are
    ignored; other non-matching, non-UTF-8 or over-long lines are skipped and counted in
    `rejected_lines`. The result does not depend on how the bytes are split across feed() calls.
    """

    def __init__(
        self, pattern: str = DEFAULT_PATTERN, max_line_bytes: int = MAX_LINE_BYTES
    ) -> None:
        self._regex = re.compile(pattern)
        if not 1 <= self._regex.groups <= 2:
            raise ValueError(
                "pattern needs one group for the temperature and may have a second for ambient"
            )
        self._lines = LineBuffer(max_line_bytes)
        self.rejected_lines = 0

    @property
    def pending_bytes(self) -> int:
        """Bytes of an unfinished line held back; never more than max_line_bytes."""
        return self._lines.pending_bytes

    def feed(self, data: bytes) -> list[RawReading]:
        """Consume bytes from the port and return the readings of every line they completed."""
        readings = []
        for line in self._lines.feed(data):
            text = None if line is TOO_LONG else line.decode("utf-8", "replace").strip()
            if text == "":
                continue
            reading = None if text is None else self._parse(text)
            if reading is None:
                self.rejected_lines += 1
            else:
                readings.append(reading)
        return readings

    def _parse(self, text: str) -> RawReading | None:
        match = self._regex.fullmatch(text)
        if match is None:
            return None
        celsius = _to_celsius(match.group(1))
        if celsius is None:
            return None
        if self._regex.groups < 2 or match.group(2) is None:
            return RawReading(celsius)
        ambient = _to_celsius(match.group(2))
        return None if ambient is None else RawReading(celsius, ambient)


def format_line(reading: RawReading) -> bytes:
    """Encode a reading the way devices send it (used by the simulator), to 0.01 °C."""
    line = f"T:{reading.celsius:.2f}"
    if reading.ambient_celsius is not None:
        line += f",A:{reading.ambient_celsius:.2f}"
    return line.encode("ascii") + b"\r\n"


def _to_celsius(text: str | None) -> float | None:
    """Parse a captured number; None for what a custom pattern may capture but is no reading."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
