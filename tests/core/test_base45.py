from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gatehouse.core.base45 import Base45DecodeError, b45decode, b45encode

RFC_9285_VECTORS = [
    (b"AB", "BB8"),
    (b"Hello!!", "%69 VD92EX0"),
    (b"base-45", "UJCLQE7W581"),
    (b"ietf!", "QED8WEX0"),
]


@pytest.mark.parametrize(("raw", "text"), RFC_9285_VECTORS)
def test_encode_matches_rfc(raw: bytes, text: str) -> None:
    assert b45encode(raw) == text


@pytest.mark.parametrize(("raw", "text"), RFC_9285_VECTORS)
def test_decode_matches_rfc(raw: bytes, text: str) -> None:
    assert b45decode(text) == raw


def test_empty_round_trips() -> None:
    assert b45encode(b"") == ""
    assert b45decode("") == b""


@given(st.binary(max_size=300))
def test_round_trip(raw: bytes) -> None:
    assert b45decode(b45encode(raw)) == raw


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("bb8", id="lowercase is not base45"),
        pytest.param("BB#", id="character outside alphabet"),
        pytest.param("BB8A", id="length 3n+1"),
        pytest.param("A", id="single character"),
        pytest.param("GGW", id="triple above 65535"),
        pytest.param("::", id="pair above 255"),
    ],
)
def test_decode_refuses(text: str) -> None:
    with pytest.raises(Base45DecodeError):
        b45decode(text)


def test_largest_triple_decodes() -> None:
    assert b45decode("FGW") == b"\xff\xff"


def test_decode_error_is_a_value_error() -> None:
    assert issubclass(Base45DecodeError, ValueError)
