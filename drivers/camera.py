"""Frame sources: where the booth's images come from (webcam, video file, stream URL, a folder
of images)."""

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

    `width`/`height` request a webcam capture size and `exposure` a manual exposure value in the
    driver's own units (the driver may pick the nearest mode); files
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
        exposure: float | None = None,
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
        if is_webcam and exposure is not None:
            # Manual exposure: a booth facing a bright doorway overexposes phone screens.
            self._capture.set(cv2.CAP_PROP_AUTO_EXPOSURE, _V4L2_MANUAL_EXPOSURE)
            self._capture.set(cv2.CAP_PROP_EXPOSURE, exposure)
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


class ImageFolderSource:
    """The images of a folder in name order, as frames: a recorded booth session or test set.

    Files OpenCV cannot read are skipped. Paced at `fps` like a camera when `realtime`; `loop`
    starts over at the end. A folder that is gone or empty reads as a lost camera (None).
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        fps: float = 5.0,
        realtime: bool = False,
        loop: bool = False,
    ) -> None:
        self._folder = Path(folder)
        if not self._folder.is_dir():
            raise CameraError(f"Cannot open image folder {self._folder}: not found")
        self._paths = _image_paths(self._folder)
        if not self._paths:
            raise CameraError(f"Cannot open image folder {self._folder}: no images")
        self.fps = fps
        self.description = f"image folder {self._folder}"
        self._loop = loop
        self._next = 0
        self._closed = False
        self._pacer = FramePacer(fps) if realtime else None

    def read(self) -> npt.NDArray[np.uint8] | None:
        while not self._closed:
            if self._next >= len(self._paths):
                if not self._loop:
                    return None
                self._paths, self._next = _image_paths(self._folder), 0
                if not self._paths:
                    return None
            path = self._paths[self._next]
            self._next += 1
            frame = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if frame is None:
                continue
            if self._pacer is not None:
                self._pacer.wait()
            return np.asarray(frame, dtype=np.uint8)
        return None

    def close(self) -> None:
        self._closed = True

    def __enter__(self) -> ImageFolderSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_source(
    spec: str | int | Path,
    *,
    width: int | None = None,
    height: int | None = None,
    exposure: float | None = None,
    realtime: bool = True,
) -> FrameSource:
    """Open what a configuration names: a webcam index, a URL, a folder of images, or a file."""
    if isinstance(spec, int) or (isinstance(spec, str) and spec.isdigit()):
        return OpenCVSource(int(spec), width=width, height=height, exposure=exposure)
    if not _is_url(spec) and Path(spec).is_dir():
        return ImageFolderSource(spec, realtime=realtime)
    return OpenCVSource(spec, realtime=realtime)


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


_V4L2_MANUAL_EXPOSURE = 1
"""CAP_PROP_AUTO_EXPOSURE value meaning "manual" for V4L2 (0.25 on some older backends)."""

_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}


def _image_paths(folder: Path) -> list[Path]:
    try:
        entries = list(folder.iterdir())
    except OSError:  # removed or unmounted meanwhile
        return []
    return sorted(p for p in entries if p.suffix.lower() in _IMAGE_SUFFIXES and p.is_file())


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
