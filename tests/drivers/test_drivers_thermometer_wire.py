"""Every thermometer protocol end to end: simulator and monitor over a real pseudo-terminal,
with noise, split and corrupted frames, repeated cable pulls, and a port name that changes."""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from serial.tools.list_ports_common import ListPortInfo

from drivers.serial_discovery import PortNotFoundError, UsbId, parse_usb_url, resolve_port
from drivers.thermometer.port import PortState, ThermometerMonitor
from drivers.thermometer.protocols import PROTOCOLS, ProtocolName, ProtocolSettings
from drivers.thermometer.reading import RawReading
from drivers.thermometer.simulator import Faults, SimulatedThermometer

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs pseudo-terminals")

TIMEOUT_S = 10.0
CYCLE = [36.5, 36.6, 36.7, 37.9]
ROUGH_WIRE = Faults(noise=0.3, corrupt=0.2, split=True, seed=7)


class Reports:
    """What a monitor reported, in order; waits fail after TIMEOUT_S."""

    def __init__(self) -> None:
        self.queue: queue.Queue[RawReading | PortState] = queue.Queue()

    def next(self) -> RawReading | PortState:
        try:
            return self.queue.get(timeout=TIMEOUT_S)
        except queue.Empty:
            pytest.fail(f"nothing reported within {TIMEOUT_S} s")

    def state(self) -> PortState:
        while isinstance(event := self.next(), RawReading):
            pass
        return event

    def readings(self, count: int) -> list[RawReading]:
        found: list[RawReading] = []
        while len(found) < count:
            event = self.next()
            assert isinstance(event, RawReading), f"state {event!r} while waiting for readings"
            found.append(event)
        return found


def start_monitor(
    url: str, protocol: ProtocolName, reports: Reports, **options: object
) -> ThermometerMonitor[RawReading]:
    monitor = ThermometerMonitor(
        url,
        ProtocolSettings(protocol).parser_factory(),
        reports.queue.put,
        reports.queue.put,
        reconnect_interval=0.1,
        poll_interval=0.05,
        **options,  # type: ignore[arg-type]  # each test passes an option of its own type
    )
    monitor.start()
    return monitor


@pytest.fixture
def reports() -> Reports:
    return Reports()


def simulator(protocol: ProtocolName, faults: Faults | None = None) -> SimulatedThermometer:
    return SimulatedThermometer(
        CYCLE, interval_s=0.05, ambient=22.5, transport="pty", protocol=protocol, faults=faults
    )


@pytest.fixture(params=PROTOCOLS)
def protocol(request: pytest.FixtureRequest) -> ProtocolName:
    name: ProtocolName = request.param
    return name


@pytest.fixture
def clean(protocol: ProtocolName) -> Iterator[SimulatedThermometer]:
    device = simulator(protocol)
    yield device
    device.stop()


@pytest.fixture
def rough(protocol: ProtocolName) -> Iterator[SimulatedThermometer]:
    device = simulator(protocol, ROUGH_WIRE)
    yield device
    device.stop()


def test_readings_arrive_unchanged(
    clean: SimulatedThermometer, protocol: ProtocolName, reports: Reports
) -> None:
    monitor = start_monitor(clean.start(), protocol, reports)
    try:
        assert reports.state() == "connecting"
        assert reports.state() == "connected"
        readings = reports.readings(6)
    finally:
        monitor.stop()
    assert {r.celsius for r in readings} <= set(CYCLE)
    assert all(r.ambient_celsius == 22.5 for r in readings)
    if protocol != "modbus":  # a polled device may be read twice between two measurements
        positions = [CYCLE.index(r.celsius) for r in readings]
        assert positions == [(positions[0] + i) % len(CYCLE) for i in range(len(readings))]


def test_a_rough_wire_loses_frames_but_never_invents_a_value(
    rough: SimulatedThermometer, protocol: ProtocolName, reports: Reports
) -> None:
    monitor = start_monitor(rough.start(), protocol, reports)
    try:
        assert reports.state() == "connecting"
        assert reports.state() == "connected"
        readings = reports.readings(15)
    finally:
        monitor.stop()
    genuine = [r for r in readings if r.celsius in CYCLE and r.ambient_celsius == 22.5]
    if protocol == "ascii":  # no checksum: a corrupted digit can still read as a number
        assert len(genuine) >= 8, readings
    else:  # checksum or CRC: a damaged frame is dropped, never read
        assert genuine == readings


