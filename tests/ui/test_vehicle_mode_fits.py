"""Vehicle mode on a 1366x768 booth PC: the window never needs more height than the screen has
(768 px less a 40-px taskbar), however many people ride in the vehicle (their lines scroll),
with a two-line guard prompt showing, a long list of reasons, and whether the loudspeaker
works or fails (its failure used to coincide with a window 768 px high)."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import gatehouse.booth.runtime
from drivers.audio import AudioPlayer
from gatehouse.booth.announcer import AnnouncementError, Announcer
from gatehouse.config import UiSettings
from gatehouse.ui.widgets import ElidedLabel
from tests.ui.test_screen_fit import clipped, show_at
from tests.ui.test_vehicle_mode import DemoBooth, demo_passes

SCREEN = (1366, 768 - 40)
# ALSA's null device plays the tones; an unknown device fails the way a booth without a
# working sound card does ("aplay exited with 1: … audio open error")
PLAYERS = {"works": "null", "fails": "no-such-device"}
WAIT_S = 30


def fits(booth: DemoBooth) -> None:
    """The window, its layout brought up to date (as the event loop does before painting),
    is no taller than the screen and every label's words are inside it."""
    QApplication.processEvents()
    width, height = SCREEN
    window = booth.window
    assert window.minimumSizeHint().height() <= height
    assert window.centralWidget().layout().minimumHeightForWidth(width) <= height
    assert window.size().height() == height
    assert clipped(window) == []


@pytest.mark.parametrize("loudspeaker", list(PLAYERS))
def test_vehicle_mode_fits_a_768_px_screen(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    loudspeaker: str,
) -> None:
    player = AudioPlayer(("aplay", "-q", "-D", PLAYERS[loudspeaker], "{file}"))

    def real_aplay(_settings: UiSettings) -> Announcer:
        return Announcer(player, None)

    monkeypatch.setattr(gatehouse.booth.runtime, "announcer_for", real_aplay)
    booth = DemoBooth(qtbot, tmp_path / "ledger.sqlite3")
    try:
        show_at(booth.window, qtbot, *SCREEN)
        dialog = booth.state_vehicle("蒙K A1234", "eeds")
        qtbot.keyClick(dialog.purpose, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        for pass_id in list(demo_passes())[:3]:  # the fourth demo pass is the forged one
            booth.scan(pass_id)
            fits(booth)
            if pass_id == "DEMO-0001":  # an admit lists every check that passed
                assert booth.text("verdictReasons").count("\n") >= 4
            if pass_id == "DEMO-0002":  # asks for the ID number, in two lines at 1366 px
                assert booth.visible("guardPrompt")
        assert booth.text("vehiclePeople").count("\n") == 2  # three people listed
        announced = booth.flows.sounds.announced
        assert isinstance(announced, Future)
        status = booth.window.findChild(ElidedLabel, "loudspeakerStatus")
        assert status is not None
        if loudspeaker == "works":
            assert announced.result(WAIT_S) is True
            qtbot.wait(200)  # a failure would reach the status bar by now
            assert not status.isVisible()
        else:
            failure = announced.exception(WAIT_S)
            assert isinstance(failure, AnnouncementError)
            qtbot.waitUntil(status.isVisible)
            assert status.full_text == f"Loudspeaker failed, beeping instead: {failure}"
            assert status.toolTip() == status.full_text
            assert len(status.full_text) > 100  # ALSA's words: longer than the bar has room for
        fits(booth)
        assert booth.window.minimumSizeHint().width() <= SCREEN[0]
    finally:
        booth.close()
