"""ThermometerMonitor reading a SimulatedThermometer over real ptys and TCP, cables pulled."""

from __future__ import annotations

import logging
import os
import queue
import time
from collections.abc import Iterator

import pytest

from drivers.thermometer.ascii_protocol import AsciiLineParser
from drivers.thermometer.port import PortState, ThermometerMonitor
from drivers.thermometer.reading import RawReading
from drivers.thermometer.simulator import SimulatedThermometer
from drivers.virtual_serial import Transport

TRANSPORTS: list[Transport] = ["pty", "tcp"] if os.name == "posix" else ["tcp"]
TIMEOUT_S = 10.0
CYCLE = [36.5, 36.6, 36.7, 37.9]


class Events:
    """Everything the monitor reported, in order, with waits that fail after TIMEOUT_S."""

    def __init__(self) -> None:
        self._queue: queue.Queue[RawReading | PortState] = queue.Queue()

    def on_reading(self, reading: RawReading) -> None:
        self._queue.put(reading)

    def on_state(self, state: PortState) -> None:
        self._queue.put(state)

    def _next(self) -> RawReading | PortState:
        try:
            return self._queue.get(timeout=TIMEOUT_S)
        except queue.Empty:
            pytest.fail(f"nothing reported within {TIMEOUT_S} s")

    def next_state(self, readings_allowed: bool = True) -> PortState:
        while isinstance(event := self._next(), RawReading):
            assert readings_allowed, f"reading {event} while disconnected"
        return event

    def readings(self, count: int) -> list[RawReading]:
        found: list[RawReading] = []
        while len(found) < count:
            event = self._next()
            assert isinstance(event, RawReading), f"state {event!r} while waiting for readings"
            found.append(event)
        return found


def assert_follows_the_cycle(readings: list[RawReading]) -> None:
    """Consecutive readings are consecutive entries of CYCLE: nothing lost or garbled."""
    positions = [CYCLE.index(r.celsius) for r in readings]
    assert positions == [(positions[0] + i) % len(CYCLE) for i in range(len(readings))]
    assert all(r.ambient_celsius == 22.5 for r in readings)


@pytest.fixture(params=TRANSPORTS)
def thermometer(request: pytest.FixtureRequest) -> Iterator[SimulatedThermometer]:
    simulator = SimulatedThermometer(CYCLE, interval_s=0.05, ambient=22.5, transport=request.param)
    yield simulator
    simulator.stop()


def monitor_for(
    url: str, events: Events, reconnect_interval: float = 0.1
) -> ThermometerMonitor[RawReading]:
    return ThermometerMonitor(
        url,
        AsciiLineParser,
        events.on_reading,
        events.on_state,
        reconnect_interval=reconnect_interval,
    )


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def running(
    thermometer: SimulatedThermometer, events: Events
) -> Iterator[ThermometerMonitor[RawReading]]:
    """A monitor connected to the simulator, its first states consumed."""
    monitor = monitor_for(thermometer.start(), events)
    monitor.start()
    assert events.next_state() == "connecting"
    assert events.next_state() == "connected"
    yield monitor
    monitor.stop()


def test_readings_arrive(running: ThermometerMonitor[RawReading], events: Events) -> None:
    assert_follows_the_cycle(events.readings(8))
    assert running.state == "connected"


def test_survives_repeated_cable_pulls(
    thermometer: SimulatedThermometer, running: ThermometerMonitor[RawReading], events: Events
) -> None:
    events.readings(2)
    for _ in range(3):
        thermometer.unplug()
        assert events.next_state() == "lost"
        thermometer.replug()
        assert events.next_state(readings_allowed=False) == "connected"
        assert_follows_the_cycle(events.readings(4))


def test_device_plugged_in_after_the_monitor_started(
    thermometer: SimulatedThermometer, events: Events
) -> None:
    url = thermometer.start()
    thermometer.unplug()
    monitor = monitor_for(url, events)
    monitor.start()
    try:
        assert events.next_state() == "connecting"
        thermometer.replug()
        assert events.next_state(readings_allowed=False) == "connected"
        assert_follows_the_cycle(events.readings(3))
    finally:
        monitor.stop()


@pytest.mark.parametrize("situation", ["connected", "lost", "never connected"])
def test_stop_returns_promptly(
    thermometer: SimulatedThermometer, events: Events, situation: str
) -> None:
    url = thermometer.start()
    if situation == "never connected":
        thermometer.unplug()
    monitor = monitor_for(url, events, reconnect_interval=60.0)  # stop must cut the wait short
    monitor.start()
    assert events.next_state() == "connecting"
    if situation != "never connected":
        assert events.next_state() == "connected"
    if situation == "lost":
        thermometer.unplug()
        assert events.next_state() == "lost"
    started = time.monotonic()
    monitor.stop(timeout=TIMEOUT_S)
    assert not monitor.running
    assert time.monotonic() - started < 5.0  # far below the 60 s reconnect wait


def test_failing_callback_is_logged_and_reading_goes_on(
    thermometer: SimulatedThermometer, caplog: pytest.LogCaptureFixture
) -> None:
    events = Events()
    calls = 0

    def fragile(reading: RawReading) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("UI gone")
        events.on_reading(reading)

    monitor = ThermometerMonitor(thermometer.start(), AsciiLineParser, fragile, events.on_state)
    with caplog.at_level(logging.ERROR, logger="drivers.thermometer.port"):
        monitor.start()
        try:
            assert events.next_state() == "connecting"
            assert events.next_state() == "connected"
            assert_follows_the_cycle(events.readings(3))
        finally:
            monitor.stop()
    assert "callback" in caplog.text
    assert "UI gone" in caplog.text


def test_malformed_url_fails_in_the_caller() -> None:
    with pytest.raises(ValueError, match="protocol 'modbus' not known"):
        ThermometerMonitor("modbus://1", AsciiLineParser, print, print)


def test_monitor_runs_once(running: ThermometerMonitor[RawReading]) -> None:
    with pytest.raises(RuntimeError, match="already started"):
        running.start()


def test_simulator_readings_are_deterministic() -> None:
    assert SimulatedThermometer(CYCLE).reading(5) == RawReading(36.6)
    by_index = SimulatedThermometer(lambda i: 36.0 + i / 4, ambient=20.0)
    assert by_index.reading(2) == RawReading(36.5, 20.0)
    with pytest.raises(ValueError, match="empty"):
        SimulatedThermometer([])
