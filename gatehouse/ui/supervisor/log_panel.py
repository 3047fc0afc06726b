"""The booth's latest warnings and errors from its log file, for the supervisor (and IT on the
phone): what went wrong while nobody watched, without opening a terminal."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from gatehouse.booth.logfile import LOG_NAME, latest_problems
from gatehouse.reports.progress import CancelToken, ProgressCallback
from gatehouse.ui.background import BackgroundJob
from gatehouse.ui.supervisor.search_panel import named

SHOWN = 50


class LogPanel(QWidget):
    """Read off the GUI thread each time the tab is shown (or Refresh is pressed)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self._folder = folder
        self.job: BackgroundJob | None = None
        self.where = QLabel(
            self.tr("The latest warnings and errors in %1").replace("%1", str(folder / LOG_NAME))
        )
        self.where.setWordWrap(True)
        self.text = named(QPlainTextEdit(), "problemsLog")
        self.text.setReadOnly(True)
        refresh = named(QPushButton(self.tr("&Refresh")), "refreshLog")
        refresh.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.text)
        layout.addWidget(refresh)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        if self.job is not None and self.job.running:
            return
        folder = self._folder

        def work(_progress: ProgressCallback, _cancel: CancelToken) -> list[str]:
            return latest_problems(folder, SHOWN)

        self.job = BackgroundJob(work, "log", self)
        self.job.succeeded.connect(self._show)
        self.job.failed.connect(self.text.setPlainText)
        self.job.start()

    def _show(self, problems: list[str]) -> None:
        if problems:
            self.text.setPlainText("\n".join(reversed(problems)))  # the newest first
        else:
            self.text.setPlainText(self.tr("No warnings or errors logged."))
