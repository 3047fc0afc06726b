"""Frame sources: where the booth's images come from (webcam, demo video file, stream URL)."""

from __future__ import annotations

import math
from pathlib import Path
from types import TracebackType
from typing import Protocol
from urllib.parse import urlsplit

import cv2
import numpy as np
import numpy.typing as npt

from drivers.pacing import FramePacer

DEFAULT_FPS = 30.0
"""Assumed when a source reports no usable rate (many webcams and some files report 0)."""


class CameraError(Exception):
    """A frame source cannot be opened; the message is plain enough to show a guard."""


class FrameSource(Protocol):
    """Anything that yields BGR frames; the booth reads one from a worker thread."""

    @property
    def fps(self) -> float: ...

    @property
    def description(self) -> str: ...

    def read(self) -> npt.NDArray[np.uint8] | None:
        """Block until the next BGR frame; None once the source ended or failed."""
        ...

    def close(self) -> None: ...


class OpenCVSource:
    """A webcam (int index), video file (path) or stream (URL) read through cv2.VideoCapture.

    `width`/`height` request a webcam capture size (the driver may pick the nearest mode); files
    and streams have their own size, so there they are ignored and one camera config serves all
    sources. `realtime` paces file/stream frames at the source fps times `speed`, so a demo video
    behaves like a camera; `loop` starts over at the end. A failed read on a webcam (unplugged)
    returns None and the caller decides whether to reopen.

    Not thread-safe: call read() and close() from the same thread, because releasing a capture
    while another thread is inside read() can crash OpenCV.
    """

    def __init__(
        self,
        source: int | str | Path,
        *,
        width: int | None = None,
        height: int | None = None,
        realtime: bool = False,
        speed: float = 1.0,
        loop: bool = False,
    ) -> None:
        is_webcam = isinstance(source, int)
        if is_webcam and (realtime or loop):
            raise ValueError("realtime and loop apply to video files and streams, not webcams")
        if not (math.isfinite(speed) and speed > 0):
            raise ValueError(f"speed must be a positive number, got {speed}")
        self._source = source
        self._loop = loop
        self._capture: cv2.VideoCapture | None = _open_capture(source)
        if is_webcam and width is not None:
            self._capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        if is_webcam and height is not None:
            self._capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        reported = float(self._capture.get(cv2.CAP_PROP_FPS))
        self.fps = reported if math.isfinite(reported) and reported > 0 else DEFAULT_FPS
        self.description = _describe(source)
        self._pacer = FramePacer(self.fps * speed) if realtime else None

    def read(self) -> npt.NDArray[np.uint8] | None:
        """Block until the next BGR frame; None at the end (without loop), on failure or closed."""
        capture = self._capture
        if capture is None:
            return None
        ok, frame = capture.read()
        if not ok and self._loop:
            capture = self._reopen()
            if capture is None:
                return None
            ok, frame = capture.read()
        if not ok:
            return None
        if self._pacer is not None:
            self._pacer.wait()
        return np.asarray(frame, dtype=np.uint8)

    def close(self) -> None:
        """Release the device or file; further reads return None."""
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def __enter__(self) -> OpenCVSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _reopen(self) -> cv2.VideoCapture | None:
        """Start over; reopening works for files and streams alike, unlike seeking to frame 0."""
        self.close()
        try:
            self._capture = _open_capture(self._source)
        except CameraError:
            return None
        return self._capture


def probe_webcam(index: int) -> bool:
    """Tell quickly whether a webcam answers at `index` (to decide on the demo video fallback).

    Only opens and releases the device: grabbing a frame could take seconds on a cold camera.
    """
    capture = cv2.VideoCapture(index)
    try:
        return bool(capture.isOpened())
    finally:
        capture.release()


def _open_capture(source: int | str | Path) -> cv2.VideoCapture:
    """Open `source`, turning OpenCV's silent failure into a CameraError that says why."""
    if isinstance(source, int):
        capture = cv2.VideoCapture(source)
        if not capture.isOpened():
            raise CameraError(f"Cannot open camera {source}")
        return capture
    if _is_url(source):
        capture = cv2.VideoCapture(str(source))
        if not capture.isOpened():
            raise CameraError(f"Cannot open stream {_redact(str(source))}")
        return capture
    path = Path(source)
    if not path.exists():
        raise CameraError(f"Cannot open video file {path}: not found")
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise CameraError(f"Cannot open video file {path}: not a video")
    return capture


def _is_url(source: str | Path) -> bool:
    return isinstance(source, str) and "://" in source


def _describe(source: int | str | Path) -> str:
    if isinstance(source, int):
        return f"camera {source}"
    if _is_url(source):
        return f"stream {_redact(str(source))}"
    return f"video file {Path(source)}"


def _redact(url: str) -> str:
    """Drop user:password from a camera URL so it can be logged and shown on screen."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port is not None else host
    return parts._replace(netloc=netloc).geturl()
