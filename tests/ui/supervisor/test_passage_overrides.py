"""A passage on the desk with what happened to it later beside it: a supervisor's override,
the issuer's answer to an attested colour."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gatehouse.booth.reverification import Reverification, remember_answer
from gatehouse.core.health_codes import VerificationAnswer, reverification_result
from gatehouse.core.models import HealthCodeColour, Outcome
from gatehouse.store import Ledger
from gatehouse.store.audit import AuditKind
from gatehouse.store.queries import PassageFilter, PassageQueries
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.window import SupervisorWindow
from tests.factories import make_passage
from tests.ui.supervisor.conftest import DESK_NOW as NOW


def _override(ledger: Ledger, passage_id: str, minutes: int, reason: str, note: str) -> str:
    return ledger.record_event(
        AuditKind.OVERRIDE,
        at=NOW + timedelta(minutes=minutes),
        booth_id="north-gate",
        actor="supervisor",
        details={
            "passage_id": passage_id,
            "original_outcome": "turn_away",
            "outcome": "admit",
            "reason": reason,
            "note": note,
        },
    ).result()


def _detail_of_the_one_passage(qtbot: QtBot, services: DeskServices) -> str:
    """The desk searched, its only passage chosen: the detail as the supervisor reads it."""
    window = SupervisorWindow(services)
    qtbot.addWidget(window)
    panel = window.search
    qtbot.mouseClick(panel.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.results.rowCount() == 1)
    panel.results.selectRow(0)
    detail = panel.detail.toPlainText()
    window.close()
    return detail


def test_search_rows_carry_their_overrides_oldest_first(ledger: Ledger) -> None:
    overridden = make_passage(decided_at=NOW, outcome=Outcome.TURN_AWAY)
    untouched = make_passage(decided_at=NOW + timedelta(seconds=1))
    for passage in (overridden, untouched):
        ledger.record(passage).result()
    later = _override(ledger, overridden.passage_id, 2, "other", "rescue drill")
    first = _override(ledger, overridden.passage_id, 1, "device_fault", "")
    ledger.record_event(  # another kind of event naming the passage is not an override
        AuditKind.EXPORT, at=NOW, booth_id="north-gate", actor="x", details={"passage_id": "p"}
    ).result()

    queries = PassageQueries(ledger.path)
    rows = {row["passage_id"]: row for row in queries.search(PassageFilter())}
    assert [o["event_id"] for o in rows[overridden.passage_id]["overrides"]] == [first, later]
    assert rows[overridden.passage_id]["overrides"][1]["note"] == "rescue drill"
    assert rows[untouched.passage_id]["overrides"] == []
    fetched = queries.get(overridden.passage_id)
    assert fetched is not None and len(fetched["overrides"]) == 2
    assert fetched["outcome"] == "TURN_AWAY"  # the passage itself is never rewritten


def test_the_detail_shows_who_overrode_what_and_why(
    qtbot: QtBot, services: DeskServices, ledger: Ledger
) -> None:
    passage = make_passage(decided_at=NOW, holder_name="李四", outcome=Outcome.TURN_AWAY)
    ledger.record(passage).result()
    event = _override(ledger, passage.passage_id, 1, "emergency_or_rescue", "mine rescue team")
    detail = _detail_of_the_one_passage(qtbot, services)
    assert "Overridden by a supervisor" in detail
    assert "通行 admit instead of 劝返 turn away" in detail
    assert "Emergency or rescue team: mine rescue team" in detail
    assert event in detail and "supervisor" in detail


def test_the_detail_shows_the_issuers_answer_to_an_attested_colour(
    qtbot: QtBot, services: DeskServices, ledger: Ledger
) -> None:
    attested = make_passage(decided_at=NOW, holder_name="赵六", outcome=Outcome.ADMIT)
    ledger.record(attested).result()
    answer = VerificationAnswer(HealthCodeColour.RED, NOW + timedelta(minutes=3))
    result = reverification_result(HealthCodeColour.GREEN, answer)
    remember_answer(
        ledger,
        "north-gate",
        Reverification(attested.passage_id, "陕西健康码", HealthCodeColour.GREEN, result),
    )
    detail = _detail_of_the_one_passage(qtbot, services)
    assert "Checked online by the issuer" in detail
    assert result.reason.en in detail and "supervisor alerted" in detail
