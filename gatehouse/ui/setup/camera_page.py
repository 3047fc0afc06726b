"""Page 3: the camera, chosen from those that answered, with a test picture."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWizardPage

from gatehouse.setup.detect import CameraCheck, Problem
from gatehouse.ui.images import frame_to_qimage
from gatehouse.ui.setup.context import SetupContext, message_label
from gatehouse.ui.setup.device_choice import DeviceChoice

AUTO = "auto"
PREVIEW_WIDTH = 480


class CameraPage(QWizardPage):
    def __init__(self, context: SetupContext) -> None:
        super().__init__()
        self._context = context
        self._detected = False
        self.setTitle(self.tr("Camera"))
        self.setSubTitle(self.tr("The camera that reads the codes people hold up."))
        self.device = DeviceChoice(
            "camera", self.tr("Video file, image folder or stream address"), self.tr("&Test")
        )
        self.device.set_choices(self._fixed(), [])
        self.device.select(context.current.camera.source)
        self.message = message_label("cameraMessage")
        self.preview = QLabel()
        self.preview.setObjectName("cameraPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(PREVIEW_WIDTH * 9 // 16)
        self.result = message_label("cameraResult")
        layout = QVBoxLayout(self)
        layout.addWidget(self.device)
        layout.addWidget(self.message)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.result)
        self.device.test.clicked.connect(self._test)

    def _fixed(self) -> list[tuple[str, str]]:
        return [(self.tr("Automatic: the first webcam, or the demo video when none"), AUTO)]

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        if not self._detected:
            self._detected = True
            self.message.setText(self.tr("Looking for cameras…"))
            self._context.jobs.run(
                "camera-detect", self._context.probe.cameras, self._show_detected, self._failed
            )

    def source(self) -> str:
        return self.device.value()

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        if self.source():
            return True
        self.message.setText(self.tr("Type a video file, an image folder or a stream address."))
        return False

    def _show_detected(self, cameras: list[CameraCheck]) -> None:
        detected = [(self._describe(camera), camera.source) for camera in cameras]
        self.device.set_choices(self._fixed(), detected)
        self.message.setText(self.tr("%n camera(s) found.", "", len(cameras)))

    def _describe(self, camera: CameraCheck) -> str:
        size = f"{camera.width}×{camera.height}"
        if camera.source.isdigit():
            return self.tr("Webcam %1 (%2)").replace("%1", camera.source).replace("%2", size)
        name = Path(camera.source).name or camera.source
        return self.tr("%1 (%2)").replace("%1", name).replace("%2", size)

    def _test(self) -> None:
        source = self.source()
        if not source:
            self.validatePage()
            return
        self.device.test.setEnabled(False)
        self.result.setText(self.tr("Testing…"))
        probe = self._context.probe
        tried = "0" if source == AUTO else source

        def work() -> tuple[CameraCheck, QImage | None]:
            check = probe.camera(tried)
            image = frame_to_qimage(check.frame, PREVIEW_WIDTH) if check.frame is not None else None
            return check, image

        self._context.jobs.run("camera-test", work, self._show_test, self._failed)

    def _show_test(self, outcome: tuple[CameraCheck, QImage | None]) -> None:
        check, image = outcome
        self.device.test.setEnabled(True)
        self.preview.setPixmap(QPixmap.fromImage(image) if image is not None else QPixmap())
        if check.works:
            self.result.setText(
                self.tr("Picture received: %1 × %2.")
                .replace("%1", str(check.width))
                .replace("%2", str(check.height))
            )
        elif self.source() == AUTO:
            self.result.setText(self.tr("No webcam answers: the booth will play the demo video."))
        elif check.problem is Problem.CANNOT_OPEN:
            self.result.setText(
                self.tr("This camera cannot be opened (%1).").replace("%1", check.detail)
            )
        else:
            self.result.setText(
                self.tr("The camera opened but sent no picture (%1).").replace("%1", check.detail)
            )

    def _failed(self, error: str) -> None:
        self.device.test.setEnabled(True)
        self.message.setText(self.tr("Something went wrong: %1").replace("%1", error))
