"""The real booth window on the demo video: verdicts appear on screen and land in the ledger."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from gatehouse.booth.service import ScanResult
from gatehouse.core.models import Outcome
from gatehouse.demo import DemoManifest
from gatehouse.store.ledger import Ledger
from tests.ui.booth_window import MakeBoothWindow


def test_demo_booth_shows_admit_and_turn_away_and_logs_them(
    qtbot: QtBot, make_booth_window: MakeBoothWindow
) -> None:
    booth = make_booth_window(demo_speed=3.0)
    window, runtime, bridge = booth.window, booth.runtime, booth.bridge
    headline = window.findChild(QLabel, "verdictHeadline")
    assert headline is not None
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
        booth.stop()

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

    with Ledger.open(booth.database) as ledger:
        stored = {p.passage_id: p for p in ledger.recent(limit=100)}
    assert {r.passage.passage_id for r, _, _ in shown} <= set(stored)
    for result, _, _ in shown:
        assert stored[result.passage.passage_id] == result.passage
        assert stored[result.passage.passage_id].clock_source == "demo"
