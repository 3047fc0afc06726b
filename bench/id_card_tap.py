"""The ID card tap for ``bench_devices``: from the card laid on the reader to the verdict shown.

The simulated SAM reader answers on a real pseudo-terminal at once, so the figures leave out
what a real reader adds: its RF read and SAM checks, and carrying the 1295-byte answer at
115200 baud (about 0.11 s).
"""

from __future__ import annotations

import os
import queue
import random
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication  # after QT_QPA_PLATFORM is chosen
from PySide6.QtWidgets import QApplication

from drivers.id_card.card import IdCardText
from drivers.id_card.reader import IdCardReaderMonitor
from drivers.id_card.session import ReaderEvent, ReaderSession
from drivers.id_card.simulator import SimulatedIdReader
from gatehouse import config
from gatehouse.booth.runtime import RuntimeOptions
from gatehouse.ui.app import build_window

CARD = IdCardText("张伟", "11010519491231002X", date(2015, 3, 1), None)
WAIT_S = 10.0
BETWEEN_TAPS_S = (0.3, 0.8)
"""The next card is laid down after a pause drawn from this range (seeded), so taps do not
fall in step with the polling."""


def driver_taps(taps: int, poll_interval: float) -> list[float]:
    """Seconds from laying the card to the monitor delivering it, per tap."""
    reader = SimulatedIdReader("pty")
    cards: queue.Queue[tuple[float, ReaderEvent]] = queue.Queue()
    monitor = IdCardReaderMonitor(
        reader.start(),
        lambda event: cards.put((time.perf_counter(), event)),
        lambda _state: None,
        session_factory=lambda: ReaderSession(poll_interval=poll_interval),
    )
    monitor.start()
    samples = []
    pause = random.Random(21)
    try:
        for _ in range(taps):
            time.sleep(pause.uniform(*BETWEEN_TAPS_S))
            laid = time.perf_counter()
            reader.place(CARD)
            at, _card = cards.get(timeout=WAIT_S)
            samples.append(at - laid)
            reader.remove()
    finally:
        monitor.stop()
        reader.stop()
    return samples


def window_taps(taps: int) -> list[float]:
    """Seconds from laying the card to its verdict on the booth window, per tap: the reader
    polled by the runtime, the card through the guard's flow, decided, committed, shown."""
    app = QApplication.instance() or QApplication([])
    reader = SimulatedIdReader("pty")
    with tempfile.TemporaryDirectory() as folder:
        settings = {
            "camera": {"source": str(Path(folder) / "no-camera.mp4")},
            "id_reader": {"port": reader.start()},
        }
        cfg = config.from_mapping(settings, environ={})
        window, runtime, bridge = build_window(
            cfg, RuntimeOptions(demo=False, database=Path(folder) / "ledger.sqlite3")
        )
        shown: list[float] = []
        bridge.verdict.connect(lambda *_args: shown.append(time.perf_counter()))
        window.show()
        runtime.start()
        samples = []
        pause = random.Random(21)
        try:
            runtime.submit_scan("GH1:the person in front")
            _wait(app, lambda: len(shown) == 1)
            for _ in range(taps):
                _wait(app, lambda: False, pause.uniform(*BETWEEN_TAPS_S))
                before = len(shown)
                laid = time.perf_counter()
                reader.place(CARD)
                _wait(app, lambda: len(shown) > before)  # noqa: B023 (waited on here)
                samples.append(shown[-1] - laid)
                reader.remove()
        finally:
            runtime.stop()
            reader.stop()
            window.close()
            window.deleteLater()
            app.processEvents()
    return samples


def _wait(app: QCoreApplication, done: object, seconds: float = WAIT_S) -> None:
    """Run the GUI's events until ``done()`` or ``seconds`` pass (only an error when waiting
    for something)."""
    assert callable(done)
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            if seconds == WAIT_S:
                raise RuntimeError(f"no verdict within {WAIT_S} s")
            return
        app.processEvents()
        time.sleep(0.001)
