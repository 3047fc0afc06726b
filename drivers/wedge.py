"""USB keyboard-wedge scanners: telling a scanned code from a person typing.

A wedge scanner "types" the code as keystrokes, all within a few milliseconds of each other, and
ends with Enter; nobody types that fast. Pure logic: the caller (a Qt event filter) passes each
character and Enter with a monotonic timestamp in seconds.
"""

from __future__ import annotations

MAX_KEY_GAP_S = 0.05
"""Scanners send a key every 1-20 ms; a fast typist's keys come 80 ms or more apart."""

MIN_CODE_LENGTH = 4
MAX_CODE_LENGTH = 4096


class KeystrokeBurstDetector:
    """Collects characters while they come in a burst; Enter ending a burst is a scan.

    A gap longer than `max_key_gap_s` starts a new burst, so a guard typing in a text field
    (slow keys) never produces a scan, and a scan typed into a field can be taken back out of it
    by the caller (`burst_length` says how many characters the burst had).
    """

    def __init__(
        self,
        max_key_gap_s: float = MAX_KEY_GAP_S,
        min_length: int = MIN_CODE_LENGTH,
        max_length: int = MAX_CODE_LENGTH,
    ) -> None:
        self._max_gap = max_key_gap_s
        self._min_length = min_length
        self._max_length = max_length
        self._burst: list[str] = []
        self._last_key_at: float | None = None

    @property
    def burst_length(self) -> int:
        return len(self._burst)

    def key(self, char: str, at: float) -> None:
        """A printable character arrived at time `at`."""
        if self._last_key_at is None or at - self._last_key_at > self._max_gap:
            self._burst = []
        self._last_key_at = at
        if len(self._burst) < self._max_length:
            self._burst.append(char)

    def enter(self, at: float) -> str | None:
        """Enter arrived: the scanned text if it ended a burst long enough to be a code."""
        in_burst = self._last_key_at is not None and at - self._last_key_at <= self._max_gap
        text = "".join(self._burst)
        self._burst = []
        self._last_key_at = None
        if in_burst and self._min_length <= len(text) < self._max_length:
            return text
        return None
