"""BinaryFrameParser at the byte level, plus fuzzing: corruption costs frames, never the stream."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.thermometer.binary_protocol import (
    FRAME_BYTES,
    BinaryFrameParser,
    checksum,
    encode_frame,
)
from drivers.thermometer.reading import RawReading
from tests.drivers.drivers_testkit import split


def test_frame_layout_is_the_ir_modules() -> None:
    # 36.50 °C = 0x0E42, 22.10 °C = 0x08A2; checksum = low byte of the sum of the first 8 bytes
    frame = bytes.fromhex("5a5a4504 0e42 08a2") + bytes([0xF7])
    assert sum(frame[:-1]) & 0xFF == 0xF7
    assert encode_frame(RawReading(36.5, 22.1)) == frame
    assert BinaryFrameParser().feed(frame) == [RawReading(36.5, 22.1)]


def test_negative_ambient_and_missing_ambient() -> None:
    parser = BinaryFrameParser()
    assert parser.feed(encode_frame(RawReading(35.25, -12.5))) == [RawReading(35.25, -12.5)]
    assert parser.feed(encode_frame(RawReading(36.0))) == [RawReading(36.0, 0.0)]


def test_byte_by_byte_gives_the_reading_on_the_last_byte() -> None:
    parser = BinaryFrameParser()
    frame = encode_frame(RawReading(37.4, 20.0))
    results = [parser.feed(frame[i : i + 1]) for i in range(len(frame))]
    assert results[:-1] == [[]] * (FRAME_BYTES - 1)
    assert results[-1] == [RawReading(37.4, 20.0)]


def test_bad_checksum_loses_that_frame_only() -> None:
    good, bad = (
        encode_frame(RawReading(36.6, 21.0)),
        bytearray(encode_frame(RawReading(39.9, 21.0))),
    )
    bad[5] ^= 0x01
    parser = BinaryFrameParser()
    assert parser.feed(bytes(bad) + good) == [RawReading(36.6, 21.0)]
    assert parser.rejected_frames == 1


def test_noise_between_frames_is_skipped() -> None:
    frame = encode_frame(RawReading(36.6, 21.0))
    parser = BinaryFrameParser()
    assert (
        parser.feed(b"\x00\xff\x5a" + frame + b"\x5a\x5a\x45" + frame)
        == [RawReading(36.6, 21.0)] * 2
    )


def test_junk_without_header_is_not_kept() -> None:
    parser = BinaryFrameParser()
    assert parser.feed(bytes(range(0x5A)) * 50 + b"\x5a\x5a") == []
    assert parser.pending_bytes == 2  # only what may be the start of the next header


def test_out_of_range_reading_cannot_be_encoded() -> None:
    with pytest.raises(ValueError, match="16-bit"):
        encode_frame(RawReading(400.0))


def test_checksum_is_the_low_byte_of_the_sum() -> None:
    assert checksum(b"\xff\xff\x02") == 0x00


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2_000), st.lists(st.integers(0, 2_000)))
def test_random_bytes_never_raise_and_do_not_depend_on_splitting(
    data: bytes, cuts: list[int]
) -> None:
    whole = BinaryFrameParser()
    expected = whole.feed(data)
    pieces = BinaryFrameParser()
    found = []
    for chunk in split(data, cuts):
        found += pieces.feed(chunk)
        assert pieces.pending_bytes < FRAME_BYTES
    assert found == expected
    assert pieces.rejected_frames == whole.rejected_frames


celsius = st.integers(-4000, 12500).map(lambda hundredths: hundredths / 100)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.builds(RawReading, celsius, celsius), st.binary(max_size=20))),
    st.lists(st.integers(0, 5_000)),
)
def test_frames_survive_interleaved_noise_without_headers(
    stream: list[tuple[RawReading, bytes]], cuts: list[int]
) -> None:
    # Noise that contains no 0x5A cannot start a header, so every frame must come through.
    data = b"".join(junk.replace(b"\x5a", b"") + encode_frame(r) for r, junk in stream)
    parser = BinaryFrameParser()
    assert [r for chunk in split(data, cuts) for r in parser.feed(chunk)] == [r for r, _ in stream]
    assert parser.rejected_frames == 0
