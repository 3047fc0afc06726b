"""Vehicle mode on a 1366x768 booth PC: the window never needs more height than the screen has
(768 px less a 40-px taskbar), however many people ride in the vehicle (their lines scroll),
with a two-line guard prompt showing, a long list of reasons, and whether the loudspeaker
works or fails (its failure used to coincide with a window 768 px high), and with a
re-verification alert up beside the prompt (the two needed 799 px before they shared a budget)."""

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
from gatehouse.ui.guard.prompt_panel import GuardPrompt
from gatehouse.ui.widgets import BudgetLabel, ElidedLabel
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


def start_vehicle(booth: DemoBooth) -> None:
    """The booth at the screen's size, a vehicle stated: its people are scanned next."""
    show_at(booth.window, booth.qtbot, *SCREEN)
    dialog = booth.state_vehicle("蒙K A1234", "eeds")
    booth.qtbot.keyClick(dialog.purpose, Qt.Key.Key_Return)
    booth.qtbot.waitUntil(lambda: not dialog.isVisible())


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
        start_vehicle(booth)
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


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_alert_and_a_prompt_together_share_the_prompts_height(
    qtbot: QtBot, tmp_path: Path, request: pytest.FixtureRequest, language: str
) -> None:
    """A re-verification alert still up while the next vehicle's prompt asks for an ID number:
    together they take no more height than the prompt area's budget (each wraps, and ends in
    "…" with the whole text in its tooltip), so the window still fits the screen."""
    if language == "zh":
        request.getfixturevalue("chinese")
    booth = DemoBooth(qtbot, tmp_path / "ledger.sqlite3")
    try:
        start_vehicle(booth)
        prompt = booth.window.findChild(GuardPrompt)
        assert prompt is not None
        why = "the issuer says the health code shown at the booth was red " * 3
        prompt.warn(f"RE-VERIFICATION ALERT: {why}. Tell the supervisor now. (F8: dismiss)")
        booth.scan("DEMO-0002")  # asks for the ID number: a two-line prompt
        assert booth.visible("guardPrompt") and booth.visible("reverificationAlert")
        fits(booth)
        alert = booth.window.findChild(BudgetLabel, "reverificationAlert")
        asked = booth.window.findChild(BudgetLabel, "guardPrompt")
        assert alert is not None and asked is not None
        assert alert.toolTip() == alert.text()  # cut to its line, kept whole
        assert (alert.lines, asked.lines) == (1, 1)
        booth.press(Qt.Key.Key_F8)  # the guard dismisses the alert: the prompt has both lines
        qtbot.waitUntil(lambda: not booth.visible("reverificationAlert"))
        assert asked.lines == 2
        fits(booth)
        assert asked.toolTip() == ""  # whole again, in two lines
    finally:
        booth.close()
