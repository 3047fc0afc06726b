"""The Lists tab with the real list store: what is in force, previews, confirmations, restore."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from gatehouse.core.rules.persons import check_character
from gatehouse.reports.list_rows import ListKind
from gatehouse.store import Ledger
from gatehouse.store.bundles import StoredBundle, store_bundle
from gatehouse.store.list_changes import ListMode
from gatehouse.store.lists import Importer, ListStore
from gatehouse.ui.supervisor.lists_panel import ListImportPanel
from gatehouse.ui.supervisor.services import DeskServices

SECRET = bytes(range(16))


def _id(serial: int) -> str:
    body = f"11010519491231{serial:03d}"
    return body + check_character(body)


def _cell(table: QTableWidget, row: int, column: int) -> str:
    """The cell's text; an empty cell reads as "" so a wait retries and an assert names it."""
    item = table.item(row, column)
    return "" if item is None else item.text()


def _csv(path: Path, serials: range) -> Path:
    lines = ["身份证号,姓名", *(f"{_id(n)},人{n}" for n in serials)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def store(ledger: Ledger) -> ListStore:
    return ListStore(ledger, SECRET)


@pytest.fixture
def panel(qtbot: QtBot, services: DeskServices, store: ListStore) -> Iterator[ListImportPanel]:
    shown = ListImportPanel(replace(services, lists=store))
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitUntil(lambda: shown.in_force.rowCount() == 3)
    yield shown
    for job in shown.jobs:
        job.wait()


def _choose(qtbot: QtBot, combo: QWidget, steps: int) -> None:
    """Pick an item the way a keyboard user does: focus the box and press Down."""
    combo.setFocus()
    for _ in range(steps):
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def _check(qtbot: QtBot, panel: ListImportPanel, path: Path, mode_steps: int) -> None:
    _choose(qtbot, panel.mode, mode_steps)
    panel.file.clear()
    qtbot.keyClicks(panel.file, str(path))
    if not panel.by.text():
        qtbot.keyClicks(panel.by, "Wang Li")
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.status.text() != "Checking…")


def _answer(qtbot: QtBot, panel: ListImportPanel, key: Qt.Key, alt: bool = False) -> str:
    qtbot.waitUntil(lambda: panel.confirm_box is not None)
    box = panel.confirm_box
    assert isinstance(box, QMessageBox)
    text = box.text()
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)  # mnemonics reach the active window only
    modifier = Qt.KeyboardModifier.AltModifier if alt else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(box, key, modifier)
    qtbot.waitUntil(lambda: panel.confirm_box is None)
    return text


def _import_15(store: ListStore) -> None:
    people = [{"id_number": _id(n), "name": f"人{n}"} for n in range(15)]
    change = store.preview("isolation", people, ListMode.REPLACE)
    store.apply(
        change, people, Importer("李科长", "north-gate", "supervisor"), file="a.xlsx"
    ).result()


def test_adding_three_people_says_so_and_keeps_the_other_fifteen(
    qtbot: QtBot, panel: ListImportPanel, store: ListStore, ledger: Ledger, tmp_path: Path
) -> None:
    _import_15(store)
    panel.refresh()
    qtbot.waitUntil(lambda: _cell(panel.in_force, 0, 2) == "15")
    assert _cell(panel.in_force, 0, 4) == "李科长"
    _check(qtbot, panel, _csv(tmp_path / "three.csv", range(15, 18)), mode_steps=1)
    assert "Added 3 · removed 0 · changed 0 · unchanged 15" in panel.status.text()
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    question = _answer(qtbot, panel, Qt.Key.Key_Return)  # no one leaves: Enter confirms
    assert "Add the people in three.csv to the home isolation list?" in question
    qtbot.waitUntil(lambda: "Version 2" in panel.status.text())
    assert "18 people" in panel.status.text()
    assert store.counts()["isolation"] == 18
    with sqlite3.connect(ledger.path) as conn:
        details = [
            json.loads(d)
            for (d,) in conn.execute("SELECT details FROM audit_events WHERE kind = 'list_import'")
        ]
    assert details[-1]["mode"] == "add" and details[-1]["imported_by"] == "Wang Li"
    assert details[-1]["file"] == "three.csv"
    qtbot.waitUntil(lambda: _cell(panel.in_force, 0, 2) == "18")


