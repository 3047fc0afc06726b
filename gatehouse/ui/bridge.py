"""Carries the booth's worker-thread callbacks to the GUI thread as Qt signals.

The bridge lives in the GUI thread; its signals are emitted from the camera, decode, thermometer
and ledger-writer threads, so Qt queues every delivery to the GUI thread's event loop.
"""

from __future__ import annotations

import time
from concurrent.futures import Future

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from gatehouse.booth.runtime import BoothCallbacks
from gatehouse.booth.scanner import CameraState, Frame
from gatehouse.booth.service import ScanResult
from gatehouse.core.models import TemperatureReading
from gatehouse.ui.images import frame_to_qimage


class BoothBridge(QObject):
    frame_ready = Signal(QImage)
    camera_state = Signal(object)  # CameraState
    thermometer_state = Signal(str)
    temperature = Signal(object)  # TemperatureReading
    repeat = Signal(str, float)  # the same pass again: its text, seconds since its last scan
    scanner_state = Signal(str)  # the serial scanner's port state, or "mangled"
    verdict = Signal(object, str)  # ScanResult, "" when saved or the save error in plain words

    def __init__(self, preview_fps: float = 15.0) -> None:
        super().__init__()
        self._min_frame_interval = 1.0 / preview_fps
        self._last_frame_at = 0.0

    def callbacks(self) -> BoothCallbacks:
        return BoothCallbacks(
            on_frame=self._on_frame,
            on_camera_state=self._on_camera_state,
            on_thermometer_state=self.thermometer_state.emit,
            on_temperature=self._on_temperature,
            on_result=self._on_result,
            on_repeat=self.repeat.emit,
            on_scanner=self.scanner_state.emit,
        )

    def _on_frame(self, frame: Frame) -> None:
        now = time.monotonic()
        if now - self._last_frame_at < self._min_frame_interval:
            return
        self._last_frame_at = now
        self.frame_ready.emit(frame_to_qimage(frame))

    def _on_camera_state(self, state: CameraState) -> None:
        self.camera_state.emit(state)

    def _on_temperature(self, reading: TemperatureReading) -> None:
        self.temperature.emit(reading)

    def _on_result(self, result: ScanResult) -> None:
        """Shows the verdict once the passage is durable, or with the reason it is not."""

        def saved(future: Future[None]) -> None:
            error = future.exception()
            self.verdict.emit(result, "" if error is None else f"{type(error).__name__}: {error}")

        result.saved.add_done_callback(saved)
