"""The supervisor PIN prompt; sets the first PIN when none exists yet.

The argon2id check takes a noticeable fraction of a second, so it runs on a worker thread and
the booth keeps scanning meanwhile; so does the first look at whether a PIN exists (a database
read). A PIN typed and confirmed before that look has finished is submitted when it has. Every
attempt, right or wrong, is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from gatehouse.store.audit import AuditKind
from gatehouse.store.pins import PinCheck, PinError, PinResult
from gatehouse.ui.background import BackgroundJob, Work
from gatehouse.ui.supervisor.services import DeskServices


def _pin_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    field.setMaxLength(12)
    return field


class PinDialog(QDialog):
    def __init__(self, services: DeskServices, parent: QDialog | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._job: BackgroundJob | None = None
        self._setting: bool | None = None  # None until the worker has looked for a PIN
        self._submit_when_known = False
        self.setWindowTitle(self.tr("Supervisor"))
        self.pin = _pin_field("pinEntry")
        self.repeat = _pin_field("pinRepeat")
        self.message = QLabel()
        self.message.setObjectName("pinMessage")
        self.message.setWordWrap(True)
        self.intro = QLabel(self.tr("No supervisor PIN is set yet. Choose one (6 digits or more)."))
        self.confirm = QPushButton(self.tr("Unlock"))
        self.confirm.setObjectName("pinConfirm")
        self.confirm.setAutoDefault(False)  # Enter in either field submits, exactly once
        self._form = QFormLayout()
        self._form.addRow(self.intro)
        self._form.addRow(self.tr("Supervisor PIN"), self.pin)
        self._form.addRow(self.tr("Repeat PIN"), self.repeat)
        for row in (self.intro, self.repeat):
            self._form.setRowVisible(row, False)
        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        layout.addWidget(self.message)
        layout.addWidget(self.confirm)
        self.confirm.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)
        self.repeat.returnPressed.connect(self._submit)
        self._look_for_pin()

    def _look_for_pin(self) -> None:
        is_set = self._services.pins.is_set
        self._start(lambda _p, _c: is_set(), self._know, self.tr("One moment…"))

    def _know(self, is_set: bool) -> None:
        """The PIN exists (unlock) or not (choose one, typed twice)."""
        self._setting = not is_set
        self.message.clear()
        if self._setting:
            self.confirm.setText(self.tr("Set PIN"))
            label = self._form.labelForField(self.pin)
            if isinstance(label, QLabel):
                label.setText(self.tr("New PIN"))
            for row in (self.intro, self.repeat):
                self._form.setRowVisible(row, True)

    def _submit(self) -> None:
        if not self.confirm.isEnabled():  # a job is running (its end re-enables the button)
            self._submit_when_known = self._setting is None
            return
        if self._setting is None:  # the first look failed (shown): look again, then submit
            self._submit_when_known = True
            self._look_for_pin()
            return
        pin = self.pin.text()
        if self._setting:
            if pin != self.repeat.text():
                self.message.setText(self.tr("The two PINs differ. Type them again."))
                return
            self._start(lambda _p, _c: self._set(pin), self._show, self.tr("Checking…"))
        else:
            self._start(lambda _p, _c: self._check(pin), self._show, self.tr("Checking…"))

    def _start(self, work: Work, then: Callable[[Any], None], waiting: str) -> None:
        self.confirm.setEnabled(False)
        self.message.setText(waiting)
        job = BackgroundJob(work, "pin", self)
        job.succeeded.connect(then)
        job.failed.connect(self._show_error)
        job.ended.connect(self._job_ended)
        self._job = job
        job.start()

    def _job_ended(self) -> None:
        self.confirm.setEnabled(True)
        if self._submit_when_known and self._setting is not None:
            self._submit_when_known = False
            self._submit()

    def _set(self, pin: str) -> PinResult:
        self._services.pins.set_pin(pin)
        self._audit("pin_set")
        return PinResult(PinCheck.ACCEPTED)

    def _check(self, pin: str) -> PinResult:
        result = self._services.pins.verify(pin)
        self._audit(result.check.value)
        return result

    def _audit(self, result: str) -> None:
        self._services.audit.record_event(
            AuditKind.LOGIN,
            at=self._services.clock(),
            booth_id=self._services.booth_id,
            actor=self._services.actor,
            details={"result": result},
        ).result()

    def _show(self, result: PinResult) -> None:
        self.pin.clear()
        self.repeat.clear()
        if result.check is PinCheck.ACCEPTED:
            self.accept()
        elif result.check is PinCheck.WRONG:
            self.message.setText(
                self.tr(
                    "Wrong PIN. %n attempt(s) left before entry is locked.",
                    "",
                    result.attempts_left,
                )
            )
        elif result.check is PinCheck.LOCKED and result.locked_until is not None:
            until = result.locked_until.astimezone(self._services.zone)
            self.message.setText(
                self.tr("Too many wrong PINs. Entry is locked until %1.").replace(
                    "%1", until.strftime("%H:%M")
                )
            )

    def _show_error(self, error: str) -> None:
        """A refused new PIN says why itself; anything else is shown with its type."""
        prefix = f"{PinError.__name__}: "
        self.message.setText(error.removeprefix(prefix))

    def done(self, result: int) -> None:
        if self._job is not None:
            self._job.wait()
        super().done(result)