def test_a_replace_that_removes_people_warns_and_enter_cancels(
    qtbot: QtBot, panel: ListImportPanel, store: ListStore, tmp_path: Path
) -> None:
    _import_15(store)
    _check(qtbot, panel, _csv(tmp_path / "twelve.csv", range(12)), mode_steps=0)
    assert panel.preview.rowCount() == 3
    assert _cell(panel.preview, 0, 0) == "removed"
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    question = _answer(qtbot, panel, Qt.Key.Key_Return)  # people leave: Enter is Cancel
    assert "Replace the home isolation list with the people in twelve.csv?" in question
    assert "3 people leave the list" in question
    assert panel.status.text() == "Cancelled: nothing was changed."
    assert store.counts()["isolation"] == 15
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    _answer(qtbot, panel, Qt.Key.Key_R, alt=True)  # "&Replace the list"
    qtbot.waitUntil(lambda: "Version 2" in panel.status.text())
    assert store.counts()["isolation"] == 12


def test_a_kept_version_is_restored_after_a_confirmation(
    qtbot: QtBot, panel: ListImportPanel, store: ListStore, tmp_path: Path
) -> None:
    _import_15(store)
    _check(qtbot, panel, _csv(tmp_path / "two.csv", range(2)), mode_steps=2)  # remove two
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    _answer(qtbot, panel, Qt.Key.Key_M, alt=True)  # "Re&move from the list"
    qtbot.waitUntil(lambda: panel.history.rowCount() == 2)
    assert store.counts()["isolation"] == 13
    assert _cell(panel.history, 1, 0) == "1"  # the version before is chosen for restore
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    question = _answer(qtbot, panel, Qt.Key.Key_Return)
    assert "Make version 1 the home isolation list again?" in question
    qtbot.waitUntil(lambda: "Version 3" in panel.status.text())
    assert store.counts()["isolation"] == 15
    qtbot.waitUntil(lambda: panel.history.rowCount() == 3)
    assert _cell(panel.history, 0, 1) == "Restored a version 1"


def test_a_file_with_bad_rows_shows_them_and_cannot_be_imported(
    qtbot: QtBot, panel: ListImportPanel, store: ListStore, tmp_path: Path
) -> None:
    _choose(qtbot, panel.kind, 2)
    assert panel.kind.currentData() == ListKind.CONTRACTORS
    path = tmp_path / "contractors.csv"
    path.write_text(f"身份证号,单位,项目\n{_id(1)},华建,检修\n12345,华建,\n", encoding="utf-8")
    _check(qtbot, panel, path, mode_steps=0)
    assert "2 problem(s) found" in panel.status.text()
    assert {_cell(panel.errors, r, 0) for r in range(2)} == {"3"}
    assert not panel.import_button.isEnabled()
    assert store.counts()["contractors"] == 0


def test_without_a_list_store_a_valid_file_is_checked_but_not_importable(
    qtbot: QtBot, services: DeskServices, tmp_path: Path
) -> None:
    panel = ListImportPanel(services)
    qtbot.addWidget(panel)
    _check(qtbot, panel, _csv(tmp_path / "one.csv", range(1)), mode_steps=0)
    assert "1 row(s) are valid, but this booth cannot store lists" in panel.status.text()
    assert not panel.import_button.isEnabled()


def test_the_offices_lists_are_shown_in_force_beside_the_mines(
    qtbot: QtBot, panel: ListImportPanel, ledger: Ledger
) -> None:
    """The hub's ``lists`` bundle as the booth keeps it: the office's isolation list counts."""
    at = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    content = {"format": "gatehouse-lists", "version": "7", "isolation": [{}, {}, {}]}
    bundle = StoredBundle("lists", 7, content, b"signed", "etag-7", at, at)
    ledger._writer.submit(lambda db: store_bundle(db, bundle, "north-gate")).result()
    panel.refresh()
    qtbot.waitUntil(lambda: panel.in_force.rowCount() == 4)
    cells = [_cell(panel.in_force, 3, column) for column in range(4)]
    assert cells == ["Home isolation list (from the office)", "7", "3", "2026-11-26 10:00"]
