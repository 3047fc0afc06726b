"""Vehicle mode on the real booth window in demo mode: F10, the plate, the origin by pinyin and
the purpose typed like a guard would; the demo passes scanned through the runtime's scan path;
checked on the screen and in the ledger (the vehicle's passage and its people's, linked)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from drivers.camera import OpenCVSource
from drivers.qr import make_decoder
from drivers.thermometer.reading import RawReading
from gatehouse import config
from gatehouse.booth.runtime import RuntimeOptions
from gatehouse.booth.service import ScanResult
from gatehouse.booth.vehicle import VEHICLE_ID
from gatehouse.core.models import Outcome
from gatehouse.core.passage import Passage
from gatehouse.core.rules.vehicles import VEHICLE_KIND
from gatehouse.demo import DemoManifest
from gatehouse.ui.app import build_window
from gatehouse.ui.guard.flows import GuardFlows
from gatehouse.ui.guard.vehicle_dialog import VehicleDialog

WAIT_MS = 20_000


def type_plate(qtbot: QtBot, dialog: VehicleDialog, plate: str) -> None:
    """The province character as a Chinese input method commits it, the rest as keys."""
    commit = QInputMethodEvent()
    commit.setCommitString(plate[0])
    QApplication.sendEvent(dialog.plate, commit)
    qtbot.keyClicks(dialog.plate, plate[1:])


@functools.cache
def demo_passes() -> dict[str, str]:
    """The demo video's passes by pass id (manifest order), read off its frames as the camera
    would; a wrong pairing fails the tests, which check the pass id of every verdict."""
    source = OpenCVSource(DemoManifest.load().video)
    decoder = make_decoder("zxing")
    texts: list[str] = []
    try:
        while (frame := source.read()) is not None:
            texts += [text for text in decoder.decode(frame) if text not in texts]
    finally:
        source.close()
    return {
        demo.pass_id: text for demo, text in zip(DemoManifest.load().passes, texts, strict=True)
    }


class DemoBooth:
    """The booth window built on the demo as ``gatehouse demo`` builds it; devices not started,
    so the test scans and measures."""

    def __init__(self, qtbot: QtBot, database: Path) -> None:
        self.qtbot = qtbot
        cfg = config.from_mapping({"ui": {"language": "en"}}, environ={})
        self.window, self.runtime, bridge = build_window(
            cfg, RuntimeOptions(demo=True, database=database)
        )
        qtbot.addWidget(self.window)
        flows = self.window.findChild(GuardFlows, "guardFlows")
        assert flows is not None
        self.flows = flows
        self.shown: list[ScanResult] = []
        bridge.verdict.connect(lambda result, _error: self.shown.append(result))
        self.window.show()
        self.window.activateWindow()
        qtbot.waitUntil(self.window.isActiveWindow)  # shortcuts reach the active window only

    def scan(self, pass_id: str) -> Passage:
        """The person measures (36.5 °C) and shows the pass; waits for the verdict on screen."""
        before = len(self.shown)
        self.runtime.temperature.update(RawReading(36.5))
        self.runtime.submit_scan(demo_passes()[pass_id])
        self.qtbot.waitUntil(lambda: len(self.shown) > before, timeout=WAIT_MS)
        passage = self.shown[-1].passage
        assert passage.pass_id == pass_id
        return passage

    def press(self, key: Qt.Key) -> None:
        """A key on the booth window, once it is active again (a dialog may just have closed)."""
        self.qtbot.waitUntil(self.window.isActiveWindow)
        self.qtbot.keyClick(self.window, key)

    def text(self, name: str) -> str:
        label = self.window.findChild(QLabel, name)
        assert label is not None, name
        return label.text()

    def visible(self, name: str) -> bool:
        label = self.window.findChild(QLabel, name)
        return label is not None and label.isVisible()

    def open_vehicle_dialog(self) -> VehicleDialog:
        self.press(Qt.Key.Key_F10)
        dialog = self.flows.vehicle.dialog
        assert dialog is not None
        self.qtbot.waitUntil(dialog.isVisible)
        self.qtbot.waitUntil(dialog.isActiveWindow)
        return dialog

    def state_vehicle(
        self, plate: str, origin_typed: str, dialog: VehicleDialog | None = None
    ) -> VehicleDialog:
        """Plate, Tab, origin by pinyin, Enter on the first match; focus is then on the purpose."""
        dialog = dialog or self.open_vehicle_dialog()
        type_plate(self.qtbot, dialog, plate)
        self.qtbot.keyClick(dialog.plate, Qt.Key.Key_Tab)
        assert dialog.origin_search.hasFocus()
        self.qtbot.keyClicks(dialog.origin_search, origin_typed)
        self.qtbot.keyClick(dialog.origin_search, Qt.Key.Key_Return)  # takes the match
        assert dialog.purpose.hasFocus()
        for _ in range(dialog.purpose.count()):  # the arrows, to "supply" (生活必需品拉运)
            if dialog.purpose.currentData() == "supply":
                break
            self.qtbot.keyClick(dialog.purpose, Qt.Key.Key_Down)
        return dialog

    def finish(self) -> Passage:
        """F10 on a vehicle being checked; waits until its verdict is on the band."""
        self.press(Qt.Key.Key_F10)
        job = self.flows.vehicle.jobs[-1]
        assert job.wait(WAIT_MS / 1000)
        self.qtbot.waitUntil(lambda: not self.flows.vehicle.finishing, timeout=WAIT_MS)
        stored = self.runtime.ledger.recent(limit=1)[0]
        assert stored.code_kind == VEHICLE_KIND
        return stored

    def stored(self, passage_id: str) -> Passage:
        found = self.runtime.ledger.get(passage_id)
        assert found is not None, passage_id
        return found

    def close(self) -> None:
        for job in self.flows.vehicle.jobs + self.flows.jobs:
            job.wait()
        self.runtime.stop()


@pytest.fixture
def booth(qtbot: QtBot, tmp_path: Path) -> Iterator[DemoBooth]:
    demo = DemoBooth(qtbot, tmp_path / "ledger.sqlite3")
    yield demo
    demo.close()


def test_a_vehicle_is_stated_its_people_scanned_and_it_is_admitted_and_logged(
    booth: DemoBooth,
) -> None:
    assert "F10 vehicle" in booth.text("guardKeys")
    dialog = booth.open_vehicle_dialog()
    booth.qtbot.keyClicks(dialog.plate, "ABC12")
    booth.qtbot.keyClick(dialog.plate, Qt.Key.Key_Return)  # not a plate: refused, says why
    assert dialog.isVisible() and "Not a number plate" in dialog.message.text()
    dialog.plate.clear()
    booth.state_vehicle("蒙K A1234", "eeds", dialog)
    assert "鄂尔多斯市" in dialog.origin_chosen.text()
    assert dialog.purpose.currentData() == "supply"
    booth.qtbot.keyClick(dialog.purpose, Qt.Key.Key_Return)
    booth.qtbot.waitUntil(lambda: not dialog.isVisible())

    assert "VEHICLE 蒙KA1234" in booth.text("vehicleTitle")
    assert "鄂尔多斯市" in booth.text("vehicleTitle")
    assert "生活必需品拉运" in booth.text("vehicleTitle")
    assert "Scan the DRIVER" in booth.text("vehicleStep")
    driver = booth.scan("DEMO-0001")
    assert "1 scanned so far" in booth.text("vehicleStep")
    assert "Driver: 王伟 — ✔ ADMIT" in booth.text("vehiclePeople")
    assert "ADMIT" in booth.text("verdictHeadline")  # each person's own verdict, as always
    passenger = booth.scan("DEMO-0005")
    assert "Passenger 1: 陈静 — ✔ ADMIT" in booth.text("vehiclePeople")

    vehicle = booth.finish()
    assert "ADMIT" in booth.text("verdictHeadline")
    assert "蒙KA1234" in booth.text("verdictIdentity")
    assert "vehicle" in booth.text("verdictIdentity")
    assert "Vehicle from 内蒙古自治区鄂尔多斯市" in booth.text("verdictReasons")
    assert "VEHICLE 蒙KA1234: ✔ ADMIT" in booth.text("vehicleTitle")
    assert booth.flows.sounds.played[-1] is Outcome.ADMIT

    assert vehicle.outcome is Outcome.ADMIT
    assert (vehicle.holder_name, vehicle.role, vehicle.clock_source) == (
        "蒙KA1234",
        VEHICLE_KIND,
        "demo",
    )
    assert vehicle.evidence["driver"] == driver.passage_id
    assert vehicle.evidence["passengers"] == [passenger.passage_id]
    assert vehicle.evidence["purpose"] == "supply"
    for person in (driver, passenger):
        assert booth.stored(person.passage_id).evidence[VEHICLE_ID] == vehicle.passage_id

    booth.press(Qt.Key.Key_Escape)  # the summary goes; the next person is no vehicle's
    assert not booth.flows.vehicle.panel.isVisible()
    walker = booth.scan("DEMO-0002")
    assert VEHICLE_ID not in booth.stored(walker.passage_id).evidence


def test_a_passenger_turned_away_holds_the_vehicle_back(booth: DemoBooth) -> None:
    dialog = booth.state_vehicle("晋K12345", "eeds")
    booth.qtbot.keyClick(dialog.purpose, Qt.Key.Key_Return)
    booth.qtbot.waitUntil(lambda: not dialog.isVisible())
    booth.scan("DEMO-0001")
    turned = booth.scan("DEMO-0002")  # yellow health code
    assert "TURN AWAY" in booth.text("verdictHeadline")
    assert "Passenger 1: 李娜 — ✖ TURN AWAY" in booth.text("vehiclePeople")

    vehicle = booth.finish()
    assert vehicle.outcome is Outcome.TURN_AWAY
    assert "TURN AWAY" in booth.text("verdictHeadline")
    assert "Passenger 1 not admitted" in booth.text("verdictReasons")
    assert "Held back by: Passenger 1 李娜" in booth.text("vehicleStep")
    assert vehicle.evidence["passengers"] == [turned.passage_id]
    assert booth.flows.sounds.played[-1] is Outcome.TURN_AWAY
    on_screen = booth.flows.on_screen  # what F9 overrides: the vehicle, not its last person
    assert on_screen is not None and on_screen.passage_id == vehicle.passage_id
    assert booth.flows.current is None


def test_esc_twice_cancels_a_vehicle_and_logs_no_vehicle(booth: DemoBooth) -> None:
    dialog = booth.state_vehicle("晋K12345", "xa")  # 西安市: a medium-risk area in the demo
    booth.qtbot.keyClick(dialog.purpose, Qt.Key.Key_Return)
    booth.qtbot.waitUntil(lambda: not dialog.isVisible())
    session = booth.flows.vehicle.desk.active
    assert session is not None and session.vehicle.origin_region == "610100"
    driver = booth.scan("DEMO-0005")

    booth.press(Qt.Key.Key_Escape)  # one Esc only dismisses, and says how to cancel
    assert booth.flows.vehicle.desk.active is session
    assert "Esc AGAIN" in booth.text("vehicleKeys")
    booth.press(Qt.Key.Key_Escape)
    assert booth.flows.vehicle.desk.active is None
    assert not booth.flows.vehicle.panel.isVisible()
    assert "cancelled" in booth.text("guardNotice")

    assert booth.runtime.ledger.get(session.vehicle_id) is None
    assert booth.stored(driver.passage_id).evidence[VEHICLE_ID] == session.vehicle_id
    assert all(p.code_kind != VEHICLE_KIND for p in booth.runtime.ledger.recent(limit=20))


def test_without_a_chinese_input_method_the_province_is_picked_by_its_pinyin(
    booth: DemoBooth,
) -> None:
    dialog = booth.open_vehicle_dialog()
    assert dialog.plate.hasFocus()
    booth.qtbot.keyClick(dialog.plate, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.province.hasFocus()
    booth.qtbot.keyClicks(dialog.province, "meng")  # type-ahead over the pinyin
    assert dialog.province.currentData() == "蒙"
    booth.qtbot.keyClick(dialog.province, Qt.Key.Key_Tab)
    assert dialog.plate.hasFocus()
    booth.qtbot.keyClicks(dialog.plate, "k 12345")
    booth.qtbot.keyClick(dialog.plate, Qt.Key.Key_Tab)
    booth.qtbot.keyClicks(dialog.origin_search, "eeds")
    booth.qtbot.keyClick(dialog.origin_search, Qt.Key.Key_Return)
    booth.qtbot.keyClick(dialog.purpose, Qt.Key.Key_Return)
    booth.qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.plate_text == "蒙K12345"
    assert "VEHICLE 蒙K12345" in booth.text("vehicleTitle")
