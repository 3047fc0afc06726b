"""Distinct sounds for admit, re-measure and refuse, so a guard hears the verdict.

PySide6-Essentials has no QtMultimedia (QSoundEffect) and no QtTextToSpeech, so the cue is the
system beep in a pattern: one for admit, two for re-measure, three for refer or turn away.
Spoken prompts are left out for the same reason (no speech module on the platform).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from gatehouse.core.models import Outcome

BEEPS: dict[Outcome, int] = {
    Outcome.ADMIT: 1,
    Outcome.REMEASURE: 2,
    Outcome.REFER: 3,
    Outcome.TURN_AWAY: 3,
}
GAP_MS = 180


class SoundCues(QObject):
    """``played`` records each cue (tests and the screenshot script read it)."""

    def __init__(self, parent: QObject, beep: Callable[[], None] = QApplication.beep) -> None:
        super().__init__(parent)
        self._beep = beep
        self.played: list[Outcome] = []

    def play(self, outcome: Outcome) -> None:
        self.played.append(outcome)
        for index in range(BEEPS[outcome]):
            QTimer.singleShot(index * GAP_MS, self, self._beep)
