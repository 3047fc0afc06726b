"""The supervisor's desk driven through its widgets: search, detail, exports, daily report."""

from __future__ import annotations

import csv
import multiprocessing
import os
import sqlite3
from collections.abc import Iterator
from datetime import timedelta

import openpyxl
import pypdf
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gatehouse.core.models import Outcome, Role
from gatehouse.core.reasons import reason, traced
from gatehouse.core.rules.persons import check_character, id_hash
from gatehouse.reports.contractor_lines import NOT_REGISTERED
from gatehouse.store import Ledger
from gatehouse.store.lists import ListStore
from gatehouse.ui.supervisor.search_panel import to_qdate
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.window import SupervisorWindow
from tests.factories import make_passage
from tests.ui.supervisor.conftest import DESK_NOW


def _fill(ledger: Ledger) -> None:
    revoked = traced(reason("pass.revoked", pass_id="P-7"), "R-revoked", "pack-2024.3")
    passages = [
        make_passage(decided_at=DESK_NOW, holder_name="张三", outcome=Outcome.ADMIT),
        make_passage(
            decided_at=DESK_NOW + timedelta(minutes=5),
            holder_name="李四",
            outcome=Outcome.TURN_AWAY,
            reasons=(revoked,),
            evidence={"issuer": "王庄煤矿防疫办"},
        ),
        make_passage(decided_at=DESK_NOW - timedelta(days=30), holder_name="王五"),
    ]
    for passage in passages:
        ledger.record(passage).result()


@pytest.fixture
def window(qtbot: QtBot, services: DeskServices, ledger: Ledger) -> Iterator[SupervisorWindow]:
    _fill(ledger)
    shown = SupervisorWindow(services)
    qtbot.addWidget(shown)
    qtbot.waitUntil(lambda: shown.search.booth.count() > 1)  # choices read in the background
    qtbot.waitUntil(lambda: shown.search.shown is not None)  # the desk opens with a search
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
    assert panel.results.item(0, 4).text() == "李四"
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
    assert [panel.results.item(r, 4).text() for r in range(panel.results.rowCount())] == ["张三"]


def test_export_to_excel_runs_in_a_child_process_and_is_audited(
    qtbot: QtBot, window: SupervisorWindow, services: DeskServices, ledger: Ledger
) -> None:
    panel = window.search
    panel.format.setCurrentIndex(panel.format.findData("xlsx"))
    panel.full_ids.setChecked(True)
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert not panel.export_button.isEnabled() and not panel.contractor_button.isEnabled()
    qtbot.waitUntil(lambda: "exported to" in panel.export_status.text(), timeout=30_000)
    process = panel.export_process
    assert process is not None and process.pid != os.getpid() and not process.alive
    assert (panel.progress.value(), panel.progress.maximum()) == (2, 2)
    (path,) = services.output_folder.glob("passages-*.xlsx")
    assert str(path) in panel.export_status.text()
    header, *rows = openpyxl.load_workbook(path).active.iter_rows(values_only=True)
    name = header.index("姓名 Name")
    assert sorted(str(row[name]) for row in rows) == [
        "张三",
        "李四",
    ]
    with sqlite3.connect(ledger.path) as conn:
        (details,) = conn.execute(
            "SELECT details FROM audit_events WHERE kind = 'export'"
        ).fetchone()
    assert '"id_numbers": "full"' in details and path.name in details
    assert panel.export_button.isEnabled() and panel.contractor_button.isEnabled()


def test_an_export_can_be_cancelled_and_leaves_no_file(
    qtbot: QtBot, window: SupervisorWindow, services: DeskServices
) -> None:
    panel = window.search
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert not panel.cancel_button.isHidden()
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cancelled" in panel.export_status.text(), timeout=30_000)
    assert panel.progress.isHidden() and panel.cancel_button.isHidden()
    assert panel.export_process is None or not panel.export_process.alive
    assert multiprocessing.active_children() == []
    assert list(services.output_folder.glob("*")) == []


