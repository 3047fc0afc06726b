"""List import through the desk, the Chinese desk, and F12 from the booth window."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gatehouse import config
from gatehouse.booth.runtime import RuntimeOptions
from gatehouse.core.rules.persons import check_character
from gatehouse.reports.list_import import ListKind
from gatehouse.store import Ledger
from gatehouse.ui.app import build_window
from gatehouse.ui.supervisor.lists_panel import ListImportPanel
from gatehouse.ui.supervisor.pin_dialog import PinDialog
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.window import SupervisorWindow
from gatehouse.ui.translations import install_translators

ROOT = Path(__file__).resolve().parents[3]
GOOD = "11010519491231002" + check_character("11010519491231002")


class RecordingLists:
    """Stands in for the list store (gatehouse/store/lists.py, still being built)."""

    def __init__(self) -> None:
        self.replaced: list[tuple[ListKind, list[Mapping[str, Any]]]] = []

    def replace_list(self, kind: ListKind, entries: Sequence[Mapping[str, Any]]) -> Future[int]:
        self.replaced.append((kind, list(entries)))
        done: Future[int] = Future()
        done.set_result(len(entries))
        return done


def _check(qtbot: QtBot, panel: ListImportPanel, path: Path) -> None:
    panel.file.setText(str(path))
    panel.kind.setCurrentIndex(panel.kind.findData(ListKind.CONTRACTORS))
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.status.text() not in ("", "Checking…"))


def test_a_file_with_bad_rows_shows_them_and_cannot_be_imported(
    qtbot: QtBot, services: DeskServices, tmp_path: Path
) -> None:
    lists = RecordingLists()
    panel = ListImportPanel(replace(services, lists=lists))
    qtbot.addWidget(panel)
    path = tmp_path / "contractors.csv"
    path.write_text(f"身份证号,单位,项目\n{GOOD},华建,检修\n12345,华建,\n", encoding="utf-8")
    _check(qtbot, panel, path)
    assert "2 problem(s) found" in panel.status.text()
    assert panel.errors.rowCount() == 2
    assert {panel.errors.item(r, 0).text() for r in range(2)} == {"3"}
    assert not panel.import_button.isEnabled()
    assert lists.replaced == []


def test_a_clean_file_is_imported_whole_and_audited(
    qtbot: QtBot, services: DeskServices, ledger: Ledger, tmp_path: Path
) -> None:
    lists = RecordingLists()
    panel = ListImportPanel(replace(services, lists=lists))
    qtbot.addWidget(panel)
    path = tmp_path / "contractors.csv"
    path.write_text(f"身份证号,单位,项目\n{GOOD},华建,检修\n", encoding="utf-8")
    _check(qtbot, panel, path)
    assert panel.import_button.isEnabled()
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.status.text() == "1 row(s) imported.")
    assert lists.replaced == [
        (ListKind.CONTRACTORS, [{"id_number": GOOD, "company": "华建", "project": "检修"}])
    ]
    with sqlite3.connect(ledger.path) as conn:
        (details,) = conn.execute(
            "SELECT details FROM audit_events WHERE kind = 'list_import'"
        ).fetchone()
    assert '"rows": 1' in details and "contractors.csv" in details


def test_without_a_list_store_a_valid_file_is_checked_but_not_importable(
    qtbot: QtBot, services: DeskServices, tmp_path: Path
) -> None:
    panel = ListImportPanel(services)
    qtbot.addWidget(panel)
    path = tmp_path / "contractors.csv"
    path.write_text(f"身份证号,单位,项目\n{GOOD},华建,检修\n", encoding="utf-8")
    _check(qtbot, panel, path)
    assert "cannot store lists yet" in panel.status.text()
    assert not panel.import_button.isEnabled()


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


def test_f12_on_the_booth_window_asks_for_the_supervisor_pin(qtbot: QtBot, tmp_path: Path) -> None:
    cfg = config.from_mapping({"ui": {"language": "en"}}, environ={})
    window, runtime, _bridge = build_window(
        cfg, RuntimeOptions(demo=True, database=tmp_path / "booth.sqlite3")
    )
    qtbot.addWidget(window)
    asked: list[object] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # not open yet: look again shortly
            QTimer.singleShot(50, answer)
            return
        asked.append(dialog)
        dialog.reject()

    try:
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach the active window only
        QTimer.singleShot(200, answer)
        qtbot.keyClick(window, Qt.Key.Key_F12)
        qtbot.waitUntil(lambda: bool(asked))
    finally:
        runtime.stop()
    assert isinstance(asked[0], PinDialog)
