"""The ID card reader monitor against the simulated reader on real ptys (TCP elsewhere)."""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Iterator
from datetime import date

import pytest

from drivers.id_card.card import IdCardText
from drivers.id_card.protocol import FIND, STATUS_CODES, Trouble
from drivers.id_card.reader import IdCardReaderMonitor, probe_reader
from drivers.id_card.session import ReaderEvent, ReaderProblem, ReaderSession
from drivers.id_card.simulator import SimulatedIdReader
from drivers.thermometer.port import PortState
from drivers.virtual_serial import Transport
from drivers.wire_faults import Faults

TRANSPORTS: list[Transport] = ["pty", "tcp"] if os.name == "posix" else ["tcp"]
TIMEOUT_S = 10.0
CARD = IdCardText("李四", "11010519491231002X", date(2016, 5, 1), date(2036, 5, 1))


class Events:
    def __init__(self) -> None:
        self.queue: queue.Queue[ReaderEvent | PortState] = queue.Queue()

    def next(self) -> ReaderEvent | PortState:
        try:
            return self.queue.get(timeout=TIMEOUT_S)
        except queue.Empty:
            pytest.fail(f"nothing reported within {TIMEOUT_S} s")

    def next_event(self) -> ReaderEvent:
        while isinstance(item := self.next(), str):
            pass
        return item

    def next_state(self) -> PortState:
        while not isinstance(item := self.next(), str):
            pass
        return item


def start(url: str, events: Events, session: ReaderSession | None = None) -> IdCardReaderMonitor:
    monitor = IdCardReaderMonitor(
        url,
        on_event=events.queue.put,
        on_state=events.queue.put,
        session_factory=(lambda: session) if session else ReaderSession,
        reconnect_interval=0.1,
    )
    monitor.start()
    return monitor


@pytest.fixture(params=TRANSPORTS)
def reader(request: pytest.FixtureRequest) -> Iterator[SimulatedIdReader]:
    simulator = SimulatedIdReader(transport=request.param)
    yield simulator
    simulator.stop()


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def running(reader: SimulatedIdReader, events: Events) -> Iterator[IdCardReaderMonitor]:
    monitor = start(reader.start(), events)
    assert events.next_state() == "connecting"
    assert events.next_state() == "connected"
    yield monitor
    monitor.stop()


def test_a_placed_card_is_read_once_until_placed_again(
    reader: SimulatedIdReader, running: IdCardReaderMonitor, events: Events
) -> None:
    reader.place(CARD)
    assert events.next_event() == CARD
    time.sleep(0.6)  # still lying there: the reader says "no card" to every find
    assert events.queue.empty()
    reader.remove()
    reader.place(CARD)
    assert events.next_event() == CARD


def test_polling_does_not_hammer_the_reader(
    reader: SimulatedIdReader, running: IdCardReaderMonitor
) -> None:
    time.sleep(1.0)
    finds = sum(1 for command in reader.commands if command == FIND)
    assert 2 <= finds <= 6  # about four a second


@pytest.mark.parametrize("status", sorted(set(STATUS_CODES) - {0x90, 0x9F, 0x80, 0x10}))
def test_every_failure_status_reaches_the_host_as_a_clear_problem(
    reader: SimulatedIdReader, running: IdCardReaderMonitor, events: Events, status: int
) -> None:
    reader.place(CARD)
    reader.answer_next(0x9F, status)  # found, then the select fails with ``status``
    problem = events.next_event()
    assert isinstance(problem, ReaderProblem)
    assert problem.code == status
    assert problem.trouble is STATUS_CODES[status].trouble
    assert STATUS_CODES[status].meaning in problem.detail


def test_the_readers_checksum_complaint_is_asked_again(
    reader: SimulatedIdReader, running: IdCardReaderMonitor, events: Events
) -> None:
    reader.answer_next(0x9F, 0x90, 0x10)  # our read command reached it garbled
    reader.place(CARD)
    assert events.next_event() == CARD


def test_authentication_failure_then_the_card_placed_again(
    reader: SimulatedIdReader, running: IdCardReaderMonitor, events: Events
) -> None:
    reader.answer_next(0x9F, 0x90, 0x31)
    reader.place(CARD)
    problem = events.next_event()
    assert isinstance(problem, ReaderProblem) and problem.trouble is Trouble.AUTHENTICATION
    reader.place(CARD)
    assert events.next_event() == CARD


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_noisy_split_and_corrupted_answers_still_read_the_card(transport: Transport) -> None:
    reader = SimulatedIdReader(transport, Faults(noise=0.3, corrupt=0.2, split=True, seed=7))
    events = Events()
    monitor = start(reader.start(), events)
    try:
        for _ in range(3):
            reader.place(CARD)
            while (event := events.next_event()) != CARD:
                assert isinstance(event, ReaderProblem)  # garbled beyond the retries: tried again
            reader.remove()
    finally:
        monitor.stop()
        reader.stop()


def test_unplug_and_replug(
    reader: SimulatedIdReader, running: IdCardReaderMonitor, events: Events
) -> None:
    for _ in range(2):
        reader.unplug()
        assert events.next_state() == "lost"
        reader.replug()
        assert events.next_state() == "connected"
        reader.place(CARD)
        assert events.next_event() == CARD
        reader.remove()


def test_a_port_where_nothing_answers_is_silent(events: Events) -> None:
    from drivers.virtual_serial import open_virtual_port

    port = open_virtual_port()
    session = ReaderSession(answer_timeout=0.3)
    monitor = start(port.url, events, session)
    try:
        assert events.next_state() == "connecting"
        assert events.next_state() == "connected"
        assert events.next_state() == "silent"
        assert not probe_reader(port.url, timeout=0.3)
    finally:
        monitor.stop()
        port.close()


def test_probe_finds_the_reader(reader: SimulatedIdReader) -> None:
    assert probe_reader(reader.start())
