"""AsciiLineParser at the byte level, plus fuzzing: noise must never raise or pile up."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.thermometer.ascii_protocol import MAX_LINE_BYTES, AsciiLineParser, format_line
from drivers.thermometer.reading import RawReading
from tests.drivers.drivers_testkit import split


def feed_all(parser: AsciiLineParser, chunks: list[bytes]) -> list[RawReading]:
    return [reading for chunk in chunks for reading in parser.feed(chunk)]


def byte_by_byte(data: bytes) -> list[bytes]:
    return [data[i : i + 1] for i in range(len(data))]


def test_body_temperature_line() -> None:
    assert AsciiLineParser().feed(b"T:36.5\r\n") == [RawReading(36.5, None)]


def test_body_and_ambient_line() -> None:
    assert AsciiLineParser().feed(b"T:36.5,A:22.1\r\n") == [RawReading(36.5, 22.1)]


@pytest.mark.parametrize(
    ("line", "reading"),
    [
        (b"T: 36.5", RawReading(36.5)),
        (b"  T:37\t", RawReading(37.0)),
        (b"T:-0.5", RawReading(-0.5)),
        (b"T:36.50 , A: -5.25", RawReading(36.5, -5.25)),
    ],
)
def test_accepted_variants(line: bytes, reading: RawReading) -> None:
    assert AsciiLineParser().feed(line + b"\n") == [reading]


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
def test_every_line_ending(ending: bytes) -> None:
    parser = AsciiLineParser()
    assert parser.feed(b"T:36.5" + ending + b"T:36.6" + ending) == [
        RawReading(36.5),
        RawReading(36.6),
    ]
    assert parser.rejected_lines == 0


def test_reading_appears_when_its_line_ends_byte_by_byte() -> None:
    parser = AsciiLineParser()
    results = [parser.feed(b) for b in byte_by_byte(b"T:36.5,A:22.1\r\nT:37.0\r\n")]
    assert {i: found for i, found in enumerate(results) if found} == {
        13: [RawReading(36.5, 22.1)],
        21: [RawReading(37.0)],
    }
    assert parser.rejected_lines == 0


def test_crlf_split_across_feeds() -> None:
    parser = AsciiLineParser()
    assert parser.feed(b"T:36.5\r") == [RawReading(36.5)]
    assert parser.feed(b"\nT:36.") == []
    assert parser.feed(b"6\r\n") == [RawReading(36.6)]
    assert parser.rejected_lines == 0


def test_noise_lines_are_skipped_and_counted() -> None:
    parser = AsciiLineParser()
    noise = b"hello\r\n\x00\xff\xfe\r\nT:abc\r\nT:3T:36.5\r\nT:36.5 C\r\n\xffT:36.5\r\n"
    assert parser.feed(noise + b"\r\n\r\n   \r\nT:36.7\r\n") == [RawReading(36.7)]
    assert parser.rejected_lines == 6  # blank lines are no noise


def test_over_long_junk_is_discarded_up_to_its_line_end() -> None:
    parser = AsciiLineParser()
    assert parser.feed(b"x" * 10_000 + b"T:36.5") == []
    assert parser.pending_bytes == 0
    assert parser.feed(b"\r\nT:36.6\r\n") == [RawReading(36.6)]  # the tail of the junk is junk
    assert parser.rejected_lines == 1


def test_over_long_junk_byte_by_byte_stays_bounded() -> None:
    parser = AsciiLineParser()
    for chunk in byte_by_byte(b"\xaa" * 2_000):
        assert parser.feed(chunk) == []
        assert parser.pending_bytes <= MAX_LINE_BYTES
    assert parser.feed(b"\nT:36.5\n") == [RawReading(36.5)]
    assert parser.rejected_lines == 1


def test_line_length_limit_is_inclusive() -> None:
    longest = b"T:36.5".ljust(MAX_LINE_BYTES)
    parser = AsciiLineParser()
    assert parser.feed(longest + b"\n" + longest + b" \n") == [RawReading(36.5)]
    assert parser.rejected_lines == 1


def test_custom_pattern() -> None:
    parser = AsciiLineParser(r"TEMP=(\d+\.\d)C(?: AMB=(\d+\.\d)C)?")
    assert parser.feed(b"TEMP=36.5C\nTEMP=36.6C AMB=21.0C\nT:36.5\n") == [
        RawReading(36.5),
        RawReading(36.6, 21.0),
    ]
    assert parser.rejected_lines == 1


def test_custom_pattern_capturing_no_number_rejects_the_line() -> None:
    parser = AsciiLineParser(r"T:(\w+)")
    assert parser.feed(b"T:nan\nT:inf\nT:abc\nT:36\n") == [RawReading(36.0)]
    assert parser.rejected_lines == 3


@pytest.mark.parametrize("pattern", [r"T:\d+", r"(T):(\d+):(\d+)"])
def test_pattern_needs_one_or_two_groups(pattern: str) -> None:
    with pytest.raises(ValueError, match="group"):
        AsciiLineParser(pattern)


@pytest.mark.parametrize("reading", [RawReading(36.5), RawReading(37.25, -3.5), RawReading(0.0)])
def test_format_line_round_trips(reading: RawReading) -> None:
    assert AsciiLineParser().feed(format_line(reading)) == [reading]


def test_format_line_is_what_devices_send() -> None:
    assert format_line(RawReading(36.5, 22.1)) == b"T:36.50,A:22.10\r\n"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3_000), st.lists(st.integers(min_value=0, max_value=3_000)))
def test_random_bytes_never_raise_and_stay_bounded(data: bytes, cuts: list[int]) -> None:
    whole = AsciiLineParser()
    expected = whole.feed(data)
    pieces = AsciiLineParser()
    readings = []
    for chunk in split(data, cuts):
        readings += pieces.feed(chunk)
        assert pieces.pending_bytes <= MAX_LINE_BYTES
    assert readings == expected  # however the bytes were split
    assert pieces.rejected_lines == whole.rejected_lines


celsius = st.floats(min_value=-50, max_value=150).map(lambda c: round(c, 2))
readings = st.builds(RawReading, celsius, st.none() | celsius)
junk_lines = st.binary(max_size=400).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b""))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(readings, junk_lines)), st.lists(st.integers(0, 20_000)))
def test_readings_survive_interleaved_noise(
    stream: list[tuple[RawReading, bytes]], cuts: list[int]
) -> None:
    # A junk line that happens to be valid ("T:1") would add a reading; prefix it to be sure.
    data = b"".join(b"#" + junk + b"\r\n" + format_line(reading) for reading, junk in stream)
    parser = AsciiLineParser()
    assert feed_all(parser, split(data, cuts)) == [reading for reading, _ in stream]
    assert parser.rejected_lines == len(stream)
