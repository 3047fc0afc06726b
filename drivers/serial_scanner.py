"""Serial (RS-232 or USB CDC) barcode scanners: each scan arrives as one line of text.

Feeds the same pipeline as the camera: every decoded line is a scanned text. Opened and kept
connected by the same monitor as thermometers (`SerialDeviceMonitor`).
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.lines import TOO_LONG, LineBuffer

MAX_SCAN_BYTES = 4096
"""Larger than any QR code's content (2953 bytes at most), so no real scan is cut."""


@dataclass(frozen=True)
class MangledLine:
    """A line the scanner garbled (wrong baud rate, a keyboard-layout setting): reported as a
    scanner fault so it never reads as a forged pass, and never guessed at."""

    problem: str  # "not UTF-8", "control characters", "longer than 4096 bytes"


class ScannerLineParser:
    """Sans-IO: bytes in, scanned texts (or MangledLine for a line that is no valid printable
    UTF-8 text) out. Blank lines are ignored."""

    def __init__(self, max_scan_bytes: int = MAX_SCAN_BYTES) -> None:
        self._lines = LineBuffer(max_scan_bytes)
        self._max_scan_bytes = max_scan_bytes

    @property
    def pending_bytes(self) -> int:
        return self._lines.pending_bytes

    def feed(self, data: bytes) -> list[str | MangledLine]:
        return [self._scan(line) for line in self._lines.feed(data) if line != b""]

    def _scan(self, line: bytes | None) -> str | MangledLine:
        if line is TOO_LONG:
            return MangledLine(f"longer than {self._max_scan_bytes} bytes")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            return MangledLine("not UTF-8")
        return text if text.isprintable() else MangledLine("control characters")
