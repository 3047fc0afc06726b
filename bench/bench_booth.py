"""The booth window under load: GUI event-loop stalls while scanning, memory over a shift.

Runs the real window offscreen on the demo (the same path as ``gatehouse demo``), with a timer
on the GUI thread that notes every gap between its ticks.
"""

from __future__ import annotations

import gc
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # after QT_QPA_PLATFORM is chosen
from PySide6.QtWidgets import QApplication

from bench.report import Section, table
from gatehouse import config
from gatehouse.booth.runtime import RuntimeOptions
from gatehouse.demo import DemoManifest
from gatehouse.ui.app import build_window, settle_heap

TICK_MS = 5


def _rss_mib() -> float:
    """Resident memory of this process (Linux /proc; the booth PCs' figure comes from here)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _run_window(
    speed: float, seconds: float, folder: Path, *, settled: bool = True
) -> dict[str, float]:
    """The booth as ``run_booth`` starts it; ``settled`` False: without ``settle_heap``."""
    app = QApplication.instance() or QApplication([])
    cfg = config.from_mapping({}, environ={})
    database = folder / f"booth-{speed}-{settled}.sqlite3"
    window, runtime, bridge = build_window(
        cfg, RuntimeOptions(demo=True, demo_speed=speed, database=database)
    )
    if settled:
        settle_heap()
    else:
        gc.unfreeze()  # an earlier run in this process froze the heap
    verdicts = 0
    gaps: list[float] = []
    last = [time.perf_counter()]

    def count(*_args: object) -> None:
        nonlocal verdicts
        verdicts += 1

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    bridge.verdict.connect(count)
    timer = QTimer(interval=TICK_MS)
    timer.timeout.connect(tick)
    window.resize(1280, 800)
    window.show()
    runtime.start()
    QTimer.singleShot(2000, lambda: rss_start.append(_rss_mib()))  # after warm-up
    rss_start: list[float] = []
    timer.start()
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    timer.stop()
    rss_end = _rss_mib()
    runtime.stop()
    window.close()
    window.deleteLater()
    app.processEvents()
    stalls = sorted(gaps[10:])  # the first ticks include start-up
    return {
        "frames": window.preview.frames_shown,
        "verdicts": verdicts,
        "longest_ms": (stalls[-1] * 1000 - TICK_MS),
        "p99_ms": (stalls[int(len(stalls) * 0.99)] * 1000 - TICK_MS),
        "rss_start": rss_start[0],
        "rss_end": rss_end,
    }


def run(quick: bool) -> list[Section]:
    manifest = DemoManifest.load()
    video_s = 24.0  # the demo video's length at 1x
    stall_s = 10.0 if quick else 60.0
    shift_speed = 8.0  # a loop of the video (3 s) stays longer than the 2 s re-scan window
    shift_s = 10.0 if quick else 450.0  # 450 s at 8x = one hour of the demo video
    with tempfile.TemporaryDirectory() as folder:
        unsettled = _run_window(shift_speed, shift_s, Path(folder), settled=False)
        at_camera_rate = _run_window(1.0, stall_s, Path(folder))
        shift = _run_window(shift_speed, shift_s, Path(folder))
    stall_rows = [
        (
            "demo at camera rate (1x)",
            f"{stall_s:.0f}",
            at_camera_rate["frames"],
            at_camera_rate["verdicts"],
            f"{at_camera_rate['p99_ms']:.1f}",
            f"{at_camera_rate['longest_ms']:.1f}",
        ),
        (
            f"accelerated shift ({shift_speed:.0f}x)",
            f"{shift_s:.0f}",
            shift["frames"],
            shift["verdicts"],
            f"{shift['p99_ms']:.1f}",
            f"{shift['longest_ms']:.1f}",
        ),
        (
            f"accelerated shift ({shift_speed:.0f}x), start-up heap not frozen",
            f"{shift_s:.0f}",
            unsettled["frames"],
            unsettled["verdicts"],
            f"{unsettled['p99_ms']:.1f}",
            f"{unsettled['longest_ms']:.1f}",
        ),
    ]
    simulated_h = shift_s * shift_speed / 3600
    memory_rows = [
        (
            f"{simulated_h:.2f} h of demo video in {shift_s:.0f} s",
            shift["verdicts"],
            f"{shift['rss_start']:.0f}",
            f"{shift['rss_end']:.0f}",
            f"{shift['rss_end'] - shift['rss_start']:+.1f}",
        )
    ]
    return [
        Section(
            title="GUI event loop while scanning",
            method=(
                "`bench/bench_booth.py`: the real booth window offscreen on the demo video "
                f"({len(manifest.passes)} passes every {video_s:.0f} s of video), simulated "
                f"thermometer, real ledger; a {TICK_MS} ms QTimer on the GUI thread records the "
                "gaps between its ticks. Stall = gap minus the tick interval. Target: longest "
                "stall under 50 ms. The booth freezes its start-up heap (`settle_heap`: "
                "`gc.freeze`), so full garbage collections skip it; the last row runs without."
            ),
            body=table(
                ("run", "seconds", "frames shown", "verdicts", "p99 stall ms", "longest stall ms"),
                stall_rows,
            ),
        ),
        Section(
            title="Resident memory over a shift (accelerated)",
            method=(
                "`bench/bench_booth.py`: the same window playing the demo video at "
                f"{shift_speed:.0f}x; resident set size from /proc after 2 s of warm-up and at "
                "the end."
            ),
            body=table(
                ("run", "verdicts", "RSS start MiB", "RSS end MiB", "growth MiB"), memory_rows
            ),
        ),
    ]
