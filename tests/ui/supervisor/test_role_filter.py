"""The desk's role filter: every role in the reader's language, vehicles included."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gatehouse.core.rules.vehicles import VEHICLE_KIND
from gatehouse.store import Ledger
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.window import SupervisorWindow
from tests.factories import make_passage
from tests.ui.supervisor.conftest import DESK_NOW as NOW


def test_vehicles_can_be_searched_apart_from_people(
    qtbot: QtBot, services: DeskServices, ledger: Ledger
) -> None:
    ledger.record(make_passage(decided_at=NOW, holder_name="王师傅", role="driver")).result()
    truck = make_passage(
        decided_at=NOW, holder_name="蒙KA1234", role=VEHICLE_KIND, code_kind=VEHICLE_KIND
    )
    ledger.record(truck).result()
    window = SupervisorWindow(services)
    qtbot.addWidget(window)
    panel = window.search
    panel.role.setCurrentIndex(panel.role.findData(VEHICLE_KIND))
    assert panel.role.currentText() == "vehicle"
    qtbot.mouseClick(panel.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.results.rowCount() == 1)
    panel.results.selectRow(0)
    assert "蒙KA1234" in panel.detail.toPlainText()
    window.close()


@pytest.mark.usefixtures("chinese")
def test_roles_are_shown_in_chinese(qtbot: QtBot, services: DeskServices) -> None:
    window = SupervisorWindow(services)
    qtbot.addWidget(window)
    role = window.search.role
    assert [role.itemText(i) for i in range(1, role.count())] == [
        "职工",
        "访客",
        "外委人员",
        "司机",
        "车辆",
    ]
    window.close()
