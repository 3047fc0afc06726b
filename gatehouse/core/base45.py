"""Base45 (RFC 9285): packs binary into QR alphanumeric mode, the densest mode a QR code offers.

Decoding is strict — any character, length or value the RFC does not allow is refused — so
that a damaged scan is reported as damaged instead of being silently misread.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_BASE = 45


class Base45DecodeError(ValueError):
    """The text is not valid base45."""


def b45encode(data: bytes) -> str:
    """Encode bytes as base45 text: 3 characters per 2 bytes, 2 for a trailing odd byte."""
    chars: list[str] = []
    for start in range(0, len(data), 2):
        chunk = data[start : start + 2]
        value = int.from_bytes(chunk, "big")
        for _ in range(len(chunk) + 1):
            value, digit = divmod(value, _BASE)
            chars.append(ALPHABET[digit])
    return "".join(chars)


def b45decode(text: str) -> bytes:
    """Decode base45 text; raise Base45DecodeError on anything RFC 9285 does not allow."""
    if len(text) % 3 == 1:
        raise Base45DecodeError(f"length {len(text)} is not a valid base45 length")
    out = bytearray()
    for start in range(0, len(text), 3):
        group = text[start : start + 3]
        value = 0
        for char in reversed(group):
            digit = _VALUE.get(char)
            if digit is None:
                raise Base45DecodeError(f"character {char!r} in group at {start} is not base45")
            value = value * _BASE + digit
        size = len(group) - 1
        if value >= 1 << (8 * size):
            raise Base45DecodeError(f"group at {start} decodes to {value}, too large")
        out += value.to_bytes(size, "big")
    return bytes(out)
