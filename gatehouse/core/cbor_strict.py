"""Strict CBOR decoding for bytes that came from a scanned code and may be hostile.

cbor2's defaults are lenient (duplicate map keys, trailing bytes, deep nesting are accepted);
each leniency lets two readers see different content in the same signed bytes, so all are off.
"""

from __future__ import annotations

import io

import cbor2

# A Gatehouse pass nests three deep (claims map -> travel list -> visit pair); COSE less.
MAX_DEPTH = 8


class MalformedCborError(ValueError):
    """The bytes are not exactly one well-formed CBOR item within our limits."""


def decode_strict(data: bytes, *, allow_indefinite: bool = False) -> object:
    """Decode exactly one CBOR item: no trailing bytes, duplicate keys or indefinite lengths.

    ``allow_indefinite`` admits indefinite-length items, which some EU DCC issuers emit; they
    are unambiguous, only non-canonical, so a foreign format may use them.
    """
    stream = io.BytesIO(data)
    decoder = cbor2.CBORDecoder(
        stream, max_depth=MAX_DEPTH, allow_indefinite=allow_indefinite, allow_duplicate_keys=False
    )
    try:
        value = decoder.decode()
    except cbor2.CBORError as exc:
        raise MalformedCborError(str(exc)) from exc
    trailing = len(data) - stream.tell()
    if trailing:
        raise MalformedCborError(f"{trailing} trailing bytes after the CBOR item")
    return value
