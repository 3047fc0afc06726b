"""The guard states a vehicle: its plate, where it comes from and why it comes.

All from the keyboard: the plate is typed (and checked, e.g. 蒙K12345); a keyboard without a
Chinese input method picks the province character from the list left of it (Shift+Tab, type its
pinyin, "meng"), then types the rest. The origin is found by typing its name, pinyin or initials
("eeds" for 鄂尔多斯市), the arrows pick among the matches and Enter takes one; the purpose is
one of the pack's, or "other", which refers the vehicle.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gatehouse.booth.vehicle import VehicleDesk
from gatehouse.core.rules.vehicles import (
    PLATE_PROVINCES,
    PlateError,
    normalise_plate,
    starts_with_province,
)

OTHER_PURPOSE = "other"  # not in the pack: the vehicle is referred to the supervisor
_BIG = "font-size:28px;"


class VehicleDialog(QDialog):
    def __init__(self, desk: VehicleDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vehicleDialog")
        self.setWindowTitle(self.tr("Vehicle"))
        self._desk = desk
        self.province = QComboBox()
        self.province.setObjectName("vehicleProvince")
        self.province.addItem(self.tr("typed"), "")
        for character, pinyin, name in sorted(PLATE_PROVINCES, key=lambda p: p[1]):
            self.province.addItem(f"{pinyin} {character} {name}", character)  # type-ahead: pinyin
        self.plate = QLineEdit()
        self.plate.setObjectName("vehiclePlate")
        self.plate.setMaxLength(12)
        self.plate.setPlaceholderText(self.tr("e.g. 蒙K12345"))
        self.origin_search = QLineEdit()
        self.origin_search.setObjectName("vehicleOriginSearch")
        self.origin_search.setPlaceholderText(self.tr("name or pinyin, e.g. eeds"))
        self.origins = QListWidget()
        self.origins.setObjectName("vehicleOrigins")
        self.origins.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the search field drives it
        self.origin_chosen = QLabel()
        self.origin_chosen.setObjectName("vehicleOriginChosen")
        self.purpose = QComboBox()
        self.purpose.setObjectName("vehiclePurpose")
        for key, label in desk.purposes().items():
            self.purpose.addItem(f"{label} ({key})", key)
        self.purpose.addItem(self.tr("Other purpose (referred to the supervisor)"), OTHER_PURPOSE)
        self.message = QLabel()
        self.message.setObjectName("vehicleMessage")
        self.message.setWordWrap(True)
        self.setStyleSheet("font-size:20px;")
        for widget in (
            self.province,
            self.plate,
            self.origin_search,
            self.origin_chosen,
            self.purpose,
        ):
            widget.setStyleSheet(_BIG)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout()
        plate_row = QHBoxLayout()
        plate_row.addWidget(self.province)
        plate_row.addWidget(self.plate, 1)
        form.addRow(self.tr("Number plate"), plate_row)
        form.addRow(self.tr("Comes from"), self.origin_search)
        form.addRow("", self.origins)
        form.addRow("", self.origin_chosen)
        form.addRow(self.tr("Purpose"), self.purpose)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.origin_search.textChanged.connect(self._search)
        self.origin_search.installEventFilter(self)
        buttons.accepted.connect(self._accept_if_complete)
        buttons.rejected.connect(self.reject)
        self.origin_code = ""
        self.plate_text = ""
        self.plate.setFocus()  # the plate first; Shift+Tab reaches the province list

    @property
    def purpose_key(self) -> str:
        return str(self.purpose.currentData())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """In the origin field the arrows move among the matches and Enter takes one."""
        if (
            watched is self.origin_search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and self._origin_key(Qt.Key(event.key()))
        ):
            return True
        return super().eventFilter(watched, event)

    def _origin_key(self, key: Qt.Key) -> bool:
        moves = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}
        if key in moves and self.origins.count():
            row = self.origins.currentRow() + moves[key]
            self.origins.setCurrentRow(max(0, min(row, self.origins.count() - 1)))
            return True
        current = self.origins.currentItem()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current is not None:
            self._take(current)
            self.purpose.setFocus()
            return True
        return False

    def _search(self, typed: str) -> None:
        self.origins.clear()
        for region in self._desk.search_regions(typed):
            item = QListWidgetItem(f"{self._desk.region_name(region.code)}  {region.code}")
            item.setData(Qt.ItemDataRole.UserRole, region.code)
            self.origins.addItem(item)
        if self.origins.count():
            self.origins.setCurrentRow(0)

    def _take(self, item: QListWidgetItem) -> None:
        self.origin_code = str(item.data(Qt.ItemDataRole.UserRole))
        self.origin_chosen.setText(
            self.tr("Chosen: %1").replace("%1", self._desk.region_name(self.origin_code))
        )

    def _accept_if_complete(self) -> None:
        typed = self.plate.text()
        if not starts_with_province(typed):
            typed = str(self.province.currentData()) + typed
        try:
            self.plate_text = normalise_plate(typed)
        except PlateError:
            self.message.setText(
                self.tr(
                    "Not a number plate: a province character (typed, or chosen in the list "
                    "left of it), a letter, then 5 or 6 letters or digits (e.g. 蒙K12345)."
                )
            )
            self.plate.setFocus()
            return
        if not self.origin_code:
            self.message.setText(
                self.tr("Choose where the vehicle comes from: type, arrows, then Enter.")
            )
            self.origin_search.setFocus()
            return
        self.accept()
