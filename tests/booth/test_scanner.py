"""The scan loop on a real video file: every pass shown is scanned exactly once; the intake
that every scanning device feeds: repeats told apart, everything decided on its worker."""

from __future__ import annotations

import itertools
import queue
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
import segno

from drivers.camera import CameraError, ImageFolderSource, OpenCVSource
from drivers.qr import make_decoder
from gatehouse.booth.intake import RepeatedPasses, ScanIntake
from gatehouse.booth.scanner import CameraState, LatestFrame, ScanLoop, SeenCodes
from gatehouse.demo import DemoManifest
from tests.mjpeg_server import MjpegServer


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


def test_repeated_passes_within_the_window() -> None:
    now = [0.0]
    repeats = RepeatedPasses(window=60.0, monotonic=lambda: now[0])
    assert repeats.seconds_since_last_scan("A") is None
    now[0] = 20.0
    assert repeats.seconds_since_last_scan("A") == 20.0
    assert repeats.seconds_since_last_scan("B") is None
    now[0] = 90.0  # A last scanned at 20: older than the window, a new visit
    assert repeats.seconds_since_last_scan("A") is None
    with pytest.raises(ValueError, match="negative"):
        RepeatedPasses(window=-1)


def code_frame(text: str) -> np.ndarray:
    rows = segno.make_qr(text).matrix_iter(scale=6, border=4)
    code = np.where(np.array(list(rows), dtype=bool), 0, 255).astype(np.uint8)
    frame = np.full((360, 480), 200, dtype=np.uint8)
    frame[20 : 20 + code.shape[0], 20 : 20 + code.shape[1]] = code
    return np.asarray(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR), dtype=np.uint8)


class Recorder:
    """Everything a ScanLoop reported, with waits that fail after a generous timeout."""

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, object]] = queue.Queue()

    def wait_for(self, kind: str, value: object = None) -> object:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                got_kind, got = self.events.get(timeout=1)
            except queue.Empty:
                continue
            if got_kind == kind and (value is None or got == value):
                return got
        pytest.fail(f"no {kind} {value!r} within 20 s")


def test_network_camera_lost_mid_run_reconnects_and_scans_again() -> None:
    blank = np.full((360, 480, 3), 200, dtype=np.uint8)
    camera = MjpegServer([code_frame("GH1:REPEAT")] * 5 + [blank] * 20, fps=25)
    camera.start()
    seen = Recorder()
    loop = ScanLoop(
        lambda: OpenCVSource(camera.url),
        make_decoder("zxing"),
        on_frame=lambda frame: None,
        on_scan=lambda text: seen.events.put(("scan", text)),
        on_camera_state=lambda state: seen.events.put(("camera", state.state)),
        rescan_after=0.2,
        reconnect_interval=0.1,
    )
    loop.start()
    try:
        seen.wait_for("camera", "live")
        seen.wait_for("scan", "GH1:REPEAT")
        camera.stop()
        seen.wait_for("camera", "lost")
        camera.start()
        seen.wait_for("camera", "live")
        seen.wait_for("scan", "GH1:REPEAT")  # shown again after the reconnect
    finally:
        loop.stop()
        camera.stop()


class TimedDecoder:
    """A real decoder that records when each call started and ended."""

    name = "timed pyzbar"

    def __init__(self) -> None:
        self._decoder = make_decoder("pyzbar")
        self.calls: list[tuple[float, float]] = []

    def decode(self, frame: np.ndarray) -> list[str]:
        started = time.monotonic()
        texts = self._decoder.decode(frame)
        self.calls.append((started, time.monotonic()))
        return texts


