"""Line framing for serial devices that send text lines (thermometers, CDC scanners)."""

from __future__ import annotations

import re

_LINE_END = re.compile(rb"[\r\n]")

TOO_LONG = None
"""What `LineBuffer.feed` gives in place of a line longer than the limit."""


class LineBuffer:
    """Splits a byte stream at CR, LF or CRLF, whatever the chunking; bounded memory.

    A line longer than `max_line_bytes` is dropped as it arrives (its start is not kept) and
    reported once as TOO_LONG when it ends. Empty lines (e.g. between CR and LF) are returned
    as b"" for the caller to ignore.
    """

    def __init__(self, max_line_bytes: int) -> None:
        self._max_line_bytes = max_line_bytes
        self._pending = b""
        self._discarding = False

    @property
    def pending_bytes(self) -> int:
        """Bytes of an unfinished line held back; never more than max_line_bytes."""
        return len(self._pending)

    def feed(self, data: bytes) -> list[bytes | None]:
        *finished, unfinished = _LINE_END.split(data)
        lines: list[bytes | None] = []
        for fragment in finished:
            line, self._pending = self._pending + fragment, b""
            if self._discarding:
                self._discarding = False  # tail of an over-long line, already reported
            elif len(line) > self._max_line_bytes:
                lines.append(TOO_LONG)
            else:
                lines.append(line)
        if not self._discarding:
            self._pending += unfinished
            if len(self._pending) > self._max_line_bytes:
                self._pending = b""
                self._discarding = True
                lines.append(TOO_LONG)
        return lines
