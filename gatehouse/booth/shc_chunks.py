"""Collects the chunks of a SMART Health Card shown one QR code at a time.

A card too big for one QR code comes as "shc:/1/3/…", "shc:/2/3/…", "shc:/3/3/…", scanned in
any order. The booth decides once, on the whole card: chunks are held until every one of the
card is in, then handed on joined by newlines (as ``read_code`` reads them). Chunks of another
size, or older than ``forget_after`` seconds (the person left), start a new card. Any other
text passes straight through.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from gatehouse.core.shc.numeric import NumericError, parse_chunk


class ShcChunks:
    """Used from the one scan thread only."""

    def __init__(
        self, forget_after: float = 60.0, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._forget_after = forget_after
        self._monotonic = monotonic
        self._chunks: dict[int, str] = {}
        self._total = 0
        self._last_at = 0.0

    def add(self, text: str) -> str | None:
        """The text to decide on now, or None while a card still misses chunks."""
        try:
            chunk = parse_chunk(text.strip())
        except NumericError:
            return text
        if chunk.total == 1:
            return text
        now = self._monotonic()
        if chunk.total != self._total or now - self._last_at > self._forget_after:
            self._chunks, self._total = {}, chunk.total
        self._chunks[chunk.index] = text.strip()
        self._last_at = now
        if len(self._chunks) < self._total:
            return None
        whole = "\n".join(self._chunks[index] for index in sorted(self._chunks))
        self._chunks, self._total = {}, 0
        return whole

    @property
    def waiting(self) -> tuple[int, int]:
        """(chunks held, chunks in the card): what the screen can say while a card is incomplete."""
        return len(self._chunks), self._total
