"""Under the verdict band: what the guard must do next, and the F-keys that do it.

Large words for the step the booth waits on (attest the colour, confirm a second abnormal
reading, wait and re-measure), a line for what happened besides the verdict (attested, case
flagged, overridden), and a red banner when an attested code came back not green.

Beside the vehicle panel (``share_room_with``) the booth window has no height to spare on a
1366x768 screen less its taskbar: there the banner, the prompt and the notice share one budget
of ``SHARED_LINES`` lines, the most urgent first (banner, prompt, notice). One alone wraps to
all of it; two have a line each, ending in "…" with the whole text their tooltip; a third
waits, hidden, until one of them goes (the banner dismissed, the prompt answered).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gatehouse.ui.widgets import BudgetLabel, named_label

_PROMPT = "font-size:30px; font-weight:bold; padding:8px; background:#ffd54f; color:black;"
_NOTICE = "font-size:22px; padding:6px; background:#e8eaed; color:black;"
_ALERT = "font-size:24px; font-weight:bold; padding:10px; background:#b3261e; color:white;"
_KEYS = "font-size:18px; padding:4px;"
PROMPT_LINES = 2  # the window fits a 768-px screen; longer words end in "…", whole in the tooltip
SHARED_LINES = 2  # beside the vehicle panel: what the banner, prompt and notice share


class GuardPrompt(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.alert = self._label("reverificationAlert", _ALERT)
        self.prompt = self._label("guardPrompt", _PROMPT)
        self.notice = self._label("guardNotice", _NOTICE)
        self.keys = named_label("guardKeys")
        self.keys.setStyleSheet(_KEYS)
        self.keys.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)  # the labels' own padding and colours keep them apart
        for label in (self.alert, self.prompt, self.notice, self.keys):
            layout.addWidget(label)
        self._up: set[BudgetLabel] = set()  # the messages that have something to say
        self._neighbour: QWidget | None = None

    @staticmethod
    def _label(name: str, style: str) -> BudgetLabel:
        label = BudgetLabel(name, PROMPT_LINES)
        label.setStyleSheet(style)
        label.hide()
        return label

    def share_room_with(self, neighbour: QWidget) -> None:
        """While ``neighbour`` (the vehicle panel) shows, the messages share ``SHARED_LINES``."""
        self._neighbour = neighbour
        neighbour.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._neighbour and event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self._share()
        return False

    def ask(self, words: str) -> None:
        self._set(self.prompt, words)

    def tell(self, words: str) -> None:
        self._set(self.notice, words)

    def warn(self, words: str) -> None:
        self._set(self.alert, words)

    def show_keys(self, words: str) -> None:
        self.keys.setText(words)

    def clear(self) -> None:
        """Back to idle; a re-verification alert stays until the guard dismisses it."""
        self._up -= {self.prompt, self.notice}
        self._share()

    def _set(self, label: BudgetLabel, words: str) -> None:
        label.setText(words)
        if words:
            self._up.add(label)
        else:
            self._up.discard(label)
        self._share()

    def _share(self) -> None:
        """Each message up gets its lines (all its own, or its share beside the neighbour) and
        shows; one left without a line waits hidden."""
        messages = [label for label in (self.alert, self.prompt, self.notice) if label in self._up]
        lines = dict.fromkeys(messages, PROMPT_LINES)
        if messages and self._neighbour is not None and not self._neighbour.isHidden():
            each = SHARED_LINES // min(len(messages), SHARED_LINES)
            lines = dict.fromkeys(messages[: SHARED_LINES // each], each)
        for label in (self.alert, self.prompt, self.notice):
            if label in lines:
                label.set_lines(lines[label])
            label.setVisible(label in lines)
