"""The Chinese desk, and F12 from the booth window (list imports: test_list_imports.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from gatehouse.ui.supervisor.pin_dialog import PinDialog
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.window import SupervisorWindow
from gatehouse.ui.translations import install_translators
from tests.ui.booth_window import MakeBoothWindow

ROOT = Path(__file__).resolve().parents[3]


def test_the_desk_speaks_chinese_when_the_language_is_zh(
    qtbot: QtBot, services: DeskServices
) -> None:
    app = QApplication.instance()
    assert app is not None
    install_translators(app, "zh")
    try:
        window = SupervisorWindow(services)
        qtbot.addWidget(window)
        assert [window.tabs.tabText(i) for i in range(3)] == ["通行记录", "日报告", "名单管理"]
        assert window.search.search_button.text() == "查询"
        window.close()
    finally:
        install_translators(app, "en")
    english = SupervisorWindow(services)
    qtbot.addWidget(english)
    assert english.tabs.tabText(0) == "Passages"
    english.close()


def test_translations_cover_every_string_and_are_compiled() -> None:
    checked = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "translations.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_f12_on_the_booth_window_asks_for_the_supervisor_pin(
    qtbot: QtBot, make_booth_window: MakeBoothWindow
) -> None:
    booth = make_booth_window()
    window = booth.window
    asked: list[object] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # not open yet: look again shortly
            QTimer.singleShot(50, answer)
            return
        asked.append(dialog)
        if isinstance(dialog, QDialog):  # anything else fails the PinDialog check below
            dialog.reject()

    try:
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach the active window only
        QTimer.singleShot(200, answer)
        qtbot.keyClick(window, Qt.Key.Key_F12)
        qtbot.waitUntil(lambda: bool(asked))
    finally:
        booth.stop()
    assert isinstance(asked[0], PinDialog)
