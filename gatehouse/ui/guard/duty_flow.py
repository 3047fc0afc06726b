"""F11 on the booth window: the guard starting a shift signs on (a name or a number, Enter).

The status bar always says who is on duty, or, in the warning colour, that nobody is: every
passage records the guard on duty, and a ledger that cannot say who checked is of little use.
"""

from __future__ import annotations

from concurrent.futures import Future

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from gatehouse.booth.duty import MAX_GUARD_CHARS, GuardNameError, GuardOnDuty


class SignOnDialog(QDialog):
    def __init__(self, current: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signOnDialog")
        self.setWindowTitle(self.tr("Guard on duty"))
        self.name = QLineEdit()
        self.name.setObjectName("guardName")
        self.name.setMaxLength(MAX_GUARD_CHARS)
        self.name.setStyleSheet("font-size:32px;")
        self.message = QLabel()
        self.message.setObjectName("signOnMessage")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Starting a shift: type your name or number, then Enter.")))
        if current:
            layout.addWidget(QLabel(self.tr("On duty until now: %1").replace("%1", current)))
        layout.addWidget(self.name)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._accept_if_named)
        buttons.rejected.connect(self.reject)

    def _accept_if_named(self) -> None:
        if not self.name.text().strip():
            self.message.setText(self.tr("Type your name or number."))
            return
        self.accept()


class DutyFlow(QObject):
    """F11 signs a guard on; the status bar label shows who is on duty."""

    failed = Signal(str)  # the sign-on could not be recorded (from the ledger's writer)

    def __init__(self, window: QMainWindow, duty: GuardOnDuty) -> None:
        super().__init__(window)
        self._window = window
        self._duty = duty
        self.dialog: SignOnDialog | None = None
        self.label = QLabel()
        self.label.setObjectName("guardOnDuty")
        window.statusBar().addPermanentWidget(self.label)
        QShortcut(QKeySequence("F11"), window, self.ask, context=Qt.ShortcutContext.WindowShortcut)
        self.failed.connect(self._show_failure)
        self._show()

    def ask(self) -> None:
        dialog = SignOnDialog(self._duty.current(), self._window)
        dialog.accepted.connect(lambda: self._sign_on(dialog.name.text()))
        self.dialog = dialog
        dialog.open()

    def _sign_on(self, name: str) -> None:
        try:
            future = self._duty.sign_on(name)
        except GuardNameError as exc:
            self._show_failure(str(exc))
            return
        future.add_done_callback(self._recorded)
        self._show()

    def _recorded(self, done: Future[str]) -> None:  # on the ledger's writer thread
        error = done.exception()
        if error is not None:
            self.failed.emit(f"{type(error).__name__}: {error}")

    def _show(self) -> None:
        guard = self._duty.current()
        if guard:
            self.label.setText(self.tr("Guard on duty: %1 (F11 to change)").replace("%1", guard))
            self.label.setStyleSheet("")
        else:
            self.label.setText(self.tr("No guard signed on: press F11"))
            self.label.setStyleSheet("background:#c77700; color:white; padding:0 6px;")

    def _show_failure(self, error: str) -> None:
        self.label.setText(self.tr("Sign-on not recorded: %1").replace("%1", error))
        self.label.setStyleSheet("background:#b3261e; color:white; padding:0 6px;")
