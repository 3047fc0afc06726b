"""The guard types a temperature read from a hand-held thermometer while the booth's is down.

The value becomes the booth's latest measurement with source "manual", so the decision and the
ledger say it was typed, not measured by the device.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

LOWEST_C = 30.0
HIGHEST_C = 45.0


class ManualTemperatureDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("manualTemperatureDialog")
        self.setWindowTitle(self.tr("Temperature typed by hand"))
        self.value = QLineEdit()
        self.value.setObjectName("manualTemperature")
        self.value.setStyleSheet("font-size:40px;")
        validator = QDoubleValidator(LOWEST_C, HIGHEST_C, 1, self.value)
        validator.setNotation(QDoubleValidator.Notation.StandardNotation)
        validator.setLocale(QLocale.c())  # a dot whatever the system's decimal sign
        self.value.setValidator(validator)
        self.message = QLabel()
        self.message.setObjectName("manualTemperatureMessage")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("Measure with the hand-held thermometer and type the value in °C."))
        )
        layout.addWidget(self.value)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)

    @property
    def celsius(self) -> float:
        return float(self.value.text())

    def _accept_if_valid(self) -> None:
        if not self.value.hasAcceptableInput():
            self.message.setText(
                self.tr("Type a temperature between %1 and %2 °C, e.g. 36.5.")
                .replace("%1", f"{LOWEST_C:.0f}")
                .replace("%2", f"{HIGHEST_C:.0f}")
            )
            return
        self.accept()
