"""Hand scanners on the real booth window: a keyboard-wedge scanner typing into it (told apart
from a person typing), and a serial scanner on a real pseudo-terminal, both decided like camera
scans; repeats, garbled reads and device states shown to the guard."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from drivers.camera import OpenCVSource
from drivers.qr import make_decoder
from drivers.thermometer.simulator import SimulatedThermometer
from drivers.virtual_serial import VirtualPort, open_virtual_port
from gatehouse import config
from gatehouse.booth.runtime import RuntimeOptions
from gatehouse.booth.service import ScanResult
from gatehouse.core.models import TemperatureReading
from gatehouse.demo import DemoManifest
from gatehouse.ui.app import build_window
from gatehouse.ui.bridge import BoothBridge
from gatehouse.ui.main_window import MainWindow

WAIT_MS = 20_000


def first_demo_pass() -> str:
    """The first pass of the demo video, read off its frames as the camera would."""
    source = OpenCVSource(DemoManifest.load().video)
    decoder = make_decoder("zxing")
    try:
        while (frame := source.read()) is not None:
            if texts := decoder.decode(frame):
                return texts[0]
    finally:
        source.close()
    raise AssertionError("no pass in the demo video")


class Booth:
    """A booth window built like the real one, devices not started unless a test starts them."""

    def __init__(self, qtbot: QtBot, settings: Mapping[str, object], demo: bool, db: Path) -> None:
        cfg = config.from_mapping({"ui": {"language": "en"}, **settings}, environ={})
        self.window, self.runtime, self.bridge = build_window(
            cfg, RuntimeOptions(demo=demo, database=db)
        )
        qtbot.addWidget(self.window)
        self.verdicts: list[ScanResult] = []
        self.scanned: list[str] = []
        self.bridge.verdict.connect(lambda result, _error: self.verdicts.append(result))
        self.window.wedge.scanned.connect(self.scanned.append)

    def label(self, name: str) -> QLabel:
        label = self.window.findChild(QLabel, name)
        assert label is not None, name
        return label


@pytest.fixture
def demo_booth(qtbot: QtBot, tmp_path: Path) -> Iterator[Booth]:
    booth = Booth(qtbot, {}, demo=True, db=tmp_path / "ledger.sqlite3")
    yield booth
    booth.runtime.stop()


def test_a_wedge_burst_is_scanned_and_decided_slow_typing_is_not(
    qtbot: QtBot, demo_booth: Booth
) -> None:
    window, text = demo_booth.window, first_demo_pass()
    qtbot.keyClicks(window, "GH1:TYPED", delay=120)  # a person at the keyboard
    qtbot.keyClick(window, Qt.Key.Key_Return, delay=120)
    qtbot.keyClicks(window, text)  # the scanner: every key within a millisecond or two
    qtbot.keyClick(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(demo_booth.verdicts) == 1, timeout=WAIT_MS)
    assert demo_booth.scanned == [text]
    assert demo_booth.verdicts[0].passage.pass_id == "DEMO-0001"
    assert "DEMO-0001" in {p.pass_id for p in demo_booth.runtime.ledger.recent(limit=100)}


def test_typing_into_a_text_field_stays_in_the_field(qtbot: QtBot, demo_booth: Booth) -> None:
    field = QLineEdit(demo_booth.window.centralWidget())
    field.show()
    qtbot.keyClicks(field, "GH1:INTO-THE-FIELD")  # even at scanner speed
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.text() == "GH1:INTO-THE-FIELD"
    assert demo_booth.scanned == []


@pytest.fixture
def scanner_port() -> Iterator[VirtualPort]:
    if os.name != "posix":
        pytest.skip("the serial scanner simulator needs pseudo-terminals")
    port = open_virtual_port("pty")
    yield port
    port.close()


def test_a_serial_scanner_feeds_the_booth_and_repeats_and_garbles_are_shown(
    qtbot: QtBot, tmp_path: Path, scanner_port: VirtualPort
) -> None:
    settings = {
        "scanner": {"port": scanner_port.url},
        "camera": {"source": str(tmp_path / "unplugged-camera.mp4")},
        "trust": {"keys_file": str(tmp_path / "no-keys.json")},
    }
    booth = Booth(qtbot, settings, demo=False, db=tmp_path / "ledger.sqlite3")
    booth.runtime.start()
    try:
        status = booth.label("scannerStatus")
        qtbot.waitUntil(lambda: "Scanner connected" in status.text(), timeout=WAIT_MS)
        qtbot.waitUntil(
            lambda: "Camera lost, reconnecting" in booth.label("cameraStatus").toolTip(),
            timeout=WAIT_MS,
        )
        scanner_port.write(b"GH1:SERIAL-")  # a line may arrive in pieces
        scanner_port.write(b"0001\r\n")
        qtbot.waitUntil(lambda: len(booth.verdicts) == 1, timeout=WAIT_MS)
        assert "TURN AWAY" in booth.label("verdictHeadline").text()

        scanner_port.write(b"GH1:SERIAL-0001\r\n")  # held up again, nothing measured since
        notice = booth.label("verdictNotice")
        qtbot.waitUntil(lambda: "Same pass scanned" in notice.text(), timeout=WAIT_MS)
        assert notice.isVisibleTo(booth.window)

        scanner_port.write(b"GH1:\xff\xfe\r\n")  # wrong baud rate or keyboard layout
        qtbot.waitUntil(lambda: "garbled" in status.text(), timeout=WAIT_MS)
        assert len(booth.verdicts) == 1  # a scanner fault is no pass, forged or otherwise
        scanner_port.unplug()
        qtbot.waitUntil(lambda: "Scanner lost" in status.text(), timeout=WAIT_MS)
        logged = booth.runtime.ledger.recent(limit=100)
    finally:
        booth.runtime.stop()
    assert len(logged) == 1  # the repeat and the garbled line logged nothing


def test_thermometer_states_are_shown_including_a_sensor_that_stopped_answering(
    qtbot: QtBot, tmp_path: Path
) -> None:
    if os.name != "posix":
        pytest.skip("needs pseudo-terminals")
    sensor = SimulatedThermometer([36.5, 36.6, 36.5], interval_s=0.05, protocol="modbus")
    url = sensor.start()
    settings = {
        "thermometer": {"port": url, "protocol": "modbus"},
        "camera": {"source": str(tmp_path / "unplugged-camera.mp4")},
        "trust": {"keys_file": str(tmp_path / "no-keys.json")},
    }
    booth = Booth(qtbot, settings, demo=False, db=tmp_path / "ledger.sqlite3")
    status, value = booth.label("thermometerStatus"), booth.label("temperatureValue")
    booth.runtime.start()
    try:
        qtbot.waitUntil(lambda: "Thermometer connected" in status.text(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: value.text() in ("36.5 °C", "36.6 °C"), timeout=WAIT_MS)
        sensor.go_quiet()  # the RS-485 adapter stays plugged in; the sensor says nothing
        qtbot.waitUntil(lambda: "not answering" in status.text(), timeout=WAIT_MS)
        assert value.text() == "--.- °C"
        sensor.speak_again()
        qtbot.waitUntil(lambda: "Thermometer connected" in status.text(), timeout=WAIT_MS)
        sensor.unplug()
        qtbot.waitUntil(lambda: "Thermometer lost" in status.text(), timeout=WAIT_MS)
        sensor.replug()
        qtbot.waitUntil(lambda: "Thermometer connected" in status.text(), timeout=WAIT_MS)
    finally:
        booth.runtime.stop()
        sensor.stop()


def test_an_implausible_reading_is_flagged_beside_the_number(qtbot: QtBot) -> None:
    window = MainWindow(
        BoothBridge(),
        demo=False,
        decoder_name="zxing",
        language="en",
        threshold_c=37.3,
        verdict_seconds=6,
    )
    qtbot.addWidget(window)
    flag = window.findChild(QLabel, "temperatureFlag")
    assert flag is not None
    temperature = window.temperature
    temperature.show_reading(_reading(22.0))
    assert flag.isVisibleTo(window) and "Implausible" in flag.text()
    temperature.show_reading(_reading(36.5))
    assert not flag.isVisibleTo(window)


def _reading(celsius: float) -> TemperatureReading:
    return TemperatureReading(celsius, DemoManifest.load().clock_start, "sensor")
