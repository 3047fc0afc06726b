"""Vehicle mode on a 1366x768 booth PC: the window never needs more height than the screen has
(768 px less a 40-px taskbar), however many people ride in the vehicle: their lines scroll."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.test_vehicle_mode import DemoBooth, demo_passes

SCREEN_PX = 768 - 40


def test_vehicle_mode_fits_a_768_px_screen(qtbot: QtBot, tmp_path: Path) -> None:
    booth = DemoBooth(qtbot, tmp_path / "ledger.sqlite3")
    try:
        dialog = booth.state_vehicle("蒙K A1234", "eeds")
        qtbot.keyClick(dialog.purpose, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        for pass_id in list(demo_passes())[:3]:  # the fourth demo pass is the forged one
            booth.scan(pass_id)
        assert booth.text("vehiclePeople").count("\n") == 2  # three people listed
        needed = booth.window.centralWidget().layout().minimumHeightForWidth(1366)
        assert booth.window.minimumSizeHint().height() <= SCREEN_PX
        assert needed <= SCREEN_PX
    finally:
        booth.close()
