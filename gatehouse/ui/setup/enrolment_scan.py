"""Reading the office's enrolment QR code through the booth's own camera (the hub page's
"Scan the code"): a live preview while the scan loop captures and decodes on its own threads
with the booth's decoder cascade, never on the GUI thread. The first enrolment code seen
closes the dialog with it; any other code is said to be none, and scanning goes on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from drivers.camera import CameraError, FrameSource, open_source
from drivers.qr import DecoderUnavailable, make_decoder
from gatehouse.booth.scanner import CameraState, Frame, ScanLoop
from gatehouse.setup.detect import DeviceProbe
from gatehouse.sync.protocol import EnrolmentQr, parse_enrolment_qr
from gatehouse.ui.images import frame_to_qimage
from gatehouse.ui.setup.context import message_label
from gatehouse.ui.setup.jobs import Jobs

AUTO = "auto"
PREVIEW_WIDTH = 480
PREVIEW_FPS = 15.0


def camera_opener(source: str, probe: DeviceProbe) -> Callable[[], FrameSource]:
    """Opens the booth's configured camera; "auto": the first the probe finds. Called on the
    scan loop's capture thread (probing and opening take seconds)."""

    def opened() -> FrameSource:
        chosen = source
        if source == AUTO:
            found = [camera.source for camera in probe.cameras() if camera.works]
            if not found:
                raise CameraError("no camera answers")
            chosen = found[0]
        return open_source(chosen)

    return opened


class _Bridge(QObject):
    """The scan loop's callbacks (its threads) as signals queued to the GUI thread."""

    frame = Signal(QImage)
    text = Signal(str)
    state = Signal(object)  # CameraState


class EnrolmentScanDialog(QDialog):
    def __init__(
        self,
        camera: Callable[[], FrameSource],
        decoder_backend: str,
        jobs: Jobs,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("enrolmentScan")
        self.setWindowTitle(self.tr("Scan the enrolment code"))
        self.result_code: EnrolmentQr | None = None
        self._camera = camera
        self._backend = decoder_backend
        self._jobs = jobs
        self._loop: ScanLoop | None = None
        self._last_frame_at = 0.0
        self._bridge = _Bridge()  # no parent: it outlives the dialog while the loop runs
        self._bridge.frame.connect(self._show_frame)
        self._bridge.text.connect(self._scanned)
        self._bridge.state.connect(self._camera_state)
        self.preview = QLabel()
        self.preview.setObjectName("scanPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(PREVIEW_WIDTH, PREVIEW_WIDTH * 3 // 4)
        self.message = message_label("scanMessage")
        self.problem = message_label("scanProblem")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def start(self) -> None:
        """Open the camera and start reading (on the loop's threads)."""
        try:
            decoder = make_decoder(self._backend)
        except (DecoderUnavailable, ValueError) as exc:
            self.message.setText(self.tr("No QR decoder can be used (%1).").replace("%1", str(exc)))
            return
        self.message.setText(self.tr("Opening the camera…"))
        self._loop = ScanLoop(
            self._camera,
            decoder,
            on_frame=self._on_frame,
            on_scan=self._bridge.text.emit,
            on_camera_state=self._bridge.state.emit,
            rescan_after=1.0,
        )
        self._loop.start()
        loop = self._loop  # a dialog destroyed without closing (its window deleted) stops it too
        self.destroyed.connect(lambda *_: threading.Thread(target=loop.stop, daemon=True).start())

    def done(self, result: int) -> None:
        """Stop the camera on a worker thread (joining the loop's threads takes a moment)."""
        loop, self._loop = self._loop, None
        if loop is not None:
            self._jobs.run("enrolment-scan-stop", loop.stop, lambda _: None, lambda _: None)
        super().done(result)

    def _on_frame(self, frame: Frame) -> None:  # the capture thread
        now = time.monotonic()
        if now - self._last_frame_at >= 1 / PREVIEW_FPS:
            self._last_frame_at = now
            self._bridge.frame.emit(frame_to_qimage(frame, PREVIEW_WIDTH))

    def _show_frame(self, image: QImage) -> None:
        self.preview.setPixmap(QPixmap.fromImage(image))

    def _camera_state(self, state: CameraState) -> None:
        if state.state == "live":
            self.message.setText(
                self.tr("Hold the enrolment QR code from the office's console to the camera.")
            )
        elif state.state == "lost":
            self.message.setText(
                self.tr("The camera does not answer (%1); trying again…").replace(
                    "%1", state.detail
                )
            )

    def _scanned(self, text: str) -> None:
        try:
            self.result_code = parse_enrolment_qr(text)
        except ValueError as exc:
            self.problem.setText(
                self.tr(
                    "That is not the office's enrolment code (%1). Show the QR code the "
                    "console gave when the booth was added."
                ).replace("%1", str(exc))
            )
            return
        self.accept()
