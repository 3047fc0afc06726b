"""The numeric QR text of a SMART Health Card and its chunks.

Each JWS character becomes two digits (its code minus 45), so a QR code can use its dense
numeric mode. A card too big for one code is split into chunks "shc:/<n>/<total>/<digits>".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

SHC_PREFIX = "shc:/"
_CHUNK = re.compile(r"shc:/(?:([1-9]\d{0,2})/([1-9]\d{0,2})/)?(\d+)")
_OFFSET = 45
_MAX_VALUE = ord("z") - _OFFSET  # base64url and "." all lie at or below "z"


class NumericError(ValueError):
    """The text is not a well-formed "shc:/" chunk, or the chunks do not make one card."""


@dataclass(frozen=True)
class Chunk:
    index: int  # 1-based
    total: int
    digits: str


def parse_chunk(text: str) -> Chunk:
    found = _CHUNK.fullmatch(text)
    if found is None:
        raise NumericError('not "shc:/" followed by digits (and an optional n/total/)')
    index, total, digits = found.groups()
    chunk = Chunk(int(index or 1), int(total or 1), digits)
    if chunk.index > chunk.total:
        raise NumericError(f"chunk {chunk.index} of {chunk.total}")
    return chunk


def assemble(chunks: Sequence[Chunk]) -> str:
    """The JWS from every chunk of one card, in any scan order; NumericError if incomplete."""
    totals = {chunk.total for chunk in chunks}
    if len(totals) != 1:
        raise NumericError("chunks from cards of different sizes")
    total = totals.pop()
    by_index = {chunk.index: chunk.digits for chunk in chunks}
    if len(by_index) != len(chunks):
        raise NumericError("the same chunk scanned twice")
    if set(by_index) != set(range(1, total + 1)):
        raise IncompleteCardError(len(by_index), total)
    return decode_digits("".join(by_index[index] for index in range(1, total + 1)))


class IncompleteCardError(NumericError):
    def __init__(self, scanned: int, total: int) -> None:
        super().__init__(f"{scanned} of {total} chunks")
        self.scanned = scanned
        self.total = total


def decode_digits(digits: str) -> str:
    if len(digits) % 2:
        raise NumericError("an odd number of digits")
    values = [int(digits[i : i + 2]) for i in range(0, len(digits), 2)]
    if any(value > _MAX_VALUE for value in values):
        raise NumericError("a digit pair beyond 'z'")
    return "".join(chr(value + _OFFSET) for value in values)


def encode_digits(jws: str) -> str:
    return "".join(f"{ord(char) - _OFFSET:02d}" for char in jws)
