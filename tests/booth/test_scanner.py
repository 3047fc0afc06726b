"""The scan loop on a real video file: every pass shown is scanned exactly once."""

from __future__ import annotations

import threading

import numpy as np

from drivers.camera import CameraError, OpenCVSource
from drivers.qr import make_decoder
from gatehouse.booth.demo import DemoManifest
from gatehouse.booth.scanner import CameraState, LatestFrame, ScanLoop, SeenCodes


def test_demo_video_yields_each_pass_once() -> None:
    manifest = DemoManifest.load()
    scans: list[str] = []
    ended = threading.Event()
    frames = 0

    def on_frame(_frame: np.ndarray) -> None:
        nonlocal frames
        frames += 1

    def on_state(state: CameraState) -> None:
        if state.state == "lost":  # the file ended: one full play-through is done
            ended.set()

    loop = ScanLoop(
        lambda: OpenCVSource(manifest.video, realtime=True, speed=4.0),
        make_decoder("zxing"),
        on_frame=on_frame,
        on_scan=scans.append,
        on_camera_state=on_state,
        rescan_after=0.5,
        reconnect_interval=60,
    )
    loop.start()
    try:
        assert ended.wait(timeout=60)
    finally:
        loop.stop()
    assert frames == 240
    assert len(scans) == len(manifest.passes)
    assert len(set(scans)) == len(scans)
    assert all(text.startswith("GH1:") for text in scans)


def test_source_that_cannot_open_is_reported_and_retried() -> None:
    states: list[CameraState] = []
    retried = threading.Event()

    def on_state(state: CameraState) -> None:
        states.append(state)
        if sum(s.state == "lost" for s in states) >= 2:
            retried.set()

    def broken_source() -> OpenCVSource:
        raise CameraError("Cannot open camera 0")

    loop = ScanLoop(
        broken_source,
        make_decoder("zxing"),
        on_frame=lambda f: None,
        on_scan=lambda t: None,
        on_camera_state=on_state,
        reconnect_interval=0.05,
    )
    loop.start()
    try:
        assert retried.wait(timeout=10)
    finally:
        loop.stop()
    assert next(s.detail for s in states if s.state == "lost") == "Cannot open camera 0"


def test_seen_codes_counts_a_code_once_while_in_view() -> None:
    now = [0.0]
    seen = SeenCodes(rescan_after=2.0, monotonic=lambda: now[0])
    assert seen.new_scans(["A"]) == ["A"]
    now[0] = 1.0
    assert seen.new_scans(["A", "B", "B"]) == ["B"]
    now[0] = 2.5  # A last seen at 1.0: still the same showing
    assert seen.new_scans(["A"]) == []
    now[0] = 5.0  # A out of view for 2.5 s: shown again
    assert seen.new_scans(["A"]) == ["A"]


def test_latest_frame_keeps_only_the_newest() -> None:
    box = LatestFrame()
    first, second = np.zeros((2, 2), np.uint8), np.ones((2, 2), np.uint8)
    box.put(first)
    box.put(second)
    assert box.take(timeout=0.1) is second
    assert box.take(timeout=0.05) is None
