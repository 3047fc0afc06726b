"""Distinct sounds for admit, re-measure and refuse, and the prompt spoken, so a guard hears
the verdict.

With the booth's announcer (``gatehouse.booth.announcer``) each outcome has its own tone pattern
through the platform's player, then the prompt is spoken in the guard's language. Without a
player the cue is the system beep in a pattern: one for admit, two for re-measure, three for
refer or turn away. A loudspeaker that fails is said on the status bar (``loudspeaker``), so
the guard knows the people at the gate hear nothing, until it plays again.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from gatehouse.booth.announcer import Announcer
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

    # "Loudspeaker failed: aplay exited with 1: …", or "" once an announcement played in
    # full; emitted from the announcer's thread (connect QObjects' methods: queued to the GUI)
    loudspeaker = Signal(str)

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

    def play(self, passage: Passage) -> None:
        outcome = passage.outcome
        self.played.append(outcome)
        announcer = self._announcer
        if announcer is not None:
            words = self.spoken_words(outcome, measured=passage.temperature_c is not None)
            self.announced = announcer.announce(outcome, words, self._language)
            self.announced.add_done_callback(self._report)
            if announcer.player is not None:
                return
        if self._beep is not None:
            for index in range(BEEPS[outcome]):
                QTimer.singleShot(index * GAP_MS, self, self._beep)

    def _report(self, announced: Future[bool]) -> None:
        if announced.cancelled():
            return
        failure = announced.exception()
        if failure is not None:
            self.loudspeaker.emit(self.tr("Loudspeaker failed: %1").replace("%1", str(failure)))
        elif announced.result():  # False: cut short by the next one, which reports for itself
            self.loudspeaker.emit("")

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
