"""The real booth window starts with a malformed trust file, and a pass scanned with a hand
scanner (real key presses) is referred with the reason in plain words, not turned away."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from gatehouse import config
from gatehouse.booth.runtime import RuntimeOptions
from gatehouse.booth.service import ScanResult
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.models import Outcome
from gatehouse.ui.app import build_window
from tests.core.factories import CLAIMS, ISSUER

WAIT_MS = 20_000


def test_a_broken_trust_file_starts_the_window_and_the_pass_is_referred(
    qtbot: QtBot, tmp_path: Path
) -> None:
    keys = tmp_path / "booth" / "trusted_keys.json"
    keys.parent.mkdir()
    keys.write_text('{"version": 1, "keys": [', "utf-8")  # a copy cut short
    cfg = config.from_mapping(
        {"ui": {"language": "en"}, "trust": {"keys_file": str(keys)}}, environ={}
    )
    window, runtime, bridge = build_window(
        cfg, RuntimeOptions(demo=False, database=tmp_path / "ledger.sqlite3")
    )
    qtbot.addWidget(window)
    shown: list[ScanResult] = []
    bridge.verdict.connect(lambda result, _error: shown.append(result))
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    try:
        qtbot.keyClicks(window, encode_pass(CLAIMS, generate_issuer_key(), ISSUER))
        qtbot.keyClick(window, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
        assert shown[0].passage.outcome is Outcome.REFER
        headline = window.findChild(QLabel, "verdictHeadline")
        reasons = window.findChild(QLabel, "verdictReasons")
        assert headline is not None and reasons is not None
        assert "REFER" in headline.text()
        assert "trust files were refused" in reasons.text()
    finally:
        runtime.stop()
