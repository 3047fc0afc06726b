"""The deciding reason first: in the result list, the detail and exports; overrides beside it."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gatehouse.core.decision import Evidence, decide
from gatehouse.core.models import HealthCodeColour, TemperatureReading, TravelVisit, VerifiedPass
from gatehouse.core.passage import Passage
from gatehouse.store import Ledger
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.window import SupervisorWindow
from tests.core.factories import ISSUER, NOW, claims
from tests.core.policies import policy
from tests.factories import make_passage, record_override
from tests.ui.supervisor.conftest import DESK_NOW as TODAY


def _yellow_code_turned_away() -> Passage:
    """A real decision: a valid pass with a yellow health code (its first reason passes)."""
    travel = (TravelVisit("150621", NOW.date() - timedelta(days=3)),)
    credential = VerifiedPass(
        claims=claims(travel=travel, health_code=HealthCodeColour.YELLOW),
        key_id=b"\x01" * 8,
        issuer=ISSUER,
    )
    reading = TemperatureReading(celsius=36.5, taken_at=NOW - timedelta(seconds=5), source="sensor")
    decision = decide(Evidence("GH1:...", credential, None, reading), policy(), NOW)
    assert decision.reasons[0].code == "validity.ok"
    return make_passage(
        decided_at=TODAY,
        holder_name="王五",
        booth_id="north-gate",
        outcome=decision.outcome,
        reasons=decision.reasons,
    )


def _searched(qtbot: QtBot, services: DeskServices) -> SupervisorWindow:
    window = SupervisorWindow(services)
    qtbot.addWidget(window)
    window.show()
    panel = window.search
    panel.person.setFocus()
    qtbot.keyClick(panel.person, Qt.Key.Key_Return)  # Enter searches
    qtbot.waitUntil(lambda: panel.results.rowCount() == 1)
    return window


def test_the_list_and_the_detail_show_the_deciding_reason_first(
    qtbot: QtBot, services: DeskServices, ledger: Ledger
) -> None:
    ledger.record(_yellow_code_turned_away()).result()
    window = _searched(qtbot, services)
    panel = window.search
    headers = [
        panel.results.horizontalHeaderItem(i).text() for i in range(panel.results.columnCount())
    ]
    reasons = panel.results.item(0, headers.index("Reasons")).text()
    assert reasons.startswith("健康码黄码")
    assert panel.results.item(0, headers.index("Overridden")).text() == ""
    panel.results.setFocus()
    qtbot.keyClick(panel.results, Qt.Key.Key_Space)  # choose the row from the keyboard
    detail = panel.detail.toPlainText()
    reasons_part = detail[detail.index("Reasons and rule trace") :]
    assert reasons_part.index("健康码黄码") < reasons_part.index("通行证有效期至")
    assert reasons_part.count("Decided the outcome") == 1
    window.close()


def test_an_override_shows_in_the_list_and_in_the_export(
    qtbot: QtBot, services: DeskServices, ledger: Ledger
) -> None:
    passage = _yellow_code_turned_away()
    ledger.record(passage).result()
    record_override(ledger, passage.passage_id, TODAY + timedelta(minutes=1))
    window = _searched(qtbot, services)
    panel = window.search
    assert panel.results.item(0, 2).text() == "劝返 turn away"  # the passage as decided
    assert panel.results.item(0, 3).text() == "通行 admit (by supervisor)"
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)  # CSV is the default
    qtbot.waitUntil(lambda: "exported to" in panel.export_status.text(), timeout=30_000)
    (path,) = Path(services.output_folder).glob("passages-*.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, row = list(csv.reader(handle))
    assert row[header.index("主管改判为 Overridden to")] == "通行 admit"
    assert row[header.index("改判人 Overridden by")] == "supervisor"
    assert row[header.index("决定原因 Deciding reasons")] == "健康码黄码"
    assert row[header.index("原因代码 Reason codes")].startswith("health.yellow; validity.ok")
    window.close()
