"""Body temperature in large digits, with the thermometer's state underneath."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gatehouse.booth.temperature import is_plausible
from gatehouse.core.models import TemperatureReading
from gatehouse.ui.widgets import named_label

_NO_VALUE = ("lost", "none", "silent")
_VALUE_STYLE = "font-size:{}px; font-weight:bold; color:{};"
VALUE_SHARE = 0.075  # the digits' height as a share of the window's (60 px at 800 px high)


class TemperaturePanel(QWidget):
    def __init__(self, threshold_c: float) -> None:
        super().__init__()
        self._threshold = threshold_c
        self._value = named_label("temperatureValue", "--.- °C")
        self._colour = "palette(window-text)"
        self._size = round(800 * VALUE_SHARE)
        self._flag = named_label("temperatureFlag", self.tr("Implausible reading, measure again"))
        self._flag.setWordWrap(True)
        self._flag.setStyleSheet("background:#ffd54f; color:black; font-size:18px; padding:4px;")
        self._flag.hide()
        self._state = named_label("thermometerState")
        self._state.setWordWrap(True)
        self._state.setStyleSheet("font-size:16px;")
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Temperature"), alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        layout.addWidget(self._value)
        layout.addWidget(self._flag)
        layout.addWidget(self._state)
        self._paint_value(self._colour)

    def fit_height(self, window_height: int) -> None:
        """Sizes the digits for a window (or screen) ``window_height`` pixels high."""
        self._size = round(window_height * VALUE_SHARE)
        self._paint_value(self._colour)

    def _paint_value(self, colour: str) -> None:
        self._colour = colour
        self._value.setStyleSheet(_VALUE_STYLE.format(self._size, colour))

    def show_reading(self, reading: TemperatureReading) -> None:
        """A stable measurement; one no forehead gives is shown flagged, in amber."""
        plausible = is_plausible(reading)
        if not plausible:
            colour = "#c77700"
        elif reading.celsius >= self._threshold:
            colour = "#b3261e"
        else:
            colour = "#1b7f3b"
        self._value.setText(f"{reading.celsius:.1f} °C")
        self._paint_value(colour)
        self._flag.setVisible(not plausible)

    def state_words(self, state: str) -> str:
        """The thermometer's state in plain words (also the status bar's)."""
        words = {
            "connecting": self.tr("Connecting thermometer…"),
            "connected": self.tr("Thermometer connected"),
            "silent": self.tr("Thermometer not answering, check the sensor"),
            "lost": self.tr("Thermometer lost, reconnecting"),
            "none": self.tr("No thermometer configured"),
        }
        return words.get(state, self.tr("Thermometer: %1").replace("%1", state))

    def show_state(self, state: str) -> None:
        self._state.setText(self.state_words(state))
        if state in _NO_VALUE:
            self._value.setText("--.- °C")
            self._paint_value("grey")
            self._flag.hide()
