"""The real booth window on the demo video: verdicts appear on screen and land in the ledger."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from gatehouse import config
from gatehouse.booth.runtime import RuntimeOptions
from gatehouse.booth.service import ScanResult
from gatehouse.core.models import Outcome
from gatehouse.demo import DemoManifest
from gatehouse.store.ledger import Ledger
from gatehouse.ui.app import build_window


def test_demo_booth_shows_admit_and_turn_away_and_logs_them(qtbot: QtBot, tmp_path: Path) -> None:
    database = tmp_path / "ledger.sqlite3"
    cfg = config.from_mapping({"ui": {"language": "en"}}, environ={})
    window, runtime, bridge = build_window(
        cfg, RuntimeOptions(demo=True, demo_speed=3.0, database=database)
    )
    qtbot.addWidget(window)
    headline = window.findChild(QLabel, "verdictHeadline")
    shown: list[tuple[ScanResult, str, str]] = []
    # Connected after the window's own slot, so the headline already shows this verdict.
    bridge.verdict.connect(lambda result, error: shown.append((result, error, headline.text())))

    runtime.start()
    try:
        qtbot.waitUntil(
            lambda: {Outcome.ADMIT, Outcome.TURN_AWAY} <= {r.passage.outcome for r, _, _ in shown},
            timeout=60_000,
        )
        assert window.preview.frames_shown > 0
        assert window.findChild(QLabel, "demoBanner") is not None
    finally:
        runtime.stop()

    expected = {p.pass_id: p.expected for p in DemoManifest.load().passes}
    for result, error, text in shown:
        assert error == ""
        passage = result.passage
        word = {Outcome.ADMIT: "ADMIT", Outcome.TURN_AWAY: "TURN AWAY"}[passage.outcome]
        assert word in text
        if passage.pass_id is not None:
            assert passage.outcome is expected[passage.pass_id]
        else:  # the forged pass: refused before anything in it is believed
            assert "pass.signature_invalid" in {r.code for r in passage.reasons}

    with Ledger.open(database) as ledger:
        stored = {p.passage_id: p for p in ledger.recent(limit=100)}
    assert {r.passage.passage_id for r, _, _ in shown} <= set(stored)
    for result, _, _ in shown:
        assert stored[result.passage.passage_id] == result.passage
        assert stored[result.passage.passage_id].clock_source == "demo"
