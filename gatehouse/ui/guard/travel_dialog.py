"""The guard types the cities on the person's travel card, for a code that carries no travel.

The travel card is a phone screen, not a signed code, so the guard reads it and types: pinyin,
initials or the Chinese name ("bj", "taiyuan", "北京"); the matching cities follow every
keystroke (the table is indexed by first character, so a keystroke's search takes well under a
millisecond, ``bench/bench_regions.py``, and runs on the GUI thread). ↑/↓ pick a match, Enter
adds it with the day set in "days ago"; Delete removes the chosen city from the list; Enter in
the empty search field confirms (Enter elsewhere comes back to it). "No travel" declares an
empty history.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gatehouse.core.models import TravelVisit
from gatehouse.core.rules.regions import RegionTable

MATCHES_SHOWN = 8
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_STYLE = "font-size:24px;"
_SEARCH_STYLE = "font-size:32px;"


class TravelDialog(QDialog):
    def __init__(
        self,
        regions: RegionTable,
        today: date,
        lookback_days: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("travelDialog")
        self.setWindowTitle(self.tr("Travel declared by the person"))
        self.setStyleSheet(_STYLE)
        self._regions = regions
        self._today = today
        self._visits: list[TravelVisit] = []
        self.search = QLineEdit()
        self.search.setObjectName("travelSearch")
        self.search.setStyleSheet(_SEARCH_STYLE)
        self.search.setPlaceholderText(self.tr("bj, beijing, 北京, taiyuan, ty …"))
        self.matches = QListWidget()
        self.matches.setObjectName("travelMatches")
        self.days_ago = QSpinBox()
        self.days_ago.setObjectName("travelDaysAgo")
        self.days_ago.setRange(0, lookback_days)
        self.day_label = QLabel()
        self.day_label.setObjectName("travelDay")
        self.visits = QListWidget()
        self.visits.setObjectName("travelVisits")
        self.remove = QPushButton(self.tr("Remove the chosen city (Del)"))
        self.remove.setObjectName("travelRemove")
        self.remove.setAutoDefault(False)
        self.nowhere = QCheckBox(
            self.tr("No travel outside the home area in the last %1 days").replace(
                "%1", str(lookback_days)
            )
        )
        self.nowhere.setObjectName("travelNowhere")
        self.message = QLabel()
        self.message.setObjectName("travelMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._lay_out()
        self.search.textChanged.connect(self._show_matches)
        self.days_ago.valueChanged.connect(self._show_day)
        self.remove.clicked.connect(self._remove_chosen)
        self.nowhere.toggled.connect(self._declare_nowhere)
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        for widget in (self.search, self.matches, self.days_ago, self.visits):
            widget.installEventFilter(self)
        self._show_day(0)
        self.search.setFocus()

    def _lay_out(self) -> None:
        days = QHBoxLayout()
        days.addWidget(QLabel(self.tr("Days ago")))
        days.addWidget(self.days_ago)
        days.addWidget(self.day_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "Read the cities on the person's travel card. Type pinyin, initials or the "
                    "name; ↑/↓ choose, Enter adds the city. Enter in the empty field confirms."
                )
            )
        )
        layout.addWidget(self.search)
        layout.addWidget(self.matches, 2)
        layout.addLayout(days)
        layout.addWidget(QLabel(self.tr("Declared cities")))
        layout.addWidget(self.visits, 1)
        layout.addWidget(self.remove)
        layout.addWidget(self.nowhere)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        chain = (self.search, self.matches, self.days_ago, self.visits, self.remove, self.nowhere)
        for first, second in zip(chain, (*chain[1:], self.buttons), strict=True):
            self.setTabOrder(first, second)

    @property
    def declared(self) -> tuple[TravelVisit, ...]:
        """The visits as declared: empty when the person declared no travel."""
        return () if self.nowhere.isChecked() else tuple(self._visits)

    # -- keys --

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.search and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = 1 if key == Qt.Key.Key_Down else -1
            row = self.matches.currentRow() + step
            if 0 <= row < self.matches.count():
                self.matches.setCurrentRow(row)
            return True
        if key in _ENTER and watched in (self.search, self.matches, self.days_ago):
            if self.search.text().strip():
                self._add_chosen()
            elif watched is self.search:
                self._accept_if_valid()
            else:
                self.search.setFocus()
            return True
        if watched is self.visits and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._remove_chosen()
            return True
        return super().eventFilter(watched, event)

    # -- actions --

    def _show_matches(self, typed: str) -> None:
        self.matches.clear()
        for region in self._regions.search(typed, limit=MATCHES_SHOWN):
            item = QListWidgetItem(self._regions.display(region.code))
            item.setData(Qt.ItemDataRole.UserRole, region.code)
            self.matches.addItem(item)
        if self.matches.count():
            self.matches.setCurrentRow(0)
            self.message.clear()
        elif typed.strip():
            self.message.setText(self.tr("No city matches “%1”.").replace("%1", typed.strip()))

    def _show_day(self, days_ago: int) -> None:
        day = self._today - timedelta(days=days_ago)
        words = (
            self.tr("today")
            if days_ago == 0
            else self.tr("%1 days ago").replace("%1", str(days_ago))
        )
        self.day_label.setText(f"{day.isoformat()} ({words})")

    def _add_chosen(self) -> None:
        item = self.matches.currentItem()
        if item is None:
            return
        code = str(item.data(Qt.ItemDataRole.UserRole))
        visit = TravelVisit(code, self._today - timedelta(days=self.days_ago.value()))
        if visit not in self._visits:
            self._visits.append(visit)
            listed = QListWidgetItem(f"{visit.day.isoformat()}  {item.text()}")
            self.visits.addItem(listed)
            self.visits.setCurrentItem(listed)
        self.nowhere.setChecked(False)
        self.message.clear()
        self.search.clear()
        self.search.setFocus()

    def _remove_chosen(self) -> None:
        row = self.visits.currentRow()
        if row < 0:
            return
        self.visits.takeItem(row)
        del self._visits[row]

    def _declare_nowhere(self, checked: bool) -> None:
        if checked:
            self._visits.clear()
            self.visits.clear()

    def _accept_if_valid(self) -> None:
        if not self._visits and not self.nowhere.isChecked():
            self.message.setText(
                self.tr(
                    "Add at least one city from the travel card, or tick “No travel outside "
                    "the home area”."
                )
            )
            return
        self.accept()
