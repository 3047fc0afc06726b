"""The scan loop: camera frames in, distinct QR texts out, on two threads of its own.

Capture and decoding run on separate threads joined by a one-slot mailbox, so decoding always
works on the newest frame and a slow decode drops stale frames instead of building a backlog
(the preview keeps camera rate either way). A code held in front of the camera for several
frames is one scan: a text is reported again only after it has been out of sight for
``rescan_after`` seconds (whether a later showing is a repeat is ``intake.ScanIntake``'s call,
for every scanning device alike). Decoding takes at most
``max_decode_share`` of one core, so a slow decoder on an idle camera does not burn a core.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from drivers.camera import CameraError, FrameSource
from drivers.qr import QrDecoder
from gatehouse.supervision import SUPERVISOR, Supervisor

Frame = np.ndarray
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CameraState:
    """What the status bar shows about the camera."""

    state: str  # "connecting", "live", "lost", "ended"
    detail: str


class LatestFrame:
    """A one-slot mailbox: ``put`` overwrites, ``take`` waits for a frame newer than the last."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: Frame | None = None
        self._closed = False

    def put(self, frame: Frame) -> None:
        with self._cond:
            self._frame = frame
            self._cond.notify()

    def take(self, timeout: float) -> Frame | None:
        with self._cond:
            if self._frame is None and not self._closed:
                self._cond.wait(timeout)
            frame, self._frame = self._frame, None
            return frame

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class SeenCodes:
    """Turns per-frame detections into scans: a text counts once while it stays in view."""

    def __init__(self, rescan_after: float, monotonic: Callable[[], float] = time.monotonic):
        self._rescan_after = rescan_after
        self._monotonic = monotonic
        self._last_seen: dict[str, float] = {}

    def new_scans(self, texts: list[str]) -> list[str]:
        now = self._monotonic()
        fresh = [
            t
            for t in dict.fromkeys(texts)
            if now - self._last_seen.get(t, -float("inf")) > self._rescan_after
        ]
        for text in texts:
            self._last_seen[text] = now
        self._forget_older_than(now - self._rescan_after)
        return fresh

    def _forget_older_than(self, cutoff: float) -> None:
        for text in [t for t, seen in self._last_seen.items() if seen < cutoff]:
            del self._last_seen[text]


class ScanLoop:
    """Runs capture and decode threads; reports frames, scans and camera state by callback.

    Callbacks run on the loop's own threads: the receiver must hand them to its GUI thread.
    A source that fails is reopened every ``reconnect_interval`` seconds until ``stop()``.
    """

    def __init__(
        self,
        open_source: Callable[[], FrameSource],
        decoder: QrDecoder,
        *,
        on_frame: Callable[[Frame], None],
        on_scan: Callable[[str], None],
        on_camera_state: Callable[[CameraState], None],
        rescan_after: float = 2.0,
        reconnect_interval: float = 1.0,
        max_decode_share: float = 0.5,
        supervisor: Supervisor = SUPERVISOR,
    ) -> None:
        if not 0 < max_decode_share <= 1:
            raise ValueError(f"max_decode_share must be in (0, 1], got {max_decode_share}")
        self._open_source = open_source
        self._decoder = decoder
        self._on_frame = on_frame
        self._on_scan = on_scan
        self._on_camera_state = on_camera_state
        self._seen = SeenCodes(rescan_after)
        self._rest_per_busy = 1 / max_decode_share - 1
        self._reconnect_interval = reconnect_interval
        self._mailbox = LatestFrame()
        self._stop = threading.Event()
        self._supervisor = supervisor
        self._threads = [
            supervisor.thread("camera", self._capture, self._stop, "gatehouse-capture"),
            supervisor.thread("decoder", self._decode, self._stop, "gatehouse-decode"),
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._mailbox.close()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout)

    def _capture(self) -> None:
        while not self._stop.is_set():
            self._on_camera_state(CameraState("connecting", ""))
            try:
                source = self._open_source()
            except CameraError as exc:
                self._on_camera_state(CameraState("lost", str(exc)))
                self._stop.wait(self._reconnect_interval)
                continue
            self._on_camera_state(CameraState("live", source.description))
            self._supervisor.recovered("camera")
            try:
                self._pump(source)
            except Exception:  # the supervisor restarts the loop; the guard sees no live view
                self._on_camera_state(CameraState("lost", source.description))
                raise
            finally:
                source.close()
            if not self._stop.is_set():
                self._on_camera_state(CameraState("lost", source.description))
                self._stop.wait(self._reconnect_interval)

    def _pump(self, source: FrameSource) -> None:
        while not self._stop.is_set():
            frame = source.read()
            if frame is None:
                return
            self._mailbox.put(frame)
            self._on_frame(frame)

    def _decode(self) -> None:
        while not self._stop.is_set():
            frame = self._mailbox.take(timeout=0.5)
            if frame is None:
                continue
            started = time.monotonic()
            try:
                texts = self._decoder.decode(frame)
            except Exception as exc:  # a decoder bug on one odd frame must not stop scanning
                self._stop.wait(self._supervisor.failed("decoder", exc))
                continue
            self._supervisor.recovered("decoder")
            for text in self._seen.new_scans(texts):
                self._on_scan(text)
            if not texts:  # idle: rest in proportion, frames arriving meanwhile are dropped
                self._stop.wait((time.monotonic() - started) * self._rest_per_busy)
