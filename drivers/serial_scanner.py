"""Serial (RS-232 or USB CDC) barcode scanners: each scan arrives as one line of text.

Feeds the same pipeline as the camera: every decoded line is a scanned text. Opened and kept
connected by the same monitor as thermometers (`SerialDeviceMonitor`).
"""

from __future__ import annotations

from drivers.lines import TOO_LONG, LineBuffer

MAX_SCAN_BYTES = 4096
"""Larger than any QR code's content (2953 bytes at most), so no real scan is cut."""


class ScannerLineParser:
    """Sans-IO: bytes in, scanned texts out. A scan must be valid UTF-8: a line the scanner
    mangled (wrong baud rate, a keyboard-layout setting) is rejected, never guessed at, so a
    scanner fault never reads as a forged pass."""

    def __init__(self, max_scan_bytes: int = MAX_SCAN_BYTES) -> None:
        self._lines = LineBuffer(max_scan_bytes)
        self.rejected_lines = 0

    @property
    def pending_bytes(self) -> int:
        return self._lines.pending_bytes

    def feed(self, data: bytes) -> list[str]:
        scans = []
        for line in self._lines.feed(data):
            if line == b"":
                continue
            try:
                text = None if line is TOO_LONG else line.decode("utf-8")
            except UnicodeDecodeError:
                text = None
            if text is None or not text.isprintable():
                self.rejected_lines += 1
            else:
                scans.append(text)
        return scans
