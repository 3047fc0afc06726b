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
from gatehouse.ui.widgets import ElidedLabel
from tests.ui.guard_booth import GuardBooth
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
    central = window.centralWidget()
    layout = None if central is None else central.layout()
    assert layout is not None
    assert layout.minimumHeightForWidth(width) <= height
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
def test_an_alert_a_prompt_and_a_notice_share_the_prompts_height(
    qtbot: QtBot, tmp_path: Path, request: pytest.FixtureRequest, language: str
) -> None:
    """A re-verification alert still up while the next vehicle's prompt asks for an ID number,
    and a notice besides: beside the vehicle panel they share two lines (one each, ending in
    "…" with the whole text in the tooltip; a third waits), so the window still fits."""
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
        fits(booth)  # 799 px high before the two shared
        alert, asked, notice = prompt.alert, prompt.prompt, prompt.notice
        assert alert.toolTip() == alert.text()  # cut to its line, kept whole
        assert (alert.lines, asked.lines) == (1, 1)
        prompt.tell("Temperature typed by hand: 36.5 °C (manual). " * 3)
        assert not notice.isVisible()  # the third waits
        fits(booth)
        booth.press(Qt.Key.Key_F8)  # the guard dismisses the alert: the notice's turn
        qtbot.waitUntil(lambda: not booth.visible("reverificationAlert"))
        assert notice.isVisible() and (asked.lines, notice.lines) == (1, 1)
        fits(booth)  # a prompt and a notice needed 750 px before
        prompt.tell("")
        assert asked.lines == 2
        fits(booth)
        assert asked.toolTip() == ""  # whole again, in its two lines
    finally:
        booth.close()


def test_without_the_vehicle_panel_each_message_has_its_own_lines(
    guard_booth: GuardBooth,
) -> None:
    prompt = guard_booth.window.findChild(GuardPrompt)
    assert prompt is not None
    show_at(guard_booth.window, guard_booth.qtbot, *SCREEN)
    for say in (prompt.warn, prompt.ask, prompt.tell):
        say("Words long enough to wrap onto a second line of the booth's screen. " * 2)
    assert all(label.isVisible() for label in (prompt.alert, prompt.prompt, prompt.notice))
    assert (prompt.alert.lines, prompt.prompt.lines, prompt.notice.lines) == (2, 2, 2)
    QApplication.processEvents()
    assert clipped(guard_booth.window) == []
