"""Distinct sounds for admit, re-measure and refuse, and the prompt spoken, so a guard hears
the verdict.

With the booth's announcer (``gatehouse.booth.announcer``) each outcome has its own tone pattern
through the platform's player, then the prompt is spoken in the guard's language. Without a
player the cue is the system beep in a pattern: one for admit, two for re-measure, three for
refer or turn away. A loudspeaker that fails (no device, the player or speech engine erring)
falls back to that beep, so the guard still hears the verdict, and is said once on the status
bar (``loudspeaker``) in plain words, so the guard knows the people at the gate hear no voice,
until it plays again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import Future

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from gatehouse.booth.announcer import AnnouncementError, Announcer
from gatehouse.core.models import Outcome
from gatehouse.core.passage import Passage

BEEPS: dict[Outcome, int] = {
    Outcome.ADMIT: 1,
    Outcome.REMEASURE: 2,
    Outcome.REFER: 3,
    Outcome.TURN_AWAY: 3,
}
GAP_MS = 180


class SoundCues(QObject):
    """``played`` records each cue and ``announced`` the announcer's answer to the latest
    (tests and the screenshot script read them). ``beep`` None: no system beep (sounds off)."""

    # "Loudspeaker failed, beeping instead: aplay exited with 1: …" once per failure, "" once
    # an announcement played in full again; emitted on the GUI thread
    loudspeaker = Signal(str)
    # (outcome, the announcer's failure or None once it played in full), from its thread
    _finished = Signal(object, object)

    def __init__(
        self,
        parent: QObject,
        announcer: Announcer | None,
        language: str,
        beep: Callable[[], None] | None = QApplication.beep,
    ) -> None:
        super().__init__(parent)
        self._announcer = announcer
        self._language = language
        self._beep = beep
        self.played: list[Outcome] = []
        self.announced: Future[bool] | None = None
        self._shown = ""  # the failure on the status bar: each is said once, not per verdict
        self._finished.connect(self._after_announcement)

    def play(self, passage: Passage) -> None:
        outcome = passage.outcome
        self.played.append(outcome)
        announcer = self._announcer
        if announcer is not None:
            words = self.spoken_words(outcome, measured=passage.temperature_c is not None)
            self.announced = announcer.announce(outcome, words, self._language)
            self.announced.add_done_callback(functools.partial(self._report, outcome))
            if announcer.player is not None:
                return
        self._beep_for(outcome)

    def _beep_for(self, outcome: Outcome) -> None:
        if self._beep is not None:
            for index in range(BEEPS[outcome]):
                QTimer.singleShot(index * GAP_MS, self, self._beep)

    def _report(self, outcome: Outcome, announced: Future[bool]) -> None:
        """On the announcer's thread: hands the answer to the GUI thread."""
        if announced.cancelled():
            return
        failure = announced.exception()
        if failure is not None:
            self._finished.emit(outcome, failure)
        elif announced.result():  # False: cut short by the next one, which reports for itself
            self._finished.emit(outcome, None)

    def _after_announcement(self, outcome: Outcome, failure: BaseException | None) -> None:
        words = "" if failure is None else self._fall_back(outcome, failure)
        if words != self._shown:
            self._shown = words
            self.loudspeaker.emit(words)

    def _fall_back(self, outcome: Outcome, failure: BaseException) -> str:
        """Beeps the verdict when its tones did not play; the status bar's words for it."""
        detail = str(failure)
        announcer = self._announcer
        tones_heard = (announcer is None or announcer.player is None) or (
            isinstance(failure, AnnouncementError) and failure.tones_played
        )
        if tones_heard:  # the tones (or the beep) were heard, only the voice failed
            return self.tr("Spoken prompt failed: %1").replace("%1", detail)
        if self._beep is None:  # sounds off: nothing to fall back to
            return self.tr("Loudspeaker failed: %1").replace("%1", detail)
        self._beep_for(outcome)
        return self.tr("Loudspeaker failed, beeping instead: %1").replace("%1", detail)

    def spoken_words(self, outcome: Outcome, *, measured: bool) -> str:
        """What the loudspeaker says to the person (or driver) at the gate."""
        if outcome is Outcome.ADMIT and not measured:
            return self.tr("Please go ahead.")
        return {
            Outcome.ADMIT: self.tr("Temperature normal, please go ahead."),
            Outcome.REMEASURE: self.tr("Please wait, then measure your temperature again."),
            Outcome.REFER: self.tr("Please wait for the supervisor."),
            Outcome.TURN_AWAY: self.tr("You cannot enter. Please follow the guard's instructions."),
        }[outcome]
