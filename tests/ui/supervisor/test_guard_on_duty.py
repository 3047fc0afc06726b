"""Who is on duty: F11 at the booth signs a guard on, passages record it, the desk filters by it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from gatehouse.store import Ledger
from gatehouse.ui.guard.duty_flow import SignOnDialog
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.window import SupervisorWindow
from tests.factories import make_passage
from tests.ui.booth_window import MakeBoothWindow
from tests.ui.supervisor.conftest import DESK_NOW


def test_f11_signs_a_guard_on_and_the_next_passage_records_it(
    qtbot: QtBot, make_booth_window: MakeBoothWindow
) -> None:
    booth = make_booth_window()
    window, runtime = booth.window, booth.runtime
    try:
        label = window.findChild(QLabel, "guardOnDuty")
        assert label is not None and label.text() == "No guard signed on: press F11"
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach the active window only
        qtbot.keyClick(window, Qt.Key.Key_F11)
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), SignOnDialog))
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SignOnDialog)
        qtbot.keyClicks(dialog.name, "Guard 07")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: label.text() == "Guard on duty: Guard 07 (F11 to change)")
        result = runtime.service.handle_scan("not a pass at all")
        assert result.passage.guard_id == "Guard 07"
    finally:
        booth.stop()


def test_the_desk_filters_by_the_guard_on_duty(
    qtbot: QtBot, services: DeskServices, ledger: Ledger
) -> None:
    now = DESK_NOW
    for name, guard in (("张三", "Guard 07"), ("李四", "Guard 12"), ("王五", "Guard 07")):
        ledger.record(make_passage(decided_at=now, holder_name=name, guard_id=guard)).result()
    window = SupervisorWindow(services)
    qtbot.addWidget(window)
    panel = window.search
    qtbot.waitUntil(lambda: panel.guard.count() == 3)  # "All guards" and the two seen
    panel.guard.setFocus()
    qtbot.keyClick(panel.guard, Qt.Key.Key_Down)  # "Guard 07"
    assert panel.guard.currentData() == "Guard 07"
    panel.person.setFocus()
    qtbot.keyClick(panel.person, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.count_label.text() == "2 passage(s) match.")
    guards = {panel.results.item(row, 7).text() for row in range(panel.results.rowCount())}
    assert guards == {"Guard 07"}
    window.close()
