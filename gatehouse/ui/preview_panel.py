"""Live camera preview with the guide box that shows where to hold the code."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class PreviewPanel(QWidget):
    """Paints the newest frame scaled to fit, a guide box, and the camera state when not live."""

    def __init__(self) -> None:
        super().__init__()
        self._image: QImage | None = None
        self._message = self.tr("Connecting camera…")
        self.frames_shown = 0
        # 16:9 like the webcams' 720p frames; it grows with the window. Its floor is low enough
        # that vehicle mode (the vehicle panel under the verdict) with a two-line guard prompt
        # still fits a 768-px screen.
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_frame(self, image: QImage) -> None:
        self._image = image
        self._message = ""
        self.frames_shown += 1
        self.update()

    def show_message(self, message: str) -> None:
        self._message = message
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#202124"))
        target = QRectF(self.rect())
        if self._image is not None:
            size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(
                (self.width() - size.width()) / 2,
                (self.height() - size.height()) / 2,
                size.width(),
                size.height(),
            )
            painter.drawImage(target, self._image)
        side = min(target.width(), target.height()) * 0.8
        guide = QRectF(target.center().x() - side / 2, target.center().y() - side / 2, side, side)
        painter.setPen(QPen(QColor("#8ab4f8"), 4, Qt.PenStyle.DashLine))
        painter.drawRect(guide)
        if self._message:
            painter.setPen(QColor("white"))
            font = painter.font()
            font.setPointSize(20)
            painter.setFont(font)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._message)
        painter.end()
