"""The booth window fits every booth monitor from 1024x768 to 1920x1080: the real window at each
size, driven by real key presses through a re-measure and a confirmed turn-away, with every
label inside the window and its words inside the label."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from gatehouse import config
from gatehouse.booth.runtime import RuntimeOptions
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.models import Outcome
from gatehouse.store import Ledger
from gatehouse.ui.app import build_window, show_window
from gatehouse.ui.main_window import MainWindow
from gatehouse.ui.temperature_panel import VALUE_SHARE
from gatehouse.ui.verdict_panel import HEADLINE_SHARE
from gatehouse.ui.widgets import ElidedLabel
from tests.core.factories import CLAIMS, ISSUER, NOW
from tests.ui.guard_booth import GuardBooth

SIZES = [(1024, 768), (1366, 768), (1920, 1080)]


def clipped(window: QMainWindow) -> list[str]:
    """Every visible label that sticks out of the window or whose words do not fit in it."""
    frame = window.rect()
    problems = []
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or not label.text():
            continue
        name = label.objectName() or label.text()[:30]
        box = QRect(label.mapTo(window, label.rect().topLeft()), label.size())
        if not frame.contains(box):
            problems.append(f"{name} at {box.getRect()} is outside {frame.getRect()}")
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height():
                problems.append(f"{name} needs {needed} px high, has {label.height()}")
        elif (needed := label.minimumSizeHint().width()) > label.width():
            problems.append(f"{name} needs {needed} px wide, has {label.width()}")
    return problems


def show_at(window: QMainWindow, qtbot: QtBot, width: int, height: int) -> None:
    window.resize(width, height)
    window.show()
    qtbot.waitUntil(lambda: window.size().width() == width and window.size().height() == height)
    QApplication.processEvents()


def label(window: QWidget, name: str) -> QLabel:
    found = window.findChild(QLabel, name)
    assert found is not None, name
    return found


@pytest.fixture(params=["en", "zh"])
def language_booth(
    request: pytest.FixtureRequest, qtbot: QtBot, tmp_path: Path, issuer_key: Ed25519PrivateKey
) -> Iterator[GuardBooth]:
    if request.param == "zh":
        request.getfixturevalue("chinese")
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        booth = GuardBooth(qtbot, ledger, issuer_key, tmp_path / "out", language=request.param)
        try:
            yield booth
        finally:
            booth.close()


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_guards_screens_fit(
    language_booth: GuardBooth, issuer_key: Ed25519PrivateKey, width: int, height: int
) -> None:
    booth, window = language_booth, language_booth.window
    show_at(window, booth.qtbot, width, height)
    assert clipped(window) == []

    text = encode_pass(CLAIMS, issuer_key, ISSUER)
    booth.measure(38.2)
    assert booth.scan(text).passage.outcome is Outcome.REMEASURE
    assert booth.label("guardPrompt").isVisible()
    assert clipped(window) == []

    booth.clock.moment = NOW + timedelta(minutes=4)
    booth.measure(38.4)
    booth.scan(text)
    confirmed = booth.wait_for_verdict(lambda: booth.press(Qt.Key.Key_F5))
    assert confirmed.passage.outcome is Outcome.TURN_AWAY
    assert booth.label("guardNotice").isVisible()
    assert clipped(window) == []

    headline = booth.label("verdictHeadline")
    assert headline.font().pixelSize() == round(height * HEADLINE_SHARE)
    for outcome in Outcome:  # the longest verdict ("REFER TO SUPERVISOR") fits as well
        words = f"✖ {window.verdict.outcome_words(outcome)}"
        assert headline.fontMetrics().horizontalAdvance(words) <= headline.contentsRect().width()
    assert booth.label("temperatureValue").font().pixelSize() == round(height * VALUE_SHARE)
    status = window.statusBar()
    assert status.isVisible() and window.rect().contains(status.geometry())


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_demo_window_fits_with_its_banner_and_status_bar(
    qtbot: QtBot, tmp_path: Path, width: int, height: int
) -> None:
    cfg = config.from_mapping({"ui": {"language": "en", "sounds": "off"}}, environ={})
    options = RuntimeOptions(demo=True, demo_speed=2.0, database=tmp_path / "demo.sqlite3")
    window, runtime, bridge = build_window(cfg, options)
    qtbot.addWidget(window)
    shown: list[object] = []
    bridge.verdict.connect(lambda result, _error: shown.append(result))
    try:
        assert isinstance(window, MainWindow)
        show_at(window, qtbot, width, height)
        assert label(window, "demoBanner").isVisible()
        assert clipped(window) == []
        runtime.start()  # the running demo: the status bar's longest words, a verdict
        qtbot.waitUntil(lambda: bool(shown) and bool(label(window, "cameraStatus").text()))
        QApplication.processEvents()
        assert clipped(window) == []
        assert window.rect().contains(window.statusBar().geometry())
    finally:
        runtime.stop()


@pytest.mark.parametrize("filled", [True, False])
def test_the_window_never_passes_the_screens_edge(
    qtbot: QtBot, tmp_path: Path, filled: bool
) -> None:
    """The offscreen screen is smaller than the 1280x800 window the booth used to open."""
    cfg = config.from_mapping({"ui": {"language": "en"}}, environ={})
    window, runtime, _bridge = build_window(
        cfg, RuntimeOptions(demo=True, database=tmp_path / "demo.sqlite3")
    )
    qtbot.addWidget(window)
    try:
        show_window(window, full_screen=filled)
        screen = window.screen().availableGeometry()
        assert screen.width() < 1280  # the old fixed size would have passed its edge
        qtbot.waitUntil(lambda: window.frameGeometry() == screen)  # filled, or maximised
        assert window.isFullScreen() is filled
        QApplication.processEvents()
        assert clipped(window) == []
    finally:
        runtime.stop()


def test_a_long_camera_address_ends_in_an_ellipsis_never_cut_off(qtbot: QtBot) -> None:
    address = "Camera live stream rtsp://192.168.1.20:554/Streaming/Channels/101"
    shown = ElidedLabel("cameraStatus")
    qtbot.addWidget(shown)
    shown.show()
    shown.set_full_text(address)
    shown.resize(shown.sizeHint())
    assert shown.text() == address
    shown.resize(shown.minimumSizeHint())
    assert shown.text().startswith("Camera") and shown.text().endswith("…")
    assert shown.fontMetrics().horizontalAdvance(shown.text()) <= shown.contentsRect().width()
    assert shown.toolTip() == address
