"""The setup wizard driven like an IT person would: keys and clicks through every page, against
a real hub, a real video file as the detected camera and a simulated thermometer on a pty."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWizard
from pytestqt.qtbot import QtBot

from drivers.thermometer.protocols import PROTOCOLS
from drivers.thermometer.simulator import SimulatedThermometer
from gatehouse import config
from gatehouse.booth.runtime import BoothCallbacks, BoothRuntime, RuntimeOptions
from gatehouse.hub.service import Hub
from gatehouse.setup.configure import BoothSetup, opening, sharing
from gatehouse.setup.detect import DeviceProbe
from gatehouse.store.ledger import Ledger
from gatehouse.store.pins import PinCheck, pin_store_for
from gatehouse.store.queries import PassageQueries
from gatehouse.sync.enrolment import load_settings
from gatehouse.ui.setup.wizard import SetupWizard
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.window import SupervisorWindow
from gatehouse.ui.translations import current_language
from tests.setup.testkit import DEMO_VIDEO, live_hub, usb_adapter
from tests.ui.supervisor.conftest import CST, FAST_ARGON2

BOOTH = "north-gate-2"
PIN = "246802"
WAIT_MS = 20_000


@pytest.fixture
def hub_and_url(tmp_path: Path) -> Iterator[tuple[Hub, str]]:
    with live_hub(tmp_path) as served:
        yield served


@pytest.fixture
def thermometer_port() -> Iterator[str]:
    """A simulated ASCII thermometer on a real pty; its device path."""
    device = SimulatedThermometer([36.4], interval_s=0.05)
    url = device.start()
    yield url
    device.stop()


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "gatehouse.toml", tmp_path / "ledger.sqlite3"


def _wizard(qtbot: QtBot, paths: tuple[Path, Path], probe: DeviceProbe) -> SetupWizard:
    setup = BoothSetup(paths[0], opening(paths[1]), hasher=FAST_ARGON2)
    wizard = SetupWizard(setup, probe)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _next(qtbot: QtBot, wizard: SetupWizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def _finish(qtbot: QtBot, wizard: SetupWizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)


def _type(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)


def _commit_from_input_method(field: QLineEdit, text: str) -> None:
    """Chinese arrives as a pinyin input method's commit, not as key presses."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(field, event)