def test_an_export_to_a_folder_it_cannot_write_says_why(
    qtbot: QtBot, window: SupervisorWindow, services: DeskServices
) -> None:
    services.output_folder.parent.mkdir(parents=True, exist_ok=True)
    services.output_folder.write_text("a file where the export folder should be")
    panel = window.search
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Export failed" in panel.export_status.text(), timeout=30_000)
    assert panel.export_status.text() == (
        "Export failed: 该名称已被一个文件占用 · A file of that name is in the way: "
        f"{services.output_folder}"
    )
    assert panel.export_button.isEnabled()


def test_the_contractor_ledger_from_the_desk(
    qtbot: QtBot, window: SupervisorWindow, services: DeskServices, ledger: Ledger
) -> None:
    secret = b"desk-contractor-ledger-secret-32"
    listed = "11010519800101001" + check_character("11010519800101001")
    entry = {"id_number": listed, "name": "王建国", "company": "华建公司", "project": "主井检修"}
    ListStore(ledger, secret).replace_list("contractors", [entry]).result()
    ledger.record(
        make_passage(
            decided_at=DESK_NOW + timedelta(minutes=20),
            holder_name="王建国",
            role=Role.CONTRACTOR.value,
            id_hash=id_hash(secret, listed),
        )
    ).result()
    ledger.record(
        make_passage(decided_at=DESK_NOW, holder_name="孙悟", role=Role.CONTRACTOR.value)
    ).result()
    panel = window.search
    qtbot.mouseClick(panel.contractor_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Contractor ledger with" in panel.export_status.text(), timeout=30_000)
    assert "2 person(s)" in panel.export_status.text()
    (path,) = services.output_folder.glob("contractor-ledger-*.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        caption, _, wang, sun = list(csv.reader(handle))
    assert "王庄煤矿" in caption[0] and f"{(DESK_NOW - timedelta(days=6)).date()} – " in caption[0]
    assert wang[:3] == ["华建公司", "主井检修", "王建国"] and wang[7] == "1"
    assert sun[2] == "孙悟" and sun[-1] == NOT_REGISTERED


def test_an_export_is_the_search_on_screen_even_after_the_dates_change(
    qtbot: QtBot, window: SupervisorWindow, services: DeskServices
) -> None:
    panel = window.search
    assert (
        panel.results.rowCount() == 2 and panel.export_button.text() == "Export these 2 passage(s)"
    )
    panel.from_date.setFocus()
    qtbot.keyClick(panel.from_date, Qt.Key.Key_Down)  # the day before: not searched yet
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "exported to" in panel.export_status.text(), timeout=30_000)
    assert panel.export_status.text().startswith("2 passage(s) exported")


def test_the_daily_report_for_an_empty_day_is_a_zero_report(
    qtbot: QtBot, window: SupervisorWindow, services: DeskServices
) -> None:
    panel = window.daily
    window.tabs.setCurrentWidget(panel)
    panel.day.setDate(to_qdate((DESK_NOW + timedelta(days=1)).date()))
    qtbot.keyClicks(panel.filled_in_by, "Li Na")
    qtbot.keyClicks(panel.phone, "0477-8881234")
    qtbot.mouseClick(panel.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Report saved" in panel.status.text(), timeout=20_000)
    (path,) = services.output_folder.glob("daily-report-*.pdf")
    assert "-all-booths-" in path.name
    text = pypdf.PdfReader(path).pages[0].extract_text()
    assert "零报告" in text and "王庄煤矿" in text and "Li Na" in text and "0477-8881234" in text


def test_a_one_booth_report_never_overwrites_the_all_booths_one(
    qtbot: QtBot, window: SupervisorWindow, services: DeskServices
) -> None:
    panel = window.daily
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.booth.findData("booth-01") >= 0)  # booths in the ledger
    for steps in (0, panel.booth.findData("booth-01")):
        panel.booth.setFocus()
        qtbot.keyClick(panel.booth, Qt.Key.Key_Home)
        for _ in range(steps):
            qtbot.keyClick(panel.booth, Qt.Key.Key_Down)
        qtbot.mouseClick(panel.make_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Report saved" in panel.status.text(), timeout=20_000)
        panel.status.clear()
    names = sorted(path.name for path in services.output_folder.glob("daily-report-*.pdf"))
    assert len(names) == 2
    assert "-all-booths-" in names[0] and "-booth-01-" in names[1]
