"""The booth window: a shell that assembles the panels and routes the bridge's signals to them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QVBoxLayout, QWidget

from gatehouse.booth.scanner import CameraState
from gatehouse.booth.service import ScanResult
from gatehouse.ui.bridge import BoothBridge
from gatehouse.ui.preview_panel import PreviewPanel
from gatehouse.ui.temperature_panel import TemperaturePanel
from gatehouse.ui.verdict_panel import VerdictPanel
from gatehouse.ui.wedge_input import WedgeInput
from gatehouse.ui.widgets import ElidedLabel, named_label

_PREVIEW_MESSAGES = ("connecting", "lost")  # camera states the preview says in large type


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
        self.setWindowTitle(self.tr("Gatehouse — DEMO MODE") if demo else self.tr("Gatehouse"))
        self.preview = PreviewPanel()
        self.temperature = TemperaturePanel(threshold_c)
        self.verdict = VerdictPanel(language, verdict_seconds)
        self.passages_shown = 0
        self.wedge = WedgeInput(self)  # USB keyboard-wedge scanners type into this window

        side = QVBoxLayout()
        if demo:
            banner = named_label(
                "demoBanner",
                self.tr(
                    "DEMO MODE: demo video and simulated thermometer; the demo issuer is "
                    "trusted only in demo mode"
                ),
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

        self._camera_label = ElidedLabel("cameraStatus")  # a stream's address can be long
        self._thermometer_label = named_label("thermometerStatus")
        self._scanner_label = named_label("scannerStatus")
        self._scanner_label.hide()  # shown once a serial scanner reports
        status = self.statusBar()
        status.addWidget(self._camera_label)
        status.addWidget(QLabel(self.tr("QR decoder: %1").replace("%1", decoder_name)))
        status.addWidget(self._thermometer_label)
        status.addWidget(self._scanner_label)
        if demo:
            status.addPermanentWidget(QLabel(self.tr("DEMO MODE")))

        QShortcut(QKeySequence("F12"), self, self.supervisor_requested.emit)
        bridge.frame_ready.connect(self._on_frame)
        bridge.camera_state.connect(self._on_camera_state)
        bridge.thermometer_state.connect(self._on_thermometer_state)
        bridge.temperature.connect(self.temperature.show_reading)
        bridge.verdict.connect(self._on_verdict)
        bridge.repeat.connect(self._on_repeat)
        bridge.scanner_state.connect(self._on_scanner_state)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        """The large words keep their share of the height from 1024x768 to 1920x1080."""
        self.verdict.fit_height(self.height())
        self.temperature.fit_height(self.height())
        super().resizeEvent(event)

    def _on_frame(self, image: QImage) -> None:
        self.preview.show_frame(image)

    def _on_camera_state(self, state: CameraState) -> None:
        words = {
            "connecting": self.tr("Connecting camera…"),
            "lost": self.tr("Camera lost, reconnecting"),
            "live": self.tr("Camera live"),
            "ended": self.tr("Camera video ended"),
        }.get(state.state, self.tr("Camera: %1").replace("%1", state.state))
        self._camera_label.set_full_text(f"{words} {state.detail}".strip())
        if state.state in _PREVIEW_MESSAGES:
            self.preview.show_message(words)

    def _on_thermometer_state(self, state: str) -> None:
        self._thermometer_label.setText(self.temperature.state_words(state))
        self.temperature.show_state(state)

    def _on_repeat(self, _text: str, seconds: float) -> None:
        self.verdict.show_repeat(seconds)

    def _on_scanner_state(self, state: str) -> None:
        words = {
            "connecting": self.tr("Connecting scanner…"),
            "connected": self.tr("Scanner connected"),
            "lost": self.tr("Scanner lost, reconnecting"),
            "mangled": self.tr("Scanner garbled a code, scan again"),
        }.get(state, self.tr("Scanner: %1").replace("%1", state))
        self._scanner_label.setText(words)
        self._scanner_label.show()

    def _on_verdict(self, result: ScanResult, save_error: str) -> None:
        self.passages_shown += 1
        self.verdict.show_passage(result.passage, save_error)
