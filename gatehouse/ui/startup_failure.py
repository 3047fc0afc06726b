"""The window a guard sees when the booth cannot start: what happened and what to do.

The words come from ``gatehouse.booth.startup`` in the guard's language. On a platform that
draws nowhere (offscreen, minimal) nobody could close it, so it is not shown there; the
failure is logged and printed either way.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout

from gatehouse.booth.startup import CLOSE, LOGGED, TITLE, StartupFailure, in_language

log = logging.getLogger(__name__)


class StartupFailureWindow(QDialog):
    def __init__(self, failure: StartupFailure, language: str) -> None:
        super().__init__()
        self.setObjectName("startupFailure")
        self.setWindowTitle(in_language(TITLE, language))
        self.setMinimumWidth(640)
        heading = QLabel(in_language(TITLE, language))
        heading.setObjectName("startupFailureTitle")
        font = QFont(heading.font())
        font.setPointSize(font.pointSize() * 2)
        font.setBold(True)
        heading.setFont(font)
        self.words = QLabel(failure.words(language))
        self.words.setObjectName("startupFailureWords")
        self.words.setWordWrap(True)
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        logged = QLabel(in_language(LOGGED, language))
        close = QPushButton(in_language(CLOSE, language))
        close.setObjectName("startupFailureClose")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        for widget in (heading, self.words, logged, close):
            layout.addWidget(widget)


def report_startup_failure(failure: StartupFailure, language: str) -> int:
    """Log ``failure``, show it where someone can see it; the process's exit status."""
    from gatehouse.ui.setup.launch import application, can_ask  # launch imports ui.app

    log.error("the booth cannot start (%s): %s", failure.problem.name, failure.words("en"))
    print(f"gatehouse: {failure.words(language)}", file=sys.stderr)
    app = application()
    if can_ask(app):
        StartupFailureWindow(failure, language).exec()
    return failure.exit_status
