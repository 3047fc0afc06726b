"""Camera frames become preview images in the painter's own format, colours unchanged."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage

from gatehouse.ui.images import frame_to_qimage


def test_a_bgr_frame_keeps_its_colours_and_needs_no_conversion_to_paint() -> None:
    frame = np.zeros((4, 6, 3), dtype=np.uint8)
    frame[:, :3] = (0, 0, 255)  # OpenCV is BGR: red on the left
    frame[:, 3:] = (255, 128, 0)  # and a blue on the right
    image = frame_to_qimage(frame)
    assert image.format() is QImage.Format.Format_RGB32
    assert (image.width(), image.height()) == (6, 4)
    assert image.pixelColor(0, 0) == QColor(255, 0, 0)
    assert image.pixelColor(5, 3) == QColor(0, 128, 255)


def test_a_grey_frame_and_a_wide_one_scaled_for_the_preview() -> None:
    grey = np.full((2, 2), 200, dtype=np.uint8)
    assert frame_to_qimage(grey).pixelColor(1, 1) == QColor(200, 200, 200)
    wide = np.zeros((720, 1920, 3), dtype=np.uint8)
    assert frame_to_qimage(wide, max_width=960).size().toTuple() == (960, 360)
