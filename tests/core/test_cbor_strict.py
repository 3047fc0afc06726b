from __future__ import annotations

import cbor2
import pytest

from gatehouse.core.cbor_strict import MAX_DEPTH, MalformedCborError, decode_strict


def test_decodes_one_item() -> None:
    assert decode_strict(cbor2.dumps({"a": [1, 2]})) == {"a": [1, 2]}


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(cbor2.dumps([1, 2])[:-1], id="truncated"),
        pytest.param(cbor2.dumps(1) + b"\x00", id="trailing byte"),
        pytest.param(bytes.fromhex("a2 01 01 01 02"), id="duplicate map key"),
        pytest.param(bytes.fromhex("9f 01 ff"), id="indefinite-length array"),
        pytest.param(cbor2.dumps([[[[[[[[[[0]]]]]]]]]]), id="nested too deep"),
    ],
)
def test_refuses(data: bytes) -> None:
    with pytest.raises(MalformedCborError):
        decode_strict(data)


def test_accepts_maximum_depth() -> None:
    nested: object = 0
    for _ in range(MAX_DEPTH):
        nested = [nested]
    assert decode_strict(cbor2.dumps(nested)) == nested


def test_trailing_byte_after_a_long_item_is_found() -> None:
    """The decoder reads ahead in blocks; trailing data must still be noticed."""
    with pytest.raises(MalformedCborError):
        decode_strict(cbor2.dumps(b"x" * 10_000) + b"\x00")
