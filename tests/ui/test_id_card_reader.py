"""The ID card reader at the real booth window: a card on the simulated reader (a real pty)
decides the person on screen again; the reader's state and problems are shown."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.id_card.card import IdCardText
from drivers.id_card.reader import IdCardReaderMonitor
from drivers.id_card.session import GARBLED
from drivers.id_card.simulator import SimulatedIdReader
from gatehouse.booth.id_reader import id_reader_monitor
from gatehouse.config import IdReaderSettings
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.models import Outcome
from gatehouse.ui.guard.flows import CARD_WINDOW_S
from gatehouse.ui.guard.id_card_flow import IdCardFlow
from tests.core.factories import CLAIMS, ISSUER
from tests.ui.guard_booth import WAIT_MS, GuardBooth

HOLDER = IdCardText(CLAIMS.holder_name, "11010519491231002X", date(2015, 3, 1), None)


@pytest.fixture
def reader(guard_booth: GuardBooth) -> Iterator[tuple[SimulatedIdReader, IdCardReaderMonitor]]:
    simulator = SimulatedIdReader("pty" if os.name == "posix" else "tcp")
    settings = IdReaderSettings(port=simulator.start())
    monitor = id_reader_monitor(settings, guard_booth.callbacks.on_id_reader or print)
    assert monitor is not None
    monitor.start()
    guard_booth.qtbot.waitUntil(
        lambda: guard_booth.text("idReaderStatus") == "ID card reader ready", timeout=WAIT_MS
    )
    yield simulator, monitor
    monitor.stop()
    simulator.stop()


def test_a_card_on_the_reader_decides_the_person_on_screen_again(
    guard_booth: GuardBooth,
    issuer_key: Ed25519PrivateKey,
    reader: tuple[SimulatedIdReader, IdCardReaderMonitor],
) -> None:
    simulator, _monitor = reader
    booth = guard_booth
    booth.measure(36.5)
    first = booth.scan(encode_pass(CLAIMS, issuer_key, ISSUER))
    assert first.passage.id_hash is None
    again = booth.wait_for_verdict(lambda: simulator.place(HOLDER))
    simulator.remove()
    assert again.passage.id_hash is not None
    assert "id_card.checked" in {r.code for r in again.decision.reasons}
    assert again.passage.evidence["id_source"] == "card_reader"

    stranger = dataclasses.replace(HOLDER, name="王芳")
    refused = booth.wait_for_verdict(lambda: simulator.place(stranger))
    assert refused.decision.outcome is Outcome.REFER
    booth.qtbot.waitUntil(
        lambda: "belongs to someone else" in booth.text("verdictReasons"), timeout=WAIT_MS
    )


def test_with_nobody_on_screen_the_guard_is_told_to_scan_first(
    guard_booth: GuardBooth,
    issuer_key: Ed25519PrivateKey,
    reader: tuple[SimulatedIdReader, IdCardReaderMonitor],
) -> None:
    simulator, _monitor = reader
    simulator.place(HOLDER)
    guard_booth.qtbot.waitUntil(
        lambda: "scan the pass first" in guard_booth.text("guardNotice"), timeout=WAIT_MS
    )
    assert guard_booth.shown == []
    simulator.remove()
    guard_booth.measure(36.5)
    guard_booth.scan(encode_pass(CLAIMS, issuer_key, ISSUER))
    guard_booth.label("guardNotice").clear()
    guard_booth.flows.shown_at -= CARD_WINDOW_S + 1  # that person has long gone
    simulator.place(HOLDER)
    guard_booth.qtbot.waitUntil(
        lambda: "scan the pass first" in guard_booth.text("guardNotice"), timeout=WAIT_MS
    )
    assert len(guard_booth.shown) == 1


def test_an_authentication_failure_warns_the_guard_and_unplugging_shows(
    guard_booth: GuardBooth, reader: tuple[SimulatedIdReader, IdCardReaderMonitor]
) -> None:
    simulator, _monitor = reader
    simulator.answer_next(0x9F, 0x90, 0x33)
    simulator.place(HOLDER)
    guard_booth.qtbot.waitUntil(
        lambda: "forged or damaged" in guard_booth.text("reverificationAlert"), timeout=WAIT_MS
    )
    id_cards = guard_booth.flows.findChild(IdCardFlow)
    assert id_cards is not None
    id_cards.show(GARBLED)  # a reader fault, then a good read
    assert guard_booth.text("idReaderStatus").startswith("ID card reader fault: ")
    simulator.place(HOLDER)
    guard_booth.qtbot.waitUntil(
        lambda: guard_booth.text("idReaderStatus") == "ID card reader ready", timeout=WAIT_MS
    )
    simulator.unplug()
    guard_booth.qtbot.waitUntil(
        lambda: guard_booth.text("idReaderStatus") == "ID card reader lost, reconnecting",
        timeout=WAIT_MS,
    )
    simulator.replug()
    guard_booth.qtbot.waitUntil(
        lambda: guard_booth.text("idReaderStatus") == "ID card reader ready", timeout=WAIT_MS
    )


def test_the_booth_built_from_its_config_polls_the_reader_and_takes_wedge_typed_numbers(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from tests.ui.test_hand_scanners import Booth, first_demo_pass

    simulator = SimulatedIdReader("pty" if os.name == "posix" else "tcp")
    settings: dict[str, object] = {
        "camera": {"source": str(tmp_path / "no-camera.mp4")},  # no scans but the test's own
        "id_reader": {"port": simulator.start()},
    }
    booth = Booth(qtbot, settings, demo=False, db=tmp_path / "ledger.sqlite3")
    booth.runtime.start()
    try:
        ready = booth.label("idReaderStatus")
        qtbot.waitUntil(lambda: ready.text() == "ID card reader ready", timeout=WAIT_MS)
        qtbot.keyClicks(booth.window, first_demo_pass())  # a wedge scanner shows a pass
        qtbot.keyClick(booth.window, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(booth.verdicts) == 1, timeout=WAIT_MS)

        simulator.place(HOLDER)
        qtbot.waitUntil(lambda: len(booth.verdicts) == 2, timeout=WAIT_MS)
        tapped = booth.verdicts[-1].passage
        assert tapped.evidence["id_source"] == "card_reader" and tapped.id_hash is not None

        qtbot.keyClicks(booth.window, HOLDER.id_number)  # a wedge ID reader types the number
        qtbot.keyClick(booth.window, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(booth.verdicts) == 3, timeout=WAIT_MS)
        assert booth.verdicts[-1].passage.evidence["id_source"] == "wedge_reader"
        assert booth.verdicts[-1].passage.scanned_text == tapped.scanned_text
    finally:
        booth.runtime.stop()
        simulator.stop()
