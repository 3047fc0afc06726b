"""The supervisor's override of one verdict: the new outcome, a reason from the list, free text.

Opened only after the supervisor PIN (``OverrideFlow``). The reasons are stored as codes, so the
audit chain reads the same in any language; "other" needs the free text.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gatehouse.core.models import Outcome

OVERRIDE_REASONS = (
    "contact_thermometer_normal",
    "identity_checked_by_supervisor",
    "approval_confirmed_by_phone",
    "emergency_or_rescue",
    "device_fault",
    "other",
)
OTHER = "other"


def override_reason_words(code: str) -> str:
    """An override reason code in the reader's language (the audit chain stores the code)."""
    translate = QCoreApplication.translate
    words = {
        "contact_thermometer_normal": translate(
            "OverrideDialog", "Contact thermometer reads normal"
        ),
        "identity_checked_by_supervisor": translate(
            "OverrideDialog", "Identity and documents checked in person"
        ),
        "approval_confirmed_by_phone": translate(
            "OverrideDialog", "Visit approval confirmed by telephone"
        ),
        "emergency_or_rescue": translate("OverrideDialog", "Emergency or rescue team"),
        "device_fault": translate("OverrideDialog", "Scanner or thermometer fault"),
        OTHER: translate("OverrideDialog", "Other (say why below)"),
    }
    return words.get(code, code)


class OverrideDialog(QDialog):
    def __init__(self, current: Outcome, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overrideDialog")
        self.setWindowTitle(self.tr("Supervisor override"))
        outcomes = {
            Outcome.ADMIT: self.tr("Admit"),
            Outcome.REFER: self.tr("Refer to supervisor"),
            Outcome.TURN_AWAY: self.tr("Turn away"),
        }
        self.outcome = QComboBox()
        self.outcome.setObjectName("overrideOutcome")
        for outcome, words in outcomes.items():
            if outcome is not current:
                self.outcome.addItem(words, outcome)
        self.reason = QComboBox()
        self.reason.setObjectName("overrideReason")
        for code in OVERRIDE_REASONS:
            self.reason.addItem(override_reason_words(code), code)
        self.note = QLineEdit()
        self.note.setObjectName("overrideNote")
        self.note.setMaxLength(500)
        self.message = QLabel()
        self.message.setObjectName("overrideMessage")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout()
        form.addRow(self.tr("New outcome"), self.outcome)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Details"), self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("The original verdict stays in the log; the override is added to it."))
        )
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._accept_if_complete)
        self.buttons.rejected.connect(self.reject)

    @property
    def chosen_outcome(self) -> Outcome:
        return Outcome(self.outcome.currentData())

    @property
    def chosen_reason(self) -> str:
        return str(self.reason.currentData())

    def _accept_if_complete(self) -> None:
        if self.chosen_reason == OTHER and not self.note.text().strip():
            self.message.setText(self.tr("Say why in the details field."))
            return
        self.accept()
