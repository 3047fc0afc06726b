"""Last page: what will be written; Finish writes it (on a worker thread) and closes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWizardPage

from gatehouse.config import Config, ConfigError
from gatehouse.setup.configure import NewPin, SetupChoices
from gatehouse.store.pins import PinError
from gatehouse.ui.setup.context import SetupContext, message_label

Summary = Callable[[], tuple[SetupChoices, NewPin | None, str]]
"""The choices, the new PIN (None: keep), and the lines describing them for the reader."""


class SummaryPage(QWizardPage):
    def __init__(self, context: SetupContext, summary: Summary) -> None:
        super().__init__()
        self._context = context
        self._summary = summary
        self._saving = False
        self.saved: Config | None = None
        self.setTitle(self.tr("Summary"))
        self.setSubTitle(self.tr("Finish writes these settings."))
        self.text = QLabel()
        self.text.setObjectName("setupSummary")
        self.text.setWordWrap(True)
        self.message = message_label("summaryMessage")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)
        layout.addWidget(self.message)

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        self.text.setText(self._summary()[2])
        if self._context.setup.running:
            self.message.setText(self.tr("The booth uses the new settings from its next start."))

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        if self.saved is not None:
            return True
        if not self._saving:
            self._saving = True
            self.message.setText(self.tr("Saving…"))
            choices, pin, _ = self._summary()
            self._context.jobs.run(
                "setup-save", lambda: self._save(choices, pin), self._done, self._failed
            )
        return False

    def _save(self, choices: SetupChoices, pin: NewPin | None) -> Config | str:
        try:
            return self._context.setup.save(choices, pin)
        except (ConfigError, PinError) as exc:
            return str(exc)  # says what is wrong, in words (a PinError in both languages)

    def _done(self, outcome: Config | str) -> None:
        self._saving = False
        if isinstance(outcome, str):
            self.message.setText(self.tr("Could not save: %1").replace("%1", outcome))
            return
        self.saved = outcome
        self.wizard().accept()

    def _failed(self, error: str) -> None:
        self._saving = False
        self.message.setText(self.tr("Could not save: %1").replace("%1", error))
