"""Capped decompression for payloads that came out of a scanned code.

A QR code holds at most ~3 KB, so no honest payload inflates past 64 KiB; a zlib or DEFLATE
bomb is stopped after that many bytes instead of filling memory. EU DCC uses zlib, SMART
Health Cards raw DEFLATE; both go through here.
"""

from __future__ import annotations

import zlib

MAX_INFLATED_BYTES = 64 * 1024
ZLIB = zlib.MAX_WBITS  # zlib header and Adler-32 trailer (RFC 1950)
RAW_DEFLATE = -zlib.MAX_WBITS  # bare DEFLATE stream (RFC 1951)


class InflateError(ValueError):
    """The bytes are not one complete compressed stream."""


class InflatedTooLargeError(InflateError):
    """The stream inflates past the cap: a compression bomb or not a code's payload."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"inflates to more than {limit} bytes")
        self.limit = limit


def inflate(data: bytes, wbits: int = ZLIB, limit: int = MAX_INFLATED_BYTES) -> bytes:
    """Decompress exactly one stream of at most ``limit`` bytes; refuse trailing data."""
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise InflateError(str(exc)) from exc
    if len(out) > limit:
        raise InflatedTooLargeError(limit)
    if not inflater.eof:
        raise InflateError("truncated stream")
    if inflater.unused_data:
        raise InflateError("data after the stream")
    return out
