"""A new booth without office data refers every admit; its first screen says why and how to
get the data. The real window and runtime, a video as the camera, the simulated thermometer."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from gatehouse.booth.service import ScanResult
from gatehouse.core.models import Outcome
from gatehouse.demo import DemoManifest
from tests.ui.booth_window import MakeBoothWindow


def test_the_first_screen_says_why_admits_are_referred_and_how_to_get_the_data(
    qtbot: QtBot, make_booth_window: MakeBoothWindow
) -> None:
    booth = make_booth_window(
        {
            "ui": {"language": "en", "sounds": "off"},
            "camera": {"source": str(DemoManifest.load().video)},
            "thermometer": {"port": "sim"},
        },
        demo=False,
    )
    window, runtime, bridge = booth.window, booth.runtime, booth.bridge
    shown: list[ScanResult] = []
    bridge.verdict.connect(lambda result, _error: shown.append(result))
    window.show()
    banner = window.findChild(QLabel, "admitsStoppedBanner")
    assert banner is not None
    runtime.start()
    try:
        qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
        qtbot.waitUntil(banner.isVisible, timeout=30_000)
    finally:
        booth.stop()
    text = banner.text()
    assert "Automatic admits stopped" in text and "Risk-area list is" in text
    assert "not connected to a hub" in text and "Booth settings" in text
    assert all(r.passage.outcome is not Outcome.ADMIT for r in shown)
