"""Page 1: which booth this is, at which mine, and what kind of checkpoint."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWizardPage

from gatehouse.config import CHECKPOINT_TYPES, BoothSettings
from gatehouse.setup.configure import MAX_BOOTH_ID, booth_id_problem
from gatehouse.ui.setup.context import message_label


class BoothPage(QWizardPage):
    def __init__(self, current: BoothSettings) -> None:
        super().__init__()
        self.setTitle(self.tr("This booth"))
        self.setSubTitle(
            self.tr("The booth id names this booth at the hub and in every record it keeps.")
        )
        self.booth_id = QLineEdit(current.booth_id)
        self.booth_id.setObjectName("boothId")
        self.booth_id.setMaxLength(MAX_BOOTH_ID)
        self.mine_name = QLineEdit(current.mine_name)
        self.mine_name.setObjectName("mineName")
        self.checkpoint = QComboBox()
        self.checkpoint.setObjectName("checkpointType")
        for kind in CHECKPOINT_TYPES:
            self.checkpoint.addItem(self._label(kind), kind)
        self.checkpoint.setCurrentIndex(max(0, self.checkpoint.findData(current.checkpoint_type)))
        self.message = message_label("boothMessage")
        form = QFormLayout(self)
        form.addRow(self.tr("Booth &id"), self.booth_id)
        form.addRow(self.tr("&Mine"), self.mine_name)
        form.addRow(self.tr("&Checkpoint"), self.checkpoint)
        form.addRow(self.message)

    def _label(self, kind: str) -> str:
        labels = {
            "mine_gate": self.tr("Mine gate"),
            "office_area": self.tr("Office area"),
            "canteen": self.tr("Canteen"),
            "dormitory": self.tr("Dormitory"),
            "vehicle_gate": self.tr("Vehicle gate"),
        }
        return labels.get(kind, kind)

    def settings(self) -> BoothSettings:
        return BoothSettings(
            booth_id=self.booth_id.text().strip(),
            checkpoint_type=str(self.checkpoint.currentData()),
            mine_name=self.mine_name.text().strip(),
        )

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        problem = booth_id_problem(self.settings().booth_id)
        if problem == "empty":
            self.message.setText(self.tr("Type the booth id, e.g. north-gate-2."))
        elif problem is not None:
            self.message.setText(
                self.tr(
                    "A booth id is up to %1 letters, digits, dots, dashes or underscores, "
                    "without spaces, e.g. north-gate-2."
                ).replace("%1", str(MAX_BOOTH_ID))
            )
        else:
            self.message.clear()
        return problem is None
