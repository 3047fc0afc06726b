"""The supervisor PIN prompt; sets the first PIN when none exists yet.

The argon2id check takes a noticeable fraction of a second, so it runs on a worker thread and
the booth keeps scanning meanwhile. Every attempt, right or wrong, is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from gatehouse.store.audit import AuditKind
from gatehouse.store.pins import PinCheck, PinError, PinResult
from gatehouse.ui.supervisor.background import BackgroundJob, Work
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
        self._setting = not services.pins.is_set()
        self.setWindowTitle(self.tr("Supervisor"))
        self.pin = _pin_field("pinEntry")
        self.repeat = _pin_field("pinRepeat")
        self.message = QLabel()
        self.message.setObjectName("pinMessage")
        self.message.setWordWrap(True)
        self.confirm = QPushButton(self.tr("Set PIN") if self._setting else self.tr("Unlock"))
        self.confirm.setObjectName("pinConfirm")
        self.confirm.setAutoDefault(False)  # Enter in either field submits, exactly once
        form = QFormLayout()
        if self._setting:
            form.addRow(
                QLabel(self.tr("No supervisor PIN is set yet. Choose one (6 digits or more)."))
            )
            form.addRow(self.tr("New PIN"), self.pin)
            form.addRow(self.tr("Repeat PIN"), self.repeat)
        else:
            form.addRow(self.tr("Supervisor PIN"), self.pin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.confirm)
        self.confirm.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)
        self.repeat.returnPressed.connect(self._submit)

    def _submit(self) -> None:
        if self._job is not None and self._job.running:
            return
        pin = self.pin.text()
        if self._setting:
            if pin != self.repeat.text():
                self.message.setText(self.tr("The two PINs differ. Type them again."))
                return
            self._start(lambda _p, _c: self._set(pin))
        else:
            self._start(lambda _p, _c: self._check(pin))

    def _start(self, work: Work) -> None:
        self.confirm.setEnabled(False)
        self.message.setText(self.tr("Checking…"))
        job = BackgroundJob(work, "pin", self)
        job.succeeded.connect(self._show)
        job.failed.connect(self._show_error)
        job.ended.connect(lambda: self.confirm.setEnabled(True))
        self._job = job
        job.start()

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
            at=datetime.now(UTC),
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
