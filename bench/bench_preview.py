"""Painting one camera frame on the booth's preview, in the image format the frame comes in.

The GUI thread paints every frame the camera delivers; whatever the painter must convert at
each paint is GUI-thread time. The preview hands it Qt's 32-bit RGB (``frame_to_qimage``);
the 24-bit RGB it used before is measured beside it.
"""

from __future__ import annotations

import functools

import cv2
import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter

from bench.report import Section, summary_ms, table, time_calls
from gatehouse.ui.images import frame_to_qimage

PREVIEW = (1180, 560)  # the preview's size in a 1280x800 booth window
FRAME = (720, 960, 3)  # a 1280x720 webcam frame after the preview's downscale to 960 wide


def _paint(target: QImage, frame: QImage) -> None:
    """What PreviewPanel.paintEvent does with the frame: draw it scaled to fit."""
    size = frame.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
    painter = QPainter(target)
    painter.drawImage(QRectF(0, 0, size.width(), size.height()), frame)
    painter.end()


def _rgb888(frame: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    height, width = rgb.shape[:2]
    return QImage(rgb.data, width, height, rgb.strides[0], QImage.Format.Format_RGB888).copy()


def run(quick: bool) -> list[Section]:
    _app = QGuiApplication.instance() or QGuiApplication([])
    repeats = 20 if quick else 300
    frame = np.random.default_rng(7).integers(0, 256, FRAME, dtype=np.uint8)
    # the window's backing store on the raster engine
    target = QImage(*PREVIEW, QImage.Format.Format_ARGB32_Premultiplied)
    rows = []
    for label, image in (
        ("32-bit RGB (Format_RGB32), the preview's", frame_to_qimage(frame)),
        ("24-bit RGB (Format_RGB888), before", _rgb888(frame)),
    ):
        median, p95 = summary_ms(time_calls(functools.partial(_paint, target, image), repeats))
        rows.append((label, f"{FRAME[1]}x{FRAME[0]}", f"{PREVIEW[0]}x{PREVIEW[1]}", median, p95))
    return [
        Section(
            title="Painting one preview frame on the GUI thread",
            method=(
                "`bench/bench_preview.py`: QPainter draws one camera frame scaled to fit the "
                "preview, onto an image like the window's backing store, as PreviewPanel does "
                f"at every frame; {repeats} paints per format, same frame."
            ),
            body=table(("frame format", "frame", "preview", "median ms", "p95 ms"), rows),
        )
    ]