def test_every_cable_pull_is_reported_and_recovered(
    clean: SimulatedThermometer, protocol: ProtocolName, reports: Reports
) -> None:
    monitor = start_monitor(clean.start(), protocol, reports)
    try:
        assert reports.state() == "connecting"
        assert reports.state() == "connected"
        reports.readings(2)
        for _ in range(6):
            clean.unplug()
            assert reports.state() == "lost"
            clean.replug()
            assert reports.state() == "connected"
            assert {r.celsius for r in reports.readings(2)} <= set(CYCLE)
    finally:
        monitor.stop()


def test_a_modbus_sensor_that_stops_answering_is_silent_not_connected(
    reports: Reports,
) -> None:
    """The RS-485 adapter stays plugged in, the sensor behind it goes quiet, then comes back."""
    device = simulator("modbus")
    monitor = start_monitor(device.start(), "modbus", reports, silent_after=1.5)
    try:
        assert reports.state() == "connecting"
        assert reports.state() == "connected"
        reports.readings(2)
        device.go_quiet()
        assert reports.state() == "silent"
        device.speak_again()
        assert reports.state() == "connected"
        assert {r.celsius for r in reports.readings(2)} <= set(CYCLE)
    finally:
        monitor.stop()
        device.stop()


@pytest.mark.parametrize("protocol", ["ascii", "binary"])
def test_a_sending_thermometer_is_never_called_silent(
    protocol: ProtocolName, reports: Reports
) -> None:
    """IR thermometers say nothing between people: that is no fault."""
    device = simulator(protocol)
    monitor = start_monitor(device.start(), protocol, reports, silent_after=0.05)
    try:
        assert reports.state() == "connecting"
        assert reports.state() == "connected"
        reports.readings(1)
        device.go_quiet()
        quiet_from = len(device.measured)
        deadline = time.monotonic() + TIMEOUT_S
        while len(device.measured) < quiet_from + 5 and time.monotonic() < deadline:
            time.sleep(0.01)  # five measurements kept to itself: far past silent_after
        device.unplug()  # the next state reported is the cable pull
        assert reports.state() == "lost"
    finally:
        monitor.stop()
        device.stop()


def usb_lister(device: SimulatedThermometer, url: str) -> list[ListPortInfo]:
    """What serial.tools.list_ports reports for a USB adapter whose tty is the simulator's."""
    if not Path(url).exists():
        return []
    info = ListPortInfo(os.path.realpath(url), skip_link_detection=True)
    info.vid, info.pid, info.serial_number = 0x1A86, 0x7523, "THERMO1"
    return [info]


def test_usb_ids_find_the_adapter_after_its_name_changed(reports: Reports) -> None:
    device = simulator("binary")
    url = device.start()
    names: list[str] = []

    def lister() -> list[ListPortInfo]:
        ports = usb_lister(device, url)
        names.extend(p.device for p in ports)
        return ports

    monitor = start_monitor("usb:1a86:7523:THERMO1", "binary", reports, port_lister=lister)
    try:
        assert reports.state() == "connecting"
        assert reports.state() == "connected"
        reports.readings(2)
        device.unplug()
        assert reports.state() == "lost"
        hold_old_name = os.openpty()  # takes the freed /dev/pts number, as another device would
        try:
            device.replug()
            assert reports.state() == "connected"
            reports.readings(2)
        finally:
            for fd in hold_old_name:
                os.close(fd)
    finally:
        monitor.stop()
        device.stop()
    assert len(set(names)) == 2, names


def test_resolving_usb_urls() -> None:
    info = ListPortInfo("/dev/ttyUSB3", skip_link_detection=True)
    info.vid, info.pid, info.serial_number = 0x0403, 0x6001, "A1"
    assert resolve_port("usb:0403:6001", lambda: [info]) == "/dev/ttyUSB3"
    assert resolve_port("usb:0403:6001:A1", lambda: [info]) == "/dev/ttyUSB3"
    assert resolve_port("/dev/ttyS0", lambda: [info]) == "/dev/ttyS0"
    with pytest.raises(PortNotFoundError, match="usb:0403:6001:B2"):
        resolve_port("usb:0403:6001:B2", lambda: [info])
    assert parse_usb_url("usb:1A86:7523") == UsbId(0x1A86, 0x7523)
    with pytest.raises(ValueError, match="usb:VID:PID"):
        parse_usb_url("usb:1a86")
    with pytest.raises(ValueError, match="usb:VID:PID"):
        ThermometerMonitor("usb:xyz", ProtocolSettings().parser_factory(), print, print)


def test_unknown_protocol_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown thermometer protocol 'nmea'"):
        ProtocolSettings("nmea")
