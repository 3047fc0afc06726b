"""Under the verdict band: what the guard must do next, and the F-keys that do it.

Large words for the step the booth waits on (attest the colour, confirm a second abnormal
reading, wait and re-measure), a line for what happened besides the verdict (attested, case
flagged, overridden), and a red banner when an attested code came back not green.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gatehouse.ui.widgets import BudgetLabel, named_label

_PROMPT = "font-size:30px; font-weight:bold; padding:8px; background:#ffd54f; color:black;"
_NOTICE = "font-size:22px; padding:6px; background:#e8eaed; color:black;"
_ALERT = "font-size:24px; font-weight:bold; padding:10px; background:#b3261e; color:white;"
_KEYS = "font-size:18px; padding:4px;"
PROMPT_LINES = 2  # the window fits a 768-px screen; longer words end in "…", whole in the tooltip


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
        for label in (self.alert, self.prompt, self.notice, self.keys):
            layout.addWidget(label)

    @staticmethod
    def _label(name: str, style: str) -> QLabel:
        label = BudgetLabel(name, PROMPT_LINES)
        label.setStyleSheet(style)
        label.hide()
        return label

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
        self.prompt.hide()
        self.notice.hide()

    @staticmethod
    def _set(label: QLabel, words: str) -> None:
        label.setText(words)
        label.setVisible(bool(words))
