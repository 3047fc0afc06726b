"""The guard types the person's resident ID number (from the ID card) so the person lists can
be checked; the number is checked for its check digit here and never shown or logged after.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from gatehouse.core.rules.persons import IdNumberError, normalise_id_number


class IdNumberDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("idNumberDialog")
        self.setWindowTitle(self.tr("ID number"))
        self.entry = QLineEdit()
        self.entry.setObjectName("idNumberEntry")
        self.entry.setMaxLength(22)  # 18 characters, and spaces a guard may type between groups
        self.entry.setStyleSheet("font-size:32px;")
        self.message = QLabel()
        self.message.setObjectName("idNumberMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Type the 18-character number on the ID card.")))
        layout.addWidget(self.entry)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        self.id_number = ""

    def _accept_if_valid(self) -> None:
        try:
            self.id_number = normalise_id_number(self.entry.text())
        except IdNumberError:
            self.message.setText(
                self.tr("Not a valid ID number (18 characters, the last a digit or X). Check it.")
            )
            return
        self.accept()
