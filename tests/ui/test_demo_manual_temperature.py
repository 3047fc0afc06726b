"""F6 in demo mode: the real demo booth (video, simulated thermometer streaming), the guard
types 38.2 by hand, and the next person is decided on it, logged "manual"; the thermometer's
readings decide the people after."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gatehouse.booth.service import ScanResult
from gatehouse.store.ledger import Ledger
from gatehouse.ui.guard.flows import GuardFlows
from tests.ui.booth_window import MakeBoothWindow


def test_f6_in_demo_mode_decides_the_next_person_and_logs_manual(
    qtbot: QtBot, make_booth_window: MakeBoothWindow
) -> None:
    booth = make_booth_window({"ui": {"language": "en", "sounds": "off"}}, demo_speed=2.0)
    window, runtime, bridge = booth.window, booth.runtime, booth.bridge
    flows = window.findChild(GuardFlows, "guardFlows")
    assert flows is not None
    shown: list[ScanResult] = []
    bridge.verdict.connect(lambda result, _error: shown.append(result))
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    runtime.start()
    try:
        qtbot.waitUntil(lambda: len(shown) >= 1, timeout=60_000)  # the demo is running
        qtbot.keyClick(window, Qt.Key.Key_F6)
        dialog = flows.temperature_dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.isVisible)
        qtbot.keyClicks(dialog.value, "38.2")
        qtbot.keyClick(dialog.value, Qt.Key.Key_Return)
        typed_at = len(shown)
        qtbot.waitUntil(lambda: len(shown) >= typed_at + 2, timeout=60_000)
    finally:
        booth.stop()
    manual = [r.passage for r in shown[typed_at:] if r.passage.temperature_source == "manual"]
    readings = [(r.passage.temperature_c, r.passage.temperature_source) for r in shown]
    assert len(manual) == 1, readings
    assert manual[0].temperature_c == 38.2
    after = shown[shown.index(next(r for r in shown if r.passage is manual[0])) + 1 :]
    assert after and all(r.passage.temperature_source == "simulated" for r in after)
    with Ledger.open(booth.database) as ledger:
        stored = ledger.get(manual[0].passage_id)
    assert stored is not None and stored.temperature_source == "manual"
