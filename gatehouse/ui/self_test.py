"""The booth checking itself: the real window, offscreen, on the demo, with a temporary ledger.

Runs in the frozen build too, so it proves the bundle carries what the booth loads at run time
(Qt plugins, OpenCV's video backend, the decoders, pyserial's pty handling, the demo media) and
that an export's child process starts from the frozen executable (multiprocessing's spawn).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from drivers.camera import OpenCVSource
from drivers.qr import available_backends, make_decoder
from gatehouse import config
from gatehouse.booth.runtime import RuntimeOptions
from gatehouse.booth.service import ScanResult
from gatehouse.demo import DemoManifest
from gatehouse.replay.demo_check import demo_problems
from gatehouse.reports.export import ExportRequest
from gatehouse.reports.export_process import run_export
from gatehouse.store.ledger import Ledger
from gatehouse.store.queries import PassageFilter
from gatehouse.ui.app import build_window


@dataclass(frozen=True)
class SelfTestReport:
    verdicts_shown: int
    passages_logged: int
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


def run_self_test(
    speed: float = 4.0, timeout_s: float = 120.0, first_frame_only: bool = False
) -> SelfTestReport:
    """Plays the demo until every demo pass has been decided once, then checks the ledger.

    ``first_frame_only`` stops at the first camera frame on screen and checks only that one
    arrived: the benchmark times cold start to first frame with it.
    """
    app = QApplication.instance() or QApplication([])
    manifest = DemoManifest.load()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "self-test.sqlite3"
        cfg = config.from_mapping({}, environ={})
        window, runtime, bridge = build_window(
            cfg, RuntimeOptions(demo=True, demo_speed=speed, database=database)
        )
        results: list[ScanResult] = []
        errors: list[str] = []

        def on_verdict(result: ScanResult, error: str) -> None:
            results.append(result)
            if error:
                errors.append(f"passage {result.passage.passage_id} not saved: {error}")
            if len(results) >= len(manifest.passes):
                app.quit()

        bridge.verdict.connect(on_verdict)
        if first_frame_only:
            bridge.frame_ready.connect(app.quit)
        QTimer.singleShot(int(timeout_s * 1000), app.quit)
        window.show()
        runtime.start()
        try:
            app.exec()
        finally:
            runtime.stop()
            window.close()
        if first_frame_only:
            seen = window.preview.frames_shown
            return SelfTestReport(0, 0, () if seen else ("no camera frame shown",))
        with Ledger.open(database) as ledger:
            logged = ledger.recent(limit=1000)
            exported = _export_problems(ledger, Path(folder) / "self-test.xlsx", len(logged))
    problems = [
        *errors,
        *demo_problems(manifest, logged),
        *_decoder_problems(manifest),
        *exported,
    ]
    if len(results) < len(manifest.passes):
        problems.append(f"only {len(results)} of {len(manifest.passes)} verdicts in {timeout_s} s")
    return SelfTestReport(len(results), len(logged), tuple(problems))


def _export_problems(ledger: Ledger, path: Path, logged: int) -> list[str]:
    """The logged passages exported to Excel the desk's way, by a child process."""
    request = ExportRequest(PassageFilter(), path, "xlsx")
    try:
        done = run_export(
            ledger.path,
            request,
            audit=ledger,
            booth_id="self-test",
            actor="self-test",
            now=datetime.now(UTC),
        )
    except Exception as exc:  # reported, like every other problem the self-test finds
        return [f"export failed: {type(exc).__name__}: {exc}"]
    if done.rows != logged or not path.exists():
        return [f"export wrote {done.rows} of {logged} passages"]
    return []


def _decoder_problems(manifest: DemoManifest, frames: int = 60) -> list[str]:
    """Every installed QR backend must read the demo's first pass (the frozen build has both)."""
    backends = available_backends()
    problems = [] if "pyzbar" in backends else ["pyzbar decoder unavailable (zbar library missing)"]
    source = OpenCVSource(manifest.video)
    try:
        sample = [frame for frame in (source.read() for _ in range(frames)) if frame is not None]
    finally:
        source.close()
    for backend in backends:
        decoder = make_decoder(backend)
        if not any(decoder.decode(frame) for frame in sample):
            problems.append(f"{backend} decoder read no pass in the first {frames} demo frames")
    return problems
