"""The supervisor's desk driven through its widgets: search, detail, exports, daily report."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import openpyxl
import pypdf
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gatehouse.core.models import Outcome
from gatehouse.core.reasons import reason, traced
from gatehouse.store import Ledger
from gatehouse.store.queries import PassageFilter
from gatehouse.ui.supervisor.search_panel import to_qdate
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.window import SupervisorWindow
from tests.factories import make_passage
from tests.ui.supervisor.conftest import CST

TODAY = datetime.now(UTC).astimezone(CST).replace(hour=9, minute=0, second=0, microsecond=0)


def _fill(ledger: Ledger) -> None:
    revoked = traced(reason("pass.revoked", pass_id="P-7"), "R-revoked", "pack-2024.3")
    passages = [
        make_passage(decided_at=TODAY, holder_name="张三", outcome=Outcome.ADMIT),
        make_passage(
            decided_at=TODAY + timedelta(minutes=5),
            holder_name="李四",
            outcome=Outcome.TURN_AWAY,
            reasons=(revoked,),
            evidence={"issuer": "王庄煤矿防疫办"},
        ),
        make_passage(decided_at=TODAY - timedelta(days=30), holder_name="王五"),
    ]
    for passage in passages:
        ledger.record(passage).result()


@pytest.fixture
def window(qtbot: QtBot, services: DeskServices, ledger: Ledger) -> Iterator[SupervisorWindow]:
    _fill(ledger)
    shown = SupervisorWindow(services)
    qtbot.addWidget(shown)
    qtbot.waitUntil(lambda: shown.search.booth.count() > 1)  # choices read in the background
    yield shown
    shown.close()  # waits for its worker threads


def _search(qtbot: QtBot, window: SupervisorWindow) -> None:
    panel = window.search
    qtbot.mouseClick(panel.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.search_button.isEnabled() and "match" in panel.count_label.text())


def test_search_by_name_and_see_the_passage_in_full(qtbot: QtBot, window: SupervisorWindow) -> None:
    panel = window.search
    _search(qtbot, window)
    assert panel.results.rowCount() == 2  # the last seven days only
    assert panel.count_label.text() == "2 passage(s) match."

    panel.person.setText("李")  # Chinese arrives through the input method, not key codes
    qtbot.keyClick(panel.person, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.results.rowCount() == 1)
    assert panel.results.item(0, 3).text() == "李四"
    assert panel.results.item(0, 2).text() == "劝返 turn away"

    panel.results.selectRow(0)
    detail = panel.detail.toPlainText()
    assert "pass.revoked" in detail
    assert "R-revoked" in detail and "pack-2024.3" in detail  # the rule trace
    assert "王庄煤矿防疫办" in detail  # the evidence


def test_filter_by_outcome(qtbot: QtBot, window: SupervisorWindow) -> None:
    panel = window.search
    panel.outcome.setCurrentIndex(panel.outcome.findData(Outcome.ADMIT))
    _search(qtbot, window)
    assert [panel.results.item(r, 3).text() for r in range(panel.results.rowCount())] == ["张三"]


def test_export_to_excel_runs_in_the_background_and_is_audited(
    qtbot: QtBot, window: SupervisorWindow, services: DeskServices, ledger: Ledger
) -> None:
    panel = window.search
    panel.format.setCurrentIndex(panel.format.findData("xlsx"))
    panel.full_ids.setChecked(True)
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert panel.export_job is not None
    assert panel.export_job._thread is not threading.current_thread()
    qtbot.waitUntil(lambda: "exported to" in panel.export_status.text(), timeout=20_000)
    (path,) = services.output_folder.glob("passages-*.xlsx")
    assert str(path) in panel.export_status.text()
    sheet = openpyxl.load_workbook(path).active
    assert sorted(str(row[6]) for row in sheet.iter_rows(min_row=2, values_only=True)) == [
        "张三",
        "李四",
    ]
    with sqlite3.connect(ledger.path) as conn:
        (details,) = conn.execute(
            "SELECT details FROM audit_events WHERE kind = 'export'"
        ).fetchone()
    assert '"id_numbers": "full"' in details and path.name in details


def test_an_export_can_be_cancelled_and_leaves_no_file(
    qtbot: QtBot,
    window: SupervisorWindow,
    services: DeskServices,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("gatehouse.reports.export.PROGRESS_EVERY", 1)
    release = threading.Event()
    real_rows = services.queries.iter_rows

    def rows_held_after_the_first(chosen: PassageFilter, batch: int = 5000) -> Iterator[Any]:
        for index, row in enumerate(real_rows(chosen, batch)):
            if index == 1:
                release.wait(20)  # the supervisor presses Cancel meanwhile
            yield row

    monkeypatch.setattr(services.queries, "iter_rows", rows_held_after_the_first)
    panel = window.search
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.progress.isHidden() and panel.progress.value() == 1)
    assert panel.progress.maximum() == 2
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: "cancelled" in panel.export_status.text())
    assert panel.progress.isHidden() and panel.cancel_button.isHidden()
    assert list(services.output_folder.glob("*")) == []


def test_the_daily_report_for_an_empty_day_is_a_zero_report(
    qtbot: QtBot, window: SupervisorWindow, services: DeskServices
) -> None:
    panel = window.daily
    window.tabs.setCurrentWidget(panel)
    panel.day.setDate(to_qdate((TODAY + timedelta(days=1)).date()))
    qtbot.mouseClick(panel.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Report saved" in panel.status.text(), timeout=20_000)
    (path,) = services.output_folder.glob("daily-report-*.pdf")
    text = pypdf.PdfReader(path).pages[0].extract_text()
    assert "零报告" in text and "王庄煤矿" in text
