"""USB keyboard-wedge scanners: a scanner "types" the code into the booth window.

Installed on the booth window, the filter sees the key presses that reach the window itself:
those sent to it and those no widget inside took. A text field takes its keys, so typing into
one keeps working and never reads as a scan. Keys are only watched, never swallowed; a burst
far faster than anyone types that ends in Enter is a scan (drivers.wedge).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from drivers.wedge import KeystrokeBurstDetector

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class WedgeInput(QObject):
    """Emits ``scanned`` (on the GUI thread) with each code a wedge scanner typed."""

    scanned = Signal(str)

    def __init__(
        self,
        window: QWidget,
        detector: KeystrokeBurstDetector | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self._detector = detector or KeystrokeBurstDetector()
        self._monotonic = monotonic
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self._key(event)
        return False

    def _key(self, event: QKeyEvent) -> None:
        now = self._monotonic()
        if event.key() in _ENTER_KEYS:
            text = self._detector.enter(now)
            if text is not None:
                self.scanned.emit(text)
            return
        char = event.text()
        if len(char) == 1 and char.isprintable():
            self._detector.key(char, now)
