"""Device detection and live tests for the setup, on real files and a real simulated port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serial.tools.list_ports_common import ListPortInfo

from drivers.thermometer.protocols import ProtocolName, ProtocolSettings
from drivers.thermometer.simulator import SimulatedThermometer
from gatehouse.setup.detect import (
    DeviceProbe,
    Problem,
    check_camera,
    check_thermometer,
    detect_cameras,
    detect_serial_ports,
)
from tests.setup.testkit import DEMO_VIDEO, usb_adapter


@pytest.fixture(params=["ascii", "modbus"])
def thermometer(request: pytest.FixtureRequest) -> Iterator[tuple[str, ProtocolName]]:
    """A simulated thermometer on a pty: its URL and the protocol it speaks."""
    device = SimulatedThermometer([36.4], interval_s=0.05, protocol=request.param)
    url = device.start()
    yield url, request.param
    device.stop()


def test_a_video_file_is_detected_with_its_size_and_a_dead_index_is_not(tmp_path: Path) -> None:
    missing = str(tmp_path / "nothing.mp4")
    found = detect_cameras([DEMO_VIDEO, missing, "63"], timeout_s=10)
    assert [c.source for c in found] == [DEMO_VIDEO]
    assert (found[0].width, found[0].height) == (640, 480)
    assert found[0].frame is not None and found[0].frame.shape == (480, 640, 3)


def test_a_camera_that_cannot_open_says_so(tmp_path: Path) -> None:
    not_a_video = tmp_path / "notes.mp4"
    not_a_video.write_text("not a video")
    check = check_camera(str(not_a_video), timeout_s=10)
    assert check.problem is Problem.CANNOT_OPEN and not check.works
    assert "not a video" in check.detail


def test_serial_ports_list_usb_ids_for_the_setting() -> None:
    plain = ListPortInfo("/dev/ttyS0", skip_link_detection=True)
    ports = detect_serial_ports(lambda: [usb_adapter("/dev/ttyUSB0"), plain])
    assert [(p.device, p.url) for p in ports] == [
        ("/dev/ttyS0", "/dev/ttyS0"),
        ("/dev/ttyUSB0", "usb:1a86:7523:T1"),
    ]
    assert ports[1].description == "USB-Serial Controller"


def test_the_live_test_reads_the_simulated_thermometer(
    thermometer: tuple[str, ProtocolName],
) -> None:
    url, name = thermometer
    check = check_thermometer(url, ProtocolSettings(name), timeout_s=20)
    assert check.works and check.reading is not None
    assert check.reading.celsius == pytest.approx(36.4)


def test_the_live_test_finds_a_usb_adapter_by_its_ids(
    thermometer: tuple[str, ProtocolName],
) -> None:
    url, name = thermometer
    probe = DeviceProbe(port_lister=lambda: [usb_adapter(url)], thermometer_timeout_s=20)
    (port,) = probe.serial_ports()
    check = probe.thermometer(port.url, ProtocolSettings(name), 9600)
    assert check.works and check.reading is not None


def test_a_wrong_protocol_is_no_reading_not_a_crash() -> None:
    device = SimulatedThermometer([36.4], interval_s=0.05, protocol="binary")
    url = device.start()
    try:
        check = check_thermometer(url, ProtocolSettings("ascii"), timeout_s=0.5)
    finally:
        device.stop()
    assert check.problem is Problem.NO_READING
    assert "ascii" in check.detail


def test_a_missing_port_and_a_malformed_one_are_told_apart(tmp_path: Path) -> None:
    missing = check_thermometer(str(tmp_path / "ttyUSB9"), ProtocolSettings("ascii"))
    assert missing.problem is Problem.CANNOT_OPEN
    unplugged = check_thermometer("usb:1a86:7523", ProtocolSettings("ascii"), lister=list)
    assert unplugged.problem is Problem.CANNOT_OPEN and "usb:1a86:7523" in unplugged.detail
    malformed = check_thermometer("usb:zz", ProtocolSettings("ascii"))
    assert malformed.problem is Problem.BAD_SETTING and "usb:VID:PID" in malformed.detail