def test_the_first_setup_writes_config_pin_and_enrolment(
    qtbot: QtBot,
    paths: tuple[Path, Path],
    hub_and_url: tuple[Hub, str],
    thermometer_port: str,
) -> None:
    hub, hub_url = hub_and_url
    probe = DeviceProbe(
        camera_candidates=[DEMO_VIDEO],
        port_lister=lambda: [usb_adapter(thermometer_port)],
        thermometer_timeout_s=15,
    )
    wizard = _wizard(qtbot, paths, probe)

    # Booth: a bad id keeps the page; the checkpoint is chosen with the arrow keys.
    _type(qtbot, wizard.booth.booth_id, "north gate")
    qtbot.keyClick(wizard.booth.booth_id, Qt.Key.Key_Return)  # Enter is Next
    assert wizard.currentPage() is wizard.booth
    assert "without spaces" in wizard.booth.message.text()
    _type(qtbot, wizard.booth.booth_id, BOOTH)
    _commit_from_input_method(wizard.booth.mine_name, "王庄煤矿")
    qtbot.keyClick(wizard.booth.checkpoint, Qt.Key.Key_Down)
    qtbot.keyClick(wizard.booth.checkpoint, Qt.Key.Key_Down)
    assert wizard.booth.checkpoint.currentText() == "Canteen"
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.hub

    # Hub: a refused code is said in words and keeps the page; the right one enrols.
    qtbot.keyClick(wizard.hub.use_hub, Qt.Key.Key_Space)
    assert wizard.hub.use_hub.isChecked() and wizard.hub.hub_url.isEnabled()
    _type(qtbot, wizard.hub.hub_url, hub_url)
    _type(qtbot, wizard.hub.code, "not-the-code")
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: "refused this code" in wizard.hub.message.text(), timeout=WAIT_MS)
    assert wizard.currentPage() is wizard.hub
    assert BOOTH in wizard.hub.message.text()
    _type(qtbot, wizard.hub.code, hub.create_enrolment_code(BOOTH))
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.camera, timeout=WAIT_MS)

    # Camera: the video file was "detected" with its size; its test shows a picture.
    camera = wizard.camera
    qtbot.waitUntil(lambda: "1 camera(s) found" in camera.message.text(), timeout=WAIT_MS)
    qtbot.keyClick(camera.device.choices, Qt.Key.Key_Down)
    assert camera.source() == DEMO_VIDEO
    assert "(640×480)" in camera.device.choices.currentText()
    qtbot.mouseClick(camera.device.test, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Picture received" in camera.result.text(), timeout=WAIT_MS)
    assert "640 × 480" in camera.result.text()
    assert not camera.preview.pixmap().isNull()
    _next(qtbot, wizard)

    # Thermometer: the pty, listed as a USB adapter, read live.
    thermometer = wizard.thermometer
    qtbot.waitUntil(lambda: "1 serial port(s)" in thermometer.message.text(), timeout=WAIT_MS)
    for _ in range(2):  # past "none" and "simulated"
        qtbot.keyClick(thermometer.device.choices, Qt.Key.Key_Down)
    assert thermometer.device.value() == "usb:1a86:7523:T1"
    qtbot.mouseClick(thermometer.device.test, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Reading" in thermometer.result.text(), timeout=WAIT_MS)
    assert thermometer.result.text() == "Reading: 36.4 °C"
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.id_reader  # tests/ui/setup/test_setup_id_reader.py
    qtbot.waitUntil(lambda: "found" in wizard.id_reader.message.text(), timeout=WAIT_MS)
    _next(qtbot, wizard)

    # PIN: the rules of pins.py, then typed twice.
    pin = wizard.pin
    _type(qtbot, pin.pin, "1234")
    _type(qtbot, pin.repeat, "1234")
    _next(qtbot, wizard)
    assert "at least 6 digits" in pin.message.text()
    _type(qtbot, pin.pin, PIN)
    _type(qtbot, pin.repeat, "246803")
    _next(qtbot, wizard)
    assert "differ" in pin.message.text()
    _type(qtbot, pin.repeat, PIN)
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.summary

    summary = wizard.summary.text.text()
    assert f"Booth: {BOOTH}" in summary and f"Hub: {hub_url}" in summary
    assert "Supervisor PIN: new" in summary
    with qtbot.waitSignal(wizard.accepted, timeout=WAIT_MS):
        _finish(qtbot, wizard)

    written = config.load(paths[0], environ={})
    assert written.booth == config.BoothSettings(BOOTH, "canteen", "王庄煤矿")
    assert written.camera.source == DEMO_VIDEO
    assert (written.thermometer.port, written.thermometer.protocol) == (
        "usb:1a86:7523:T1",
        "ascii",
    )
    assert wizard.saved == written
    with Ledger.open(paths[1]) as ledger:
        assert pin_store_for(ledger, hasher=FAST_ARGON2).verify(PIN).check is PinCheck.ACCEPTED
        enrolled = load_settings(ledger)
    assert enrolled is not None and (enrolled.hub_url, enrolled.booth_id) == (hub_url, BOOTH)
    assert [booth["booth_id"] for booth in hub.booths()] == [BOOTH]


def test_cancelling_writes_nothing(qtbot: QtBot, paths: tuple[Path, Path]) -> None:
    wizard = _wizard(qtbot, paths, DeviceProbe(camera_candidates=[], port_lister=list))
    _type(qtbot, wizard.booth.booth_id, BOOTH)
    _next(qtbot, wizard)
    with qtbot.waitSignal(wizard.rejected):
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert not paths[0].exists()
    with sqlite3.connect(paths[1]) as conn:  # the ledger was opened to read the enrolment
        assert conn.execute("SELECT count(*) FROM audit_events").fetchone() == (0,)


def test_the_wizard_offers_exactly_the_registered_thermometer_protocols(
    qtbot: QtBot, paths: tuple[Path, Path]
) -> None:
    wizard = _wizard(qtbot, paths, DeviceProbe(camera_candidates=[], port_lister=list))
    box = wizard.thermometer.protocol
    offered = [(box.itemData(index), box.itemText(index)) for index in range(box.count())]
    chinese = current_language() == "zh"
    assert offered == [
        (name, spoken.label_zh if chinese else spoken.label) for name, spoken in PROTOCOLS.items()
    ]


def test_a_supervisor_changes_settings_from_the_desk(
    qtbot: QtBot, paths: tuple[Path, Path], hub_and_url: tuple[Hub, str], tmp_path: Path
) -> None:
    hub, hub_url = hub_and_url
    config_path, ledger_path = paths
    config_path.write_text(
        f'[booth]\nbooth_id = "{BOOTH}"\nmine_name = "王庄煤矿"\n[camera]\nsource = "1"\n'
        '[ui]\nlanguage = "zh"\n',
        encoding="utf-8",
    )
    with Ledger.open(ledger_path) as ledger:  # the running booth's, shared with the wizard
        pins = pin_store_for(ledger, hasher=FAST_ARGON2)
        pins.set_pin(PIN)
        setup = BoothSetup(config_path, sharing(ledger), hasher=FAST_ARGON2, running=True)
        setup.enrol(hub_url, BOOTH, hub.create_enrolment_code(BOOTH))
        services = DeskServices(
            queries=PassageQueries(ledger.path),
            audit=ledger,
            pins=pins,
            booth_id=BOOTH,
            mine_name="王庄煤矿",
            zone=CST,
            output_folder=tmp_path / "out",
            setup=setup,
        )
        desk = SupervisorWindow(services)
        qtbot.addWidget(desk)
        desk.show()
        qtbot.mouseClick(desk.findChild(QPushButton, "boothSettings"), Qt.MouseButton.LeftButton)
        wizard = desk.settings_wizard
        assert wizard is not None and wizard.isVisible()
        assert wizard.booth.booth_id.text() == BOOTH  # pre-filled from the file
        _type(qtbot, wizard.booth.mine_name, "Wangzhuang")
        _next(qtbot, wizard)

        hub_page = wizard.hub  # enrolled already: kept without a new code
        qtbot.waitUntil(lambda: "is enrolled with" in hub_page.status.text(), timeout=WAIT_MS)
        assert hub_page.hub_url.text() == hub_url and not hub_page.no_hub.isEnabled()
        _next(qtbot, wizard)
        assert wizard.currentPage() is wizard.camera

        camera = wizard.camera  # a camera that cannot open is said in words
        assert camera.source() == "1"
        qtbot.keyClick(camera.device.choices, Qt.Key.Key_End)  # "other"
        _type(qtbot, camera.device.other, str(tmp_path / "gone.mp4"))
        qtbot.mouseClick(camera.device.test, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "cannot be opened" in camera.result.text(), timeout=WAIT_MS)
        qtbot.keyClick(camera.device.choices, Qt.Key.Key_Home)  # automatic
        _next(qtbot, wizard)
        _next(qtbot, wizard)
        _next(qtbot, wizard)  # no ID card reader

        pin_page = wizard.pin  # a PIN is set: empty fields keep it
        qtbot.waitUntil(lambda: "Leave both fields empty" in pin_page.status.text())
        _next(qtbot, wizard)
        assert "Supervisor PIN: unchanged" in wizard.summary.text.text()
        assert "next start" in wizard.summary.message.text()
        with qtbot.waitSignal(wizard.accepted, timeout=WAIT_MS):
            _finish(qtbot, wizard)
        desk.close()

        assert pins.verify(PIN).check is PinCheck.ACCEPTED
        ledger.save_settings({"still": "open"}).result()  # the booth's writer was not closed
    written = config.load(config_path, environ={})
    assert (written.booth.booth_id, written.booth.mine_name) == (BOOTH, "Wangzhuang")
    assert (written.camera.source, written.ui.language) == ("auto", "zh")
    with sqlite3.connect(ledger_path) as conn:
        (details,) = conn.execute(
            "SELECT details FROM audit_events WHERE kind = 'policy_change'"
        ).fetchone()
    assert json.loads(details)["settings"] == {
        "booth.mine_name": {"from": "王庄煤矿", "to": "Wangzhuang"},
        "camera.source": {"from": "1", "to": "auto"},
        # shown as "No thermometer", so saved as that, not as "auto" (simulated in demo mode)
        "thermometer.port": {"from": "auto", "to": "none"},
    }


def test_no_thermometer_is_saved_as_chosen_and_the_booth_has_none(
    qtbot: QtBot, paths: tuple[Path, Path]
) -> None:
    """The guard's "No thermometer" once became port = "auto", in demo mode the simulated one:
    the booth then said "Thermometer connected"."""
    wizard = _wizard(qtbot, paths, DeviceProbe(camera_candidates=[], port_lister=list))
    _type(qtbot, wizard.booth.booth_id, BOOTH)
    _next(qtbot, wizard)
    _next(qtbot, wizard)  # no hub yet
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.camera, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "0 camera(s)" in wizard.camera.message.text(), timeout=WAIT_MS)
    assert_room_for_a_typed_name(wizard.camera.device.other)  # it was squeezed to "V…"
    _next(qtbot, wizard)
    thermometer = wizard.thermometer
    qtbot.waitUntil(lambda: "0 serial port(s)" in thermometer.message.text(), timeout=WAIT_MS)
    assert_room_for_a_typed_name(thermometer.device.other)
    assert thermometer.device.choices.currentText().startswith("No thermometer")
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.id_reader, timeout=WAIT_MS)
    _next(qtbot, wizard)  # no ID card reader either
    _type(qtbot, wizard.pin.pin, PIN)
    _type(qtbot, wizard.pin.repeat, PIN)
    _next(qtbot, wizard)
    assert "No thermometer" in wizard.summary.text.text()
    with qtbot.waitSignal(wizard.accepted, timeout=WAIT_MS):
        _finish(qtbot, wizard)
    written = config.load(paths[0], environ={})
    assert written.thermometer.port == "none"

    states: list[str] = []
    runtime = BoothRuntime.from_config(
        written,
        RuntimeOptions(demo=True, database=paths[1].with_name("demo.sqlite3")),
        BoothCallbacks(
            on_frame=_ignore,
            on_camera_state=_ignore,
            on_thermometer_state=states.append,
            on_temperature=_ignore,
            on_result=_ignore,
            on_repeat=_ignore,
        ),
    )
    try:
        assert not runtime.has_thermometer
        runtime.start()
        assert states == ["none"]
    finally:
        runtime.stop()


def _ignore(*_args: object) -> None:
    pass


def assert_room_for_a_typed_name(field: QLineEdit) -> None:
    hint = field.fontMetrics().horizontalAdvance(field.placeholderText())
    assert field.isVisible() and field.width() >= hint, (field.width(), hint)
