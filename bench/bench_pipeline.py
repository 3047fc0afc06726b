"""Scan to verdict through the real pipeline: frame out of the camera -> passage committed.

Runs the booth's own ScanLoop and BoothService (decode thread, verification, decision, the
ledger's writer thread) on the demo's pass frames served at camera pace, for each decoder.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path

import cv2
import numpy as np

from bench.report import Section, ms, percentile, table
from drivers.qr import make_decoder
from drivers.thermometer.reading import RawReading
from gatehouse.booth.clock import DemoClock
from gatehouse.booth.scanner import CameraState, ScanLoop
from gatehouse.booth.service import BoothIdentity, BoothService
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.bundles.policy import booth_policy
from gatehouse.config import Config
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.keys import TrustStore
from gatehouse.demo import DemoManifest
from gatehouse.store.ledger import Ledger

CAMERA_FPS = 30.0
BLANK_FRAMES = 15  # half a second of empty view between two people


def _pass_frames(manifest: DemoManifest, size: tuple[int, int]) -> list[np.ndarray]:
    """One clear frame of each demo pass, scaled to ``size`` (width, height)."""
    decoder = make_decoder("zxing")
    capture = cv2.VideoCapture(str(manifest.video))
    frames: dict[str, np.ndarray] = {}
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        texts = decoder.decode(np.asarray(frame, np.uint8))
        if texts and texts[0] not in frames:
            frames[texts[0]] = cv2.resize(frame, size, interpolation=cv2.INTER_LINEAR)
    capture.release()
    return list(frames.values())


class ScriptedCamera:
    """Serves people one after another at camera pace and notes when each first appears."""

    def __init__(self, people: list[np.ndarray], blank: np.ndarray, frames_each: int, rounds: int):
        self.fps = CAMERA_FPS
        self.description = "scripted camera"
        self._script: list[tuple[np.ndarray, bool]] = []
        for _ in range(rounds):
            for person in people:
                self._script += [(blank, False)] * BLANK_FRAMES
                self._script += [(person, i == 0) for i in range(frames_each)]
        self.appeared: list[float] = []
        self._next = time.perf_counter()

    def read(self) -> np.ndarray | None:
        if not self._script:
            return None
        self._next += 1 / self.fps
        time.sleep(max(0.0, self._next - time.perf_counter()))
        frame, first = self._script.pop(0)
        if first:
            self.appeared.append(time.perf_counter())
        return frame.copy()  # a camera hands out a new buffer every frame

    def close(self) -> None:
        pass


def _latencies(backend: str, people: list[np.ndarray], rounds: int, folder: Path) -> list[float]:
    manifest = DemoManifest.load()
    clock = DemoClock(manifest.clock_start)
    temperature = LatestTemperature(clock, "sensor")
    temperature.update(RawReading(36.5))
    verdicts: list[float] = []
    done = threading.Event()
    camera = ScriptedCamera(people, np.full_like(people[0], 110), frames_each=20, rounds=rounds)
    with Ledger.open(folder / f"{backend}.sqlite3") as ledger:
        service = BoothService(
            identity=BoothIdentity("bench", "mine_gate"),
            trust=TrustMaterial(
                passes=TrustStore.from_json(manifest.trust_file.read_text(encoding="utf-8"))
            ),
            policy=booth_policy(Config(), None, demo=True),
            clock=clock,
            ledger=ledger,
            temperature=temperature,
        )

        def on_scan(text: str) -> None:
            service.handle_scan(text).saved.add_done_callback(
                lambda _f: verdicts.append(time.perf_counter())
            )

        def on_state(state: CameraState) -> None:
            if state.state == "lost":
                done.set()

        loop = ScanLoop(
            lambda: camera,
            make_decoder(backend),
            on_frame=lambda f: None,
            on_scan=on_scan,
            on_camera_state=on_state,
            rescan_after=0.3,
            reconnect_interval=3600,
        )
        loop.start()
        done.wait(600)
        loop.stop()
        deadline = time.monotonic() + 10  # the last commits may still be on the writer thread
        while len(verdicts) < len(camera.appeared) and time.monotonic() < deadline:
            time.sleep(0.01)
    if len(verdicts) != len(camera.appeared):
        raise RuntimeError(f"{backend}: {len(verdicts)} verdicts for {len(camera.appeared)} people")
    return [v - a for a, v in zip(camera.appeared, verdicts, strict=True)]


def run(quick: bool) -> list[Section]:
    rounds = 2 if quick else 10
    manifest = DemoManifest.load()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for label, size in (("640x480", (640, 480)), ("1280x720", (1280, 720))):
            people = _pass_frames(manifest, size)
            for backend in ("zxing", "pyzbar"):
                samples = _latencies(backend, people, rounds, Path(folder))
                rows.append(
                    (
                        label,
                        backend,
                        len(samples),
                        ms(statistics.median(samples)),
                        ms(percentile(samples, 95)),
                        ms(max(samples)),
                    )
                )
    return [
        Section(
            title="Scan to verdict through the real pipeline",
            method=(
                "`bench/bench_pipeline.py`: the booth's ScanLoop and BoothService with a real "
                f"ledger, fed by a scripted camera at {CAMERA_FPS:.0f} fps that shows each demo "
                f"pass for 20 frames after {BLANK_FRAMES} empty ones ({rounds} rounds of "
                f"{len(manifest.passes)} people). Latency = from the first frame showing a pass "
                "leaving the camera to its passage committed (decode, verify, decide, commit "
                "with synchronous=FULL)."
            ),
            body=table(("frame", "decoder", "people", "median ms", "p95 ms", "max ms"), rows),
        )
    ]
