"""The SAM framer, the card text layout and the reader session, with byte literals."""

from __future__ import annotations

from datetime import date

import pytest

from drivers.id_card.card import (
    CardDataError,
    IdCardText,
    base_information,
    parse_base_information,
)
from drivers.id_card.protocol import (
    FIND,
    READ_BASE,
    SELECT,
    STATUS_CODES,
    FrameError,
    SamFramer,
    Trouble,
    answer_frame,
    command_frame,
    status_code,
)
from drivers.id_card.session import GARBLED, ReaderProblem, ReaderSession

CARD = IdCardText("张三", "11010519491231002X", date(2015, 3, 1), date(2035, 3, 1))


def test_command_frames_match_the_published_bytes() -> None:
    # BearPi IDReader.c: AA AA AA 96 69, length 00 03, command, parameter, XOR of the four.
    assert command_frame(FIND).hex(" ") == "aa aa aa 96 69 00 03 20 01 22"
    assert command_frame(SELECT).hex(" ") == "aa aa aa 96 69 00 03 20 02 21"
    assert command_frame(READ_BASE).hex(" ") == "aa aa aa 96 69 00 03 30 01 32"


def test_answers_split_anywhere_and_noise_between_are_framed() -> None:
    stream = b"\x00\x13" + answer_frame(0x9F) + b"\xaa\xaa\x96" + answer_frame(0x90, b"xyz")
    for cut in range(1, len(stream)):
        framer = SamFramer()
        bodies = framer.feed(stream[:cut]) + framer.feed(stream[cut:])
        assert bodies == [b"\x00\x00\x9f", b"\x00\x00\x90xyz"], cut


def test_a_bad_checksum_is_reported_and_the_next_frame_still_found() -> None:
    bad = bytearray(answer_frame(0x90, b"abc"))
    bad[-2] ^= 0x01
    assert SamFramer().feed(bytes(bad) + answer_frame(0x80)) == [
        FrameError("checksum"),
        b"\x00\x00\x80",
    ]


def test_an_impossible_length_is_reported_not_waited_for() -> None:
    junk = b"\xaa\xaa\xaa\x96\x69\xff\xff"
    assert SamFramer().feed(junk + answer_frame(0x80)) == [FrameError("length"), b"\x00\x00\x80"]


def test_every_documented_status_has_a_meaning_and_who_acts_on_it() -> None:
    expected = {
        0x90: Trouble.NONE, 0x9F: Trouble.NONE, 0x80: Trouble.NONE,
        0x81: Trouble.CARD, 0x41: Trouble.CARD, 0x40: Trouble.CARD, 0x47: Trouble.CARD,
        0x91: Trouble.CARD,
        0x31: Trouble.AUTHENTICATION, 0x32: Trouble.AUTHENTICATION, 0x33: Trouble.AUTHENTICATION,
        0x10: Trouble.READER, 0x11: Trouble.READER, 0x21: Trouble.READER, 0x23: Trouble.READER,
        0x24: Trouble.READER, 0x60: Trouble.READER, 0x66: Trouble.READER,
    }  # fmt: skip
    assert {code: s.trouble for code, s in STATUS_CODES.items()} == expected
    assert status_code(0x55).trouble is Trouble.READER
    assert "undocumented" in status_code(0x55).meaning


def test_card_text_round_trips_and_long_term_validity() -> None:
    assert parse_base_information(base_information(CARD)) == CARD
    long_term = IdCardText("欧阳娜娜娜", "11010519491231002X", date(2010, 1, 1), None)
    assert parse_base_information(base_information(long_term)) == long_term


def test_the_text_block_sits_where_the_published_layout_says() -> None:
    data = base_information(CARD)
    assert data[:4] == bytes.fromhex("0100 0400")  # 256 bytes of text, 1024 of photo
    text = data[4:260].decode("utf-16-le")
    assert text[:2] == "张三" and text[61:79] == CARD.id_number
    assert text[94:102] == "20150301" and text[102:110] == "20350301"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\x01", "too short"),
        (bytes.fromhex("0080 0400") + bytes(128), "not 256"),
        (base_information(CARD)[:4] + "x".encode("utf-16-le") * 128, "valid from"),
        (base_information(IdCardText(" ", CARD.id_number, date(2015, 1, 1), None)), "nobody"),
    ],
)
def test_malformed_card_text_is_refused_with_the_reason(data: bytes, problem: str) -> None:
    with pytest.raises(CardDataError, match=problem):
        parse_base_information(data)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_session_finds_selects_and_reads_then_polls_at_its_pace() -> None:
    clock = Clock()
    session = ReaderSession(poll_interval=0.25, clock=clock)
    assert session.due() == command_frame(FIND)
    assert session.due() is None  # one command at a time
    assert session.feed(answer_frame(0x80)) == []
    assert session.due() is None  # no card: the next find waits for the poll interval
    clock.now = 0.25
    assert session.due() == command_frame(FIND)
    assert session.feed(answer_frame(0x9F)) == []
    assert session.due() == command_frame(SELECT)
    assert session.feed(answer_frame(0x90)) == []
    assert session.due() == command_frame(READ_BASE)
    assert session.feed(answer_frame(0x90, base_information(CARD))) == [CARD]


@pytest.mark.parametrize("status", [0x31, 0x32, 0x33, 0x41, 0x81, 0x23, 0x66])
def test_a_failed_step_is_one_clear_problem(status: int) -> None:
    session = ReaderSession(clock=Clock())
    session.due()
    session.feed(answer_frame(0x9F))
    session.due()
    (problem,) = session.feed(answer_frame(status))
    assert isinstance(problem, ReaderProblem)
    assert problem.code == status and f"{status:#04x}" in problem.detail
    assert problem.trouble is status_code(status).trouble


def test_garbled_answers_are_asked_again_then_reported() -> None:
    session = ReaderSession(clock=Clock(), retries=2)
    garbled = bytearray(answer_frame(0x9F))
    garbled[-1] ^= 0xFF
    for _ in range(2):
        assert session.due() == command_frame(FIND)
        assert session.feed(bytes(garbled)) == []
    session.due()
    assert session.feed(bytes(garbled)) == [GARBLED]
    session.due()  # the reader's own "bad checksum" (0x10) is also asked again
    assert session.feed(answer_frame(0x10)) == []


def test_silence_times_out_but_a_slow_flowing_answer_does_not() -> None:
    clock = Clock()
    session = ReaderSession(answer_timeout=1.0, clock=clock)
    session.due()
    whole = answer_frame(0x90)
    for at, piece in ((0.9, whole[:3]), (1.8, whole[3:6])):
        clock.now = at
        session.feed(piece)
        assert not session.timed_out()
    clock.now = 2.9
    assert session.timed_out() and not session.answering
    assert session.due() == command_frame(FIND)  # asked again