def test_an_idle_camera_leaves_the_decoder_half_of_the_time(tmp_path: Path) -> None:
    """zbar costs tens of ms on an empty 720p frame: decoding every frame would burn a core."""
    noise = np.random.default_rng(1).integers(0, 255, (720, 1280, 3), dtype=np.uint8)
    cv2.imwrite(str(tmp_path / "empty.png"), noise)
    decoder = TimedDecoder()
    loop = ScanLoop(
        lambda: ImageFolderSource(tmp_path, fps=30.0, realtime=True, loop=True),
        decoder,
        on_frame=lambda f: None,
        on_scan=lambda t: None,
        on_camera_state=lambda s: None,
        max_decode_share=0.5,
    )
    loop.start()
    try:
        deadline = time.monotonic() + 30
        while len(decoder.calls) < 6 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        loop.stop()
    calls = decoder.calls[:6]
    assert len(calls) == 6
    for (start, end), (next_start, _) in itertools.pairwise(calls):
        assert next_start - end >= (end - start) * 0.99  # rested at least as long as it worked


def test_decode_share_must_be_a_fraction() -> None:
    with pytest.raises(ValueError, match="max_decode_share"):
        ScanLoop(
            lambda: OpenCVSource("missing.mp4"),
            make_decoder("zxing"),
            on_frame=print,
            on_scan=print,
            on_camera_state=print,
            max_decode_share=0,
        )


class IntakeRecorder:
    """What an intake decided and reported as repeats, with the worker thread's name."""

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, str, str]] = queue.Queue()

    def decide(self, text: str) -> None:
        self.events.put(("decided", text, threading.current_thread().name))

    def repeat(self, text: str, since: float) -> None:
        self.events.put((f"repeat after {since:g} s", text, threading.current_thread().name))

    def next(self) -> tuple[str, str, str]:
        try:
            return self.events.get(timeout=20)
        except queue.Empty:
            pytest.fail("the intake reported nothing within 20 s")


def test_intake_decides_on_its_worker_and_tells_repeats_from_new_showings() -> None:
    now = [0.0]
    measured_since: list[float] = []  # seconds ago of the latest measurement, if any
    seen = IntakeRecorder()
    intake = ScanIntake(
        seen.decide,
        repeats=RepeatedPasses(window=60.0, monotonic=lambda: now[0]),
        measured_within=lambda seconds: any(ago <= seconds for ago in measured_since),
        on_repeat=seen.repeat,
    )
    try:
        intake.submit("GH1:A")
        kind, text, thread = seen.next()
        assert (kind, text) == ("decided", "GH1:A")
        assert thread.startswith("gatehouse-scan") and thread != threading.current_thread().name
        now[0] = 4.0  # held up again, nothing measured since: not a second passage
        intake.submit("GH1:A")
        assert seen.next()[:2] == ("repeat after 4 s", "GH1:A")
        now[0] = 30.0
        measured_since.append(10.0)  # re-measured 10 s ago, after the last showing: decided
        intake.submit("GH1:A")
        assert seen.next()[:2] == ("decided", "GH1:A")
        intake.submit("GH1:B")  # another pass is never a repeat
        assert seen.next()[:2] == ("decided", "GH1:B")
        now[0] = 200.0  # back through after the window: a new passage
        measured_since.clear()
        intake.submit("GH1:A")
        assert seen.next()[:2] == ("decided", "GH1:A")
    finally:
        intake.close()


def test_without_a_repeat_receiver_repeats_are_decided() -> None:
    seen = IntakeRecorder()
    intake = ScanIntake(
        seen.decide,
        repeats=RepeatedPasses(window=60.0),
        measured_within=lambda seconds: False,
        on_repeat=None,
    )
    try:
        intake.submit("GH1:A")
        intake.submit("GH1:A")
        assert [seen.next()[:2] for _ in range(2)] == [("decided", "GH1:A")] * 2
    finally:
        intake.close()


def test_intake_survives_a_failing_decision_and_drops_scans_after_close() -> None:
    seen = IntakeRecorder()

    def decide(text: str) -> None:
        if text == "GH1:BAD":
            raise RuntimeError("boom")
        seen.decide(text)

    intake = ScanIntake(
        decide, repeats=RepeatedPasses(60.0), measured_within=lambda s: False, on_repeat=None
    )
    intake.submit("GH1:BAD")
    intake.submit("GH1:GOOD")
    assert seen.next()[:2] == ("decided", "GH1:GOOD")
    intake.close()
    intake.submit("GH1:LATE")  # the booth is stopping: dropped, not raised into the caller
    assert seen.events.empty()
