"""The PIN prompt, typed into like a supervisor would; the lockout checked in the ledger."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from gatehouse.store import Ledger
from gatehouse.store.pins import MAX_FAILED_ATTEMPTS
from gatehouse.ui.supervisor.pin_dialog import PinDialog
from gatehouse.ui.supervisor.services import DeskServices

PIN = "135790"


def _type_and_confirm(qtbot: QtBot, dialog: PinDialog, pin: str) -> None:
    dialog.pin.clear()
    qtbot.keyClicks(dialog.pin, pin)
    qtbot.waitUntil(dialog.confirm.isEnabled)
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.confirm.isEnabled() and dialog.message.text() != "Checking…")


def _logins(ledger: Ledger) -> list[str]:
    with sqlite3.connect(ledger.path) as conn:
        rows = conn.execute(
            "SELECT json_extract(details, '$.result') FROM audit_events WHERE kind = 'login'"
            " ORDER BY rowid"
        ).fetchall()
    return [row[0] for row in rows]


def test_the_first_pin_is_set_by_typing_it_twice(
    qtbot: QtBot, services: DeskServices, ledger: Ledger
) -> None:
    dialog = PinDialog(services)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.repeat.isVisibleTo(dialog))  # no PIN yet: asked twice
    assert dialog.confirm.text() == "Set PIN"
    qtbot.keyClicks(dialog.pin, PIN)
    qtbot.keyClicks(dialog.repeat, "000000")
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    assert "differ" in dialog.message.text()
    assert not services.pins.is_set()

    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, PIN)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    assert services.pins.is_set()
    assert _logins(ledger) == ["pin_set"]


def test_wrong_pins_count_down_lock_and_are_audited(
    qtbot: QtBot, services: DeskServices, ledger: Ledger
) -> None:
    services.pins.set_pin(PIN)
    dialog = PinDialog(services)
    qtbot.addWidget(dialog)
    for left in range(MAX_FAILED_ATTEMPTS - 1, 0, -1):
        _type_and_confirm(qtbot, dialog, "111111")
        assert f"{left} attempt" in dialog.message.text()
    _type_and_confirm(qtbot, dialog, "111111")
    assert "locked until" in dialog.message.text()
    _type_and_confirm(qtbot, dialog, PIN)  # the right PIN, but too late
    assert "locked until" in dialog.message.text()
    assert dialog.result() != QDialog.DialogCode.Accepted
    with sqlite3.connect(ledger.path) as conn:
        failed, locked_until = conn.execute(
            "SELECT failed_attempts, locked_until FROM supervisor_pin"
        ).fetchone()
    assert failed == MAX_FAILED_ATTEMPTS and locked_until is not None
    assert _logins(ledger) == ["wrong"] * (MAX_FAILED_ATTEMPTS - 1) + ["locked", "locked"]


def test_the_right_pin_opens(qtbot: QtBot, services: DeskServices, ledger: Ledger) -> None:
    services.pins.set_pin(PIN)
    dialog = PinDialog(services)
    qtbot.addWidget(dialog)
    # typed and entered at once: kept until the dialog knows a PIN exists, then checked
    qtbot.keyClicks(dialog.pin, PIN)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert not dialog.repeat.isVisibleTo(dialog)
    assert _logins(ledger) == ["accepted"]
