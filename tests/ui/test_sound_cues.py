"""A loudspeaker that fails still gives the guard the verdict: the system beep in the outcome's
pattern, and the failure said once on the status bar in plain words, through real aplay and
espeak-ng (ALSA's null device plays; a device or program that does not exist fails)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from drivers.audio import AudioPlayer, SpeechEngine
from gatehouse.booth.announcer import Announcer
from gatehouse.core.models import Outcome
from gatehouse.ui.guard.sounds import BEEPS, GAP_MS, SoundCues
from tests.booth.test_announcer import NULL_PLAYER
from tests.factories import make_passage

WAIT_MS = 30_000
NO_DEVICE = AudioPlayer(("aplay", "-q", "-D", "no-such-device", "{file}"))
NO_PLAYER = AudioPlayer(("no-such-player", "{file}"))
# espeak-ng reads a voice "no-…" as Norwegian: "nosuch" is no voice at all
NO_VOICE = SpeechEngine(("espeak-ng", "-v", "{voice}", "--stdin"), {"en": "nosuch"})


class Booth:
    """SoundCues with a counted beep and the status bar's words, as the guard's window has."""

    def __init__(self, qtbot: QtBot, announcer: Announcer) -> None:
        self.qtbot = qtbot
        self.announcer = announcer
        self.parent = QObject()
        self.beeps = 0
        self.status: list[str] = []
        self.cues = SoundCues(self.parent, announcer, "en", self._beep)
        self.cues.loudspeaker.connect(self.status.append)

    def _beep(self) -> None:
        self.beeps += 1

    def verdict(self, outcome: Outcome) -> None:
        """Plays ``outcome`` and waits until the announcer answered and any beeps sounded."""
        self.cues.play(make_passage(outcome=outcome))
        announced = self.cues.announced
        assert announced is not None
        self.qtbot.waitUntil(announced.done, timeout=WAIT_MS)
        self.qtbot.wait(GAP_MS * 4)  # the answer reaches the GUI thread, then the beeps play


@pytest.fixture
def make_booth(qtbot: QtBot) -> Iterator[Callable[[Announcer], Booth]]:
    made: list[Booth] = []

    def make(announcer: Announcer) -> Booth:
        booth = Booth(qtbot, announcer)
        made.append(booth)
        return booth

    yield make
    for booth in made:
        booth.announcer.close()


@pytest.mark.parametrize("player", [NO_DEVICE, NO_PLAYER], ids=["no-device", "no-player"])
def test_a_failing_loudspeaker_falls_back_to_the_beep_and_is_said_once(
    make_booth: Callable[[Announcer], Booth], player: AudioPlayer
) -> None:
    booth = make_booth(Announcer(player, None))
    booth.verdict(Outcome.REFER)
    assert booth.beeps == BEEPS[Outcome.REFER]  # three beeps: the guard still hears "refer"
    (said,) = booth.status
    assert said.startswith("Loudspeaker failed, beeping instead: ")
    assert ("aplay exited with 1" if player is NO_DEVICE else "no-such-player") in said
    booth.verdict(Outcome.ADMIT)
    assert booth.beeps == BEEPS[Outcome.REFER] + BEEPS[Outcome.ADMIT]
    assert booth.status == [said]  # the same failure is not said again
    booth.announcer.player = NULL_PLAYER  # the sound card works again
    booth.verdict(Outcome.ADMIT)
    assert booth.beeps == BEEPS[Outcome.REFER] + BEEPS[Outcome.ADMIT]  # tones, no beep
    assert booth.status == [said, ""]


def test_a_failing_voice_after_the_tones_is_said_without_an_extra_beep(
    make_booth: Callable[[Announcer], Booth],
) -> None:
    booth = make_booth(Announcer(NULL_PLAYER, NO_VOICE))
    booth.verdict(Outcome.TURN_AWAY)
    assert booth.beeps == 0  # the tones played: another cue would be noise
    (said,) = booth.status
    assert said.startswith("Spoken prompt failed: espeak-ng exited with 1")


def test_a_working_loudspeaker_never_beeps_or_speaks_on_the_status_bar(
    make_booth: Callable[[Announcer], Booth],
) -> None:
    booth = make_booth(Announcer(NULL_PLAYER, None))
    booth.verdict(Outcome.REFER)
    assert (booth.beeps, booth.status) == (0, [])
