"""A device picked from what was detected, a fixed choice (none, automatic, simulated), or any
other name typed in; with a button that tries the chosen one."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

MIN_CHOICE_CHARACTERS = 24
OTHER = "\x00other"
"""The item whose value is typed into the line beside the list."""


class DeviceChoice(QWidget):
    def __init__(self, name: str, other_label: str, test_label: str) -> None:
        super().__init__()
        self.choices = QComboBox()
        self.choices.setObjectName(f"{name}Choice")
        # A long item ("Automatic: the first webcam, or …") must not squeeze the typed name
        # beside it to a few pixels: the list is elided, the field keeps room for its hint.
        self.choices.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.choices.setMinimumContentsLength(MIN_CHOICE_CHARACTERS)
        self.other = QLineEdit()
        self.other.setObjectName(f"{name}Other")
        self.other.setPlaceholderText(other_label)
        self.other.setMinimumWidth(self.other.fontMetrics().horizontalAdvance(other_label) + 24)
        self.test = QPushButton(test_label)
        self.test.setObjectName(f"{name}Test")
        self.test.setAutoDefault(False)  # Enter goes to the wizard's Next, not the test
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.choices, 2)
        layout.addWidget(self.other, 2)
        layout.addWidget(self.test)
        self._other_label = other_label
        self.choices.currentIndexChanged.connect(self._show_other)

    def set_choices(self, fixed: list[tuple[str, str]], detected: list[tuple[str, str]]) -> None:
        """(label, value) items: the fixed ones, then the detected ones, then "other"; what was
        chosen stays chosen."""
        chosen = self.value()
        self.choices.clear()
        for label, value in [*fixed, *detected, (self._other_label, OTHER)]:
            self.choices.addItem(label, value)
        if chosen:
            self.select(chosen)

    def select(self, value: str) -> None:
        """Select the item holding ``value``, or type it as "other" when none does."""
        index = self.choices.findData(value)
        if index < 0:
            index = self.choices.findData(OTHER)
            self.other.setText(value)
        self.choices.setCurrentIndex(index)
        self._show_other()

    def value(self) -> str:
        chosen = self.choices.currentData()
        return self.other.text().strip() if chosen == OTHER else str(chosen or "")

    def chosen_text(self) -> str:
        """What is chosen, as the list shows it (or as typed)."""
        if self.choices.currentData() == OTHER:
            return self.other.text().strip()
        return self.choices.currentText()

    def _show_other(self) -> None:
        self.other.setEnabled(self.choices.currentData() == OTHER)


def baud_rate_box(name: str, rates: Iterable[int], current: int) -> QComboBox:
    """The baud rates a serial device may use, the configured one chosen (and listed, should
    it be an unusual one)."""
    box = QComboBox()
    box.setObjectName(name)
    for rate in sorted({*rates, current}):
        box.addItem(str(rate), rate)
    box.setCurrentIndex(box.findData(current))
    return box
