"""numpy camera frames to QImage, done on the camera thread so the GUI thread only paints."""

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
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2RGB)
    else:
        frame = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    rgb = np.ascontiguousarray(frame)
    height, width = rgb.shape[:2]
    return QImage(rgb.data, width, height, rgb.strides[0], QImage.Format.Format_RGB888).copy()
