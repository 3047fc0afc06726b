"""The status bar and banners of the real booth window, fed by the running booth's worker: an
unreachable hub shows the offline banner and the backlog, a full disk is said in plain words
while the booth goes on deciding, and both clear when the cause does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from gatehouse import config
from gatehouse.booth.runtime import RuntimeOptions
from gatehouse.booth.service import ScanResult
from gatehouse.demo import DemoManifest
from gatehouse.ui.app import build_window
from tests.booth.dead_hub import enrol_with_a_dead_hub
from tests.store.test_disk_full import _fill_until_full, _limit_pages

WAIT_MS = 30_000
NOT_A_PASS = "GH1:NOT-A-PASS"


def test_offline_hub_and_full_disk_are_shown_and_clear(qtbot: QtBot, tmp_path: Path) -> None:
    database = tmp_path / "ledger.sqlite3"
    enrol_with_a_dead_hub(database)
    cfg = config.from_mapping(  # a real booth (a demo never syncs): the video as its camera
        {
            "ui": {"language": "en"},
            "camera": {"source": str(DemoManifest.load().video)},
            "thermometer": {"port": "sim"},
        },
        environ={},
    )
    window, runtime, bridge = build_window(
        cfg, RuntimeOptions(demo=False, demo_speed=3.0, database=database)
    )
    qtbot.addWidget(window)
    mine: list[tuple[ScanResult, str]] = []
    bridge.verdict.connect(
        lambda result, error: (
            mine.append((result, error))
            if result.passage.scanned_text.startswith(NOT_A_PASS)
            else None
        )
    )

    def label(name: str) -> QLabel:
        found = window.findChild(QLabel, name)
        assert found is not None, name
        return found

    window.show()
    runtime.start()
    try:
        offline, storage = label("offlineBanner"), label("storageBanner")
        qtbot.waitUntil(offline.isVisible, timeout=WAIT_MS)
        assert "OFFLINE" in offline.text()
        assert "never yet" in label("syncStatus").text()
        assert "waiting to send" in label("syncStatus").text()
        assert "never received" in label("dataAge").text()
        assert not storage.isVisible()

        _fill_until_full(runtime.ledger)
        for attempt in range(20):  # a small passage may still fit in the last page's slack
            runtime.submit_scan(f"{NOT_A_PASS}-{attempt}")

            def answered(n: int = attempt) -> bool:
                return len(mine) > n

            qtbot.waitUntil(answered, timeout=WAIT_MS)
            if mine[-1][1]:
                break
        result, error = mine[-1]
        assert error  # the verdict says it was not saved
        qtbot.waitUntil(storage.isVisible, timeout=WAIT_MS)
        assert "Disk full" in storage.text()
        assert runtime.ledger.get(result.passage.passage_id) is None

        _limit_pages(runtime.ledger, 1_000_000)  # space freed
        runtime.service.save_pending()
        qtbot.waitUntil(lambda: not storage.isVisible(), timeout=WAIT_MS)
        assert runtime.ledger.get(result.passage.passage_id) == result.passage
        assert offline.isVisible()  # the hub is still down
    finally:
        runtime.stop()
