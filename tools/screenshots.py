"""Renders the booth window offscreen on the demo and saves screenshots for the README.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py

Writes docs/screenshots/booth-<outcome>.png for the first verdict of each outcome it sees.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # after QT_QPA_PLATFORM is chosen
from PySide6.QtWidgets import QApplication

from gatehouse import config
from gatehouse.booth.runtime import RuntimeOptions
from gatehouse.booth.service import ScanResult
from gatehouse.core.models import Outcome
from gatehouse.ui.app import build_window

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WANTED = {Outcome.ADMIT: "booth-admit.png", Outcome.TURN_AWAY: "booth-turn-away.png"}


def main() -> int:
    app = QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        cfg = config.from_mapping({"ui": {"language": "zh"}}, environ={})
        options = RuntimeOptions(demo=True, demo_speed=2.0, database=Path(folder) / "l.sqlite3")
        window, runtime, bridge = build_window(cfg, options)
        window.resize(1280, 800)
        window.show()
        saved: set[Outcome] = set()

        def on_verdict(result: ScanResult, _error: str) -> None:
            outcome = result.passage.outcome
            if outcome in WANTED and outcome not in saved:
                saved.add(outcome)
                # Let a couple of preview frames paint before grabbing.
                QTimer.singleShot(300, lambda: window.grab().save(str(OUT / WANTED[outcome])))
            if saved == set(WANTED):
                QTimer.singleShot(600, app.quit)

        bridge.verdict.connect(on_verdict)
        QTimer.singleShot(120_000, app.quit)
        runtime.start()
        app.exec()
        runtime.stop()
    for outcome, name in WANTED.items():
        print(f"{name}: {'saved' if outcome in saved else 'MISSING'}")
    return 0 if saved == set(WANTED) else 1


if __name__ == "__main__":
    sys.exit(main())
