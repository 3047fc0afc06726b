"""The setup's ID card reader page: the simulated reader on a real pty, listed as a USB
adapter among the serial ports, is found by its answer to the SAM status command and tested
with a card laid on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.id_card.card import IdCardText
from drivers.id_card.simulator import SimulatedIdReader
from drivers.virtual_serial import open_virtual_port
from gatehouse import config
from gatehouse.setup.detect import DeviceProbe
from tests.setup.testkit import usb_adapter
from tests.ui.setup.test_setup_wizard import BOOTH, PIN, WAIT_MS, _finish, _next, _type, _wizard

CARD = IdCardText("张伟", "11010519491231002X", date(2015, 3, 1), None)


@pytest.fixture
def reader() -> Iterator[SimulatedIdReader]:
    simulator = SimulatedIdReader("pty")
    yield simulator
    simulator.stop()


def test_the_reader_is_found_among_the_ports_and_reads_a_card(
    qtbot: QtBot, tmp_path: Path, reader: SimulatedIdReader
) -> None:
    silent = open_virtual_port("pty")  # a port with nothing behind it is not a reader
    try:
        ports = [usb_adapter(reader.start(), "R1"), usb_adapter(silent.url, "S1")]
        paths = (tmp_path / "gatehouse.toml", tmp_path / "ledger.sqlite3")
        wizard = _wizard(qtbot, paths, DeviceProbe(camera_candidates=[], port_lister=lambda: ports))
        _type(qtbot, wizard.booth.booth_id, BOOTH)
        for _ in range(4):  # booth, hub (none yet), camera (automatic), thermometer (none)
            _next(qtbot, wizard)
        page = wizard.id_reader
        assert wizard.currentPage() is page
        qtbot.waitUntil(lambda: "1 ID card reader(s) found" in page.message.text(), timeout=WAIT_MS)
        assert page.device.value() == "usb:1a86:7523:R1"

        qtbot.mouseClick(page.device.test, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Lay an ID card" in page.result.text(), timeout=WAIT_MS)
        reader.place(CARD)
        qtbot.waitUntil(lambda: "Card read" in page.result.text(), timeout=WAIT_MS)
        assert page.result.text() == "Card read: 张伟 1101**********002X"
        _next(qtbot, wizard)

        _type(qtbot, wizard.pin.pin, PIN)
        _type(qtbot, wizard.pin.repeat, PIN)
        _next(qtbot, wizard)
        assert "ID card reader: " in wizard.summary.text.text()
        with qtbot.waitSignal(wizard.accepted, timeout=WAIT_MS):
            _finish(qtbot, wizard)
    finally:
        silent.close()
    written = config.load(paths[0], environ={})
    assert written.id_reader == config.IdReaderSettings("usb:1a86:7523:R1", 115200)


def test_no_reader_is_a_choice_and_its_test_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    paths = (tmp_path / "gatehouse.toml", tmp_path / "ledger.sqlite3")
    wizard = _wizard(qtbot, paths, DeviceProbe(camera_candidates=[], port_lister=list))
    _type(qtbot, wizard.booth.booth_id, BOOTH)
    for _ in range(4):
        _next(qtbot, wizard)
    page = wizard.id_reader
    qtbot.waitUntil(lambda: "0 ID card reader(s) found" in page.message.text(), timeout=WAIT_MS)
    assert page.device.value() == ""
    qtbot.mouseClick(page.device.test, Qt.MouseButton.LeftButton)
    assert "No reader to test" in page.result.text()
