"""Under the verdict band: what the guard must do next, and the F-keys that do it.

Large words for the step the booth waits on (attest the colour, confirm a second abnormal
reading, wait and re-measure), a line for what happened besides the verdict (attested, case
flagged, overridden), and a red banner when an attested code came back not green.

The red banner and the prompt share one height budget (``PROMPT_LINES`` lines): either alone
wraps to all of it, together each has a line, ending in "…" with the whole text its tooltip,
so a banner still up when the next vehicle's prompt comes never makes the window taller than
a 1366x768 booth screen less its taskbar.
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
        layout.setSpacing(0)  # the labels' own padding and colours keep them apart
        for label in (self.alert, self.prompt, self.notice, self.keys):
            layout.addWidget(label)

    @staticmethod
    def _label(name: str, style: str) -> BudgetLabel:
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
        self._share()

    def _set(self, label: QLabel, words: str) -> None:
        label.setText(words)
        label.setVisible(bool(words))
        self._share()

    def _share(self) -> None:
        """The alert and the prompt split ``PROMPT_LINES`` when both are up."""
        sharing = [label for label in (self.alert, self.prompt) if not label.isHidden()]
        for label in (self.alert, self.prompt):
            label.set_lines(max(1, PROMPT_LINES // len(sharing)) if sharing else PROMPT_LINES)
