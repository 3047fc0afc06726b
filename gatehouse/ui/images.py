"""numpy camera frames to QImage, done on the camera thread so the GUI thread only paints.

The image is made in Qt's own 32-bit RGB format, the one its raster painter draws in: a 24-bit
image would be converted again on the GUI thread at every paint.
"""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtGui import QImage


def frame_to_qimage(frame: np.ndarray, max_width: int = 960) -> QImage:
    """Downscale a BGR or grey frame for preview and return a QImage that owns its pixels.

    The copy matters: OpenCV reuses its buffers, and a QImage that wraps one would show the
    next frame's pixels, or freed memory, by the time the GUI paints it.
    """
    if frame.shape[1] > max_width:
        scale = max_width / frame.shape[1]
        frame = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    # Format_RGB32 is 0xffRRGGBB in native byte order: B, G, R, 255 in memory on the
    # little-endian machines booths run on, which is OpenCV's BGRA.
    code = cv2.COLOR_GRAY2BGRA if frame.ndim == 2 else cv2.COLOR_BGR2BGRA
    bgra = np.ascontiguousarray(cv2.cvtColor(frame, code))
    height, width = bgra.shape[:2]
    return QImage(bgra.data, width, height, bgra.strides[0], QImage.Format.Format_RGB32).copy()
