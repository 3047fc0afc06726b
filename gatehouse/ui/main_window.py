"""The booth window: a shell that assembles the panels and routes the bridge's signals to them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QVBoxLayout, QWidget

from gatehouse.booth.scanner import CameraState
from gatehouse.booth.service import ScanResult
from gatehouse.ui.bridge import BoothBridge
from gatehouse.ui.preview_panel import PreviewPanel
from gatehouse.ui.temperature_panel import THERMOMETER_STATES, TemperaturePanel
from gatehouse.ui.verdict_panel import VerdictPanel
from gatehouse.ui.wedge_input import WedgeInput
from gatehouse.ui.widgets import named_label

_CAMERA_STATES = {
    "connecting": "连接摄像头… · Connecting camera…",
    "lost": "摄像头断开,正在重连 · Camera lost, reconnecting",
}
_CAMERA_STATUS = {**_CAMERA_STATES, "live": "摄像头正常 · Camera live"}
_SCANNER_STATUS = {
    "connecting": "连接扫码枪… · Connecting scanner…",
    "connected": "扫码枪已连接 · Scanner connected",
    "lost": "扫码枪断开,正在重连 · Scanner lost, reconnecting",
    "mangled": "扫码枪读数乱码,请重扫 · Scanner garbled a code, scan again",
}


class MainWindow(QMainWindow):
    supervisor_requested = Signal()  # F12: the app asks for the PIN and opens the desk

    def __init__(
        self,
        bridge: BoothBridge,
        *,
        demo: bool,
        decoder_name: str,
        language: str,
        threshold_c: float,
        verdict_seconds: int,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Gatehouse 门岗" + (" — 演示模式 DEMO" if demo else ""))
        self.preview = PreviewPanel()
        self.temperature = TemperaturePanel(threshold_c)
        self.verdict = VerdictPanel(language, verdict_seconds)
        self.passages_shown = 0
        self.wedge = WedgeInput(self)  # USB keyboard-wedge scanners type into this window

        side = QVBoxLayout()
        if demo:
            banner = named_label(
                "demoBanner",
                "演示模式:演示视频与模拟体温计,演示签发方仅在此模式下受信任\n"
                "DEMO MODE: demo video and simulated thermometer; the demo issuer is trusted "
                "only in demo mode",
            )
            banner.setWordWrap(True)
            banner.setStyleSheet("background:#6a1b9a; color:white; font-size:16px; padding:8px;")
            side.addWidget(banner)
        side.addWidget(self.temperature)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.preview, 3)
        top.addLayout(side, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top, 3)
        layout.addWidget(self.verdict, 2)
        self.setCentralWidget(central)

        self._camera_label = named_label("cameraStatus")
        self._thermometer_label = named_label("thermometerStatus")
        self._scanner_label = named_label("scannerStatus")
        self._scanner_label.hide()  # shown once a serial scanner reports
        status = self.statusBar()
        status.addWidget(self._camera_label)
        status.addWidget(QLabel(f"QR: {decoder_name}"))
        status.addWidget(self._thermometer_label)
        status.addWidget(self._scanner_label)
        if demo:
            status.addPermanentWidget(QLabel("演示模式 DEMO"))

        QShortcut(QKeySequence("F12"), self, self.supervisor_requested.emit)
        bridge.frame_ready.connect(self._on_frame)
        bridge.camera_state.connect(self._on_camera_state)
        bridge.thermometer_state.connect(self._on_thermometer_state)
        bridge.temperature.connect(self.temperature.show_reading)
        bridge.verdict.connect(self._on_verdict)
        bridge.repeat.connect(self._on_repeat)
        bridge.scanner_state.connect(self._on_scanner_state)

    def _on_frame(self, image: QImage) -> None:
        self.preview.show_frame(image)

    def _on_camera_state(self, state: CameraState) -> None:
        words = _CAMERA_STATUS.get(state.state, f"摄像头 Camera: {state.state}")
        self._camera_label.setText(f"{words} {state.detail}".strip())
        if state.state in _CAMERA_STATES:
            self.preview.show_message(_CAMERA_STATES[state.state])

    def _on_thermometer_state(self, state: str) -> None:
        self._thermometer_label.setText(THERMOMETER_STATES.get(state, state))
        self.temperature.show_state(state)

    def _on_repeat(self, _text: str, seconds: float) -> None:
        self.verdict.show_repeat(seconds)

    def _on_scanner_state(self, state: str) -> None:
        self._scanner_label.setText(_SCANNER_STATUS.get(state, f"扫码枪 Scanner: {state}"))
        self._scanner_label.show()

    def _on_verdict(self, result: ScanResult, save_error: str) -> None:
        self.passages_shown += 1
        self.verdict.show_passage(result.passage, save_error)
