"""Body temperature in large digits, with the thermometer's state underneath."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gatehouse.core.models import TemperatureReading
from gatehouse.ui.widgets import named_label

_STATES = {
    "connecting": "连接体温计… · Connecting thermometer…",
    "connected": "体温计已连接 · Thermometer connected",
    "lost": "体温计断开,正在重连 · Thermometer lost, reconnecting",
    "none": "未配置体温计 · No thermometer configured",
}


class TemperaturePanel(QWidget):
    def __init__(self, threshold_c: float) -> None:
        super().__init__()
        self._threshold = threshold_c
        self._value = named_label("temperatureValue", "--.- °C")
        self._value.setStyleSheet("font-size:64px; font-weight:bold;")
        self._state = named_label("thermometerState")
        self._state.setWordWrap(True)
        self._state.setStyleSheet("font-size:16px;")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("体温 · Temperature", alignment=Qt.AlignmentFlag.AlignCenter))
        layout.addWidget(self._value)
        layout.addWidget(self._state)

    def show_reading(self, reading: TemperatureReading) -> None:
        colour = "#b3261e" if reading.celsius >= self._threshold else "#1b7f3b"
        self._value.setText(f"{reading.celsius:.1f} °C")
        self._value.setStyleSheet(f"font-size:64px; font-weight:bold; color:{colour};")

    def show_state(self, state: str) -> None:
        self._state.setText(_STATES.get(state, state))
        if state in ("lost", "none"):
            self._value.setText("--.- °C")
            self._value.setStyleSheet("font-size:64px; font-weight:bold; color:grey;")
