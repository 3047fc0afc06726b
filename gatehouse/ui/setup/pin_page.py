"""Page 5: the supervisor PIN, typed twice (the rules are pins.py's). Once a PIN is set, a new
one needs the current PIN or a one-time recovery code from the office, typed in one field:
digits are a PIN, anything with letters is a code."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLineEdit, QWizardPage

from gatehouse.setup.configure import NewPin
from gatehouse.store.pins import MIN_PIN_DIGITS
from gatehouse.ui.setup.context import SetupContext, message_label


def _pin_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    return field


class PinPage(QWizardPage):
    def __init__(self, context: SetupContext) -> None:
        super().__init__()
        self._context = context
        self._already_set: bool | None = None  # not known until the ledger has been read
        self.setTitle(self.tr("Supervisor PIN"))
        self.setSubTitle(
            self.tr(
                "Supervisors type it to open their desk, override a decision or change these "
                "settings. At least %1 digits."
            ).replace("%1", str(MIN_PIN_DIGITS))
        )
        self.pin = _pin_field("setupPin")
        self.repeat = _pin_field("setupPinRepeat")
        self.authority = QLineEdit()
        self.authority.setObjectName("setupPinAuthority")
        self.authority.setEchoMode(QLineEdit.EchoMode.Password)
        self.status = message_label("pinStatus")
        self.message = message_label("pinMessage")
        form = QFormLayout(self)
        form.addRow(self.tr("New &PIN"), self.pin)
        form.addRow(self.tr("&Repeat PIN"), self.repeat)
        form.addRow(self.tr("&Current PIN or recovery code"), self.authority)
        self._authority_row = form.rowCount() - 1
        form.setRowVisible(self._authority_row, False)
        self._form = form
        form.addRow(self.status)
        form.addRow(self.message)

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        if self._already_set is None:
            self._context.jobs.run(
                "pin-state", self._context.setup.pin_is_set, self._loaded, self.message.setText
            )

    def new_pin(self) -> NewPin | None:
        """The PIN to set and what authorises it; None keeps the current one."""
        pin = self.pin.text()
        if not pin:
            return None
        given = self.authority.text().strip()
        if not given:
            return NewPin(pin)
        if given.isdigit():
            return NewPin(pin, current=given)
        return NewPin(pin, recovery_code=given)

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        pin = self.pin.text()
        if not pin and not self.repeat.text() and self._already_set:
            return True
        if len(pin) < MIN_PIN_DIGITS or not pin.isdigit():
            text = self.tr("The PIN must be at least %1 digits.")
            self.message.setText(text.replace("%1", str(MIN_PIN_DIGITS)))
            return False
        if pin != self.repeat.text():
            self.message.setText(self.tr("The two PINs differ. Type them again."))
            self.repeat.clear()
            return False
        if self._already_set and not self.authority.text().strip():
            self.message.setText(
                self.tr(
                    "A PIN is set: type the current PIN, or a recovery code from the office, "
                    "to change it."
                )
            )
            return False
        self.message.clear()
        return True

    def _loaded(self, already_set: bool) -> None:
        self._already_set = already_set
        if already_set:
            self.status.setText(self.tr("A PIN is set. Leave both fields empty to keep it."))
            self._form.setRowVisible(self._authority_row, True)
